import * as vscode from 'vscode';
import type { ServiceStatus, StackStatus, ContainerStatus } from '../core/docker/services';
import { describeState } from '../core/docker/services';
import { cannotRun, exitSentence, upText } from '../core/docker/service-words';
import type { ProjectEntry } from './projects';

/**
 * Tree nodes: a compose project (shown as a group only when the workspace has several), its
 * services, the compose profiles (each a group of the services that start only with it), and the
 * containers of a service with replicas.
 */
export type ServiceTreeNode =
  | { kind: 'project'; project: ProjectEntry }
  | { kind: 'profile'; project: ProjectEntry; profile: string; active: boolean }
  | { kind: 'service'; project: ProjectEntry; service: ServiceStatus }
  | { kind: 'container'; project: ProjectEntry; service: ServiceStatus; container: ContainerStatus }
  | { kind: 'problem'; project: ProjectEntry; message: string; detail: string }
  | { kind: 'loading'; project: ProjectEntry };

/** The icon of a state; an exited service by what its exit means. */
export function stateIcon(s: Pick<ServiceStatus, 'state' | 'exit' | 'hasHealthcheck'>): vscode.ThemeIcon {
  const icon = (id: string, color?: string): vscode.ThemeIcon => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
  switch (s.state) {
    case 'healthy':
      return icon('pass-filled', 'testing.iconPassed');
    case 'running':
      // Up, but nothing checks that it works: not the healthy mark.
      return icon('circle-filled', 'charts.green');
    case 'starting':
      return icon('loading~spin', 'charts.yellow');
    case 'unhealthy':
      return icon('warning', 'list.errorForeground');
    case 'restarting':
      return icon('sync~spin', 'charts.orange');
    case 'paused':
      return icon('debug-pause', 'charts.yellow');
    case 'created':
      return icon('circle-large-outline', 'charts.blue');
    case 'not-created':
      return icon('circle-large-outline', 'disabledForeground');
    case 'dead':
      return icon('close', 'list.errorForeground');
    case 'exited':
      if (s.exit?.kind === 'completed') return icon('pass', 'disabledForeground');
      if (s.exit?.kind === 'stopped') return icon('debug-stop', 'disabledForeground');
      return icon('error', 'list.errorForeground');
  }
}

/** "18080→8080": the ports published now (none while it does not run). */
function portsText(ports: ServiceStatus['ports']): string {
  const seen = new Set<string>();
  for (const p of ports) if (p.published !== undefined) seen.add(`${p.published}→${p.target}`);
  return [...seen].join(', ');
}

/** What a service row says after its name: state, ports while published, time up, replicas. */
export function serviceDescription(service: ServiceStatus, now: Date): string {
  const parts = [service.state === 'running' && !service.hasHealthcheck ? 'running (no healthcheck)' : describeState(service)];
  const ports = portsText(service.ports);
  if (ports) parts.push(ports);
  const up = upText(service, now);
  if (up) parts.push(up);
  if (service.containers.length > 1) parts.push(`${service.containers.length} replicas`);
  return parts.join(' · ');
}

/** contextValue: kind and state, then what the menus may offer (canStart, canStop, canRestart, hasUi, hasContainer). */
export function serviceContext(service: ServiceStatus): string {
  const parts = ['service', service.state];
  if (service.exit) parts.push(`exit-${service.exit.kind}`);
  if (!cannotRun(service, 'start')) parts.push('canStart');
  if (!cannotRun(service, 'stop')) parts.push('canStop');
  if (!cannotRun(service, 'restart')) parts.push('canRestart');
  if (service.links.length > 0) parts.push('hasUi');
  if (service.containers.length > 0) parts.push('hasContainer');
  return parts.join(' ');
}

export function serviceTooltip(service: ServiceStatus, now: Date): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${service.name}**: ${describeState(service)}\n\n`);
  const exit = exitSentence(service);
  if (exit) md.appendMarkdown(`${exit}\n\n`);
  if (service.startedAt) {
    md.appendMarkdown(`Started ${service.startedAtExact ? '' : 'about '}${service.startedAt.toLocaleString()} (${upText(service, now)})\n\n`);
  }
  if (service.image) md.appendMarkdown(`Image: \`${service.image}\`\n\n`);
  const published = portsText(service.ports);
  const declared = portsText(service.declaredPorts);
  if (published) md.appendMarkdown(`Ports: ${published}\n\n`);
  else if (declared) md.appendMarkdown(`Publishes ${declared} while it runs (nothing now)\n\n`);
  if (service.profiles.length > 0) md.appendMarkdown(`Profile${service.profiles.length === 1 ? '' : 's'}: ${service.profiles.join(', ')}${service.active ? '' : ' (not active: it starts only with Start Profile)'}\n\n`);
  md.appendMarkdown(service.hasHealthcheck ? '' : 'No healthcheck declared: running says only that its process is up.\n\n');
  for (const link of service.links) md.appendMarkdown(`[${link.label}](${link.url})  \n`);
  return md;
}

export class ServicesTreeProvider implements vscode.TreeDataProvider<ServiceTreeNode> {
  private readonly changed = new vscode.EventEmitter<ServiceTreeNode | ServiceTreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Service nodes last handed out, by id: a tick refreshes exactly these (reused, so VS Code knows them). */
  private readonly shown = new Map<string, Extract<ServiceTreeNode, { kind: 'service' }>>();
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly projects: () => ProjectEntry[],
    private readonly statusOf: (project: ProjectEntry) => StackStatus | undefined,
    /** Last health check output, read on demand (one inspect) when a tooltip is resolved. */
    private readonly healthDetail: (project: ProjectEntry, containerId: string) => Promise<string | undefined>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  refresh(): void {
    // The whole tree is asked again: its nodes are handed out anew (removed services drop out).
    this.shown.clear();
    this.changed.fire(undefined);
  }

  /**
   * While the view is visible, the rows that show a time up are refreshed once a second, so
   * "up 1 min 7 s" advances; hidden, nothing runs.
   */
  setVisible(visible: boolean): void {
    clearInterval(this.ticker);
    this.ticker = visible ? setInterval(() => this.tick(), 1000) : undefined;
  }

  /** Refreshes the rows that show a time up (and only those); returns how many. */
  tick(): number {
    const ticking = [...this.shown.values()].filter((n) => n.service.startedAt !== undefined);
    if (ticking.length > 0) this.changed.fire(ticking);
    return ticking.length;
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.changed.dispose();
  }

  getChildren(node?: ServiceTreeNode): ServiceTreeNode[] {
    if (!node) {
      const projects = this.projects();
      if (projects.length === 1) return this.projectChildren(projects[0]);
      return projects.map((project) => ({ kind: 'project', project }));
    }
    if (node.kind === 'project') return this.projectChildren(node.project);
    if (node.kind === 'profile') return this.serviceNodes(node.project, (s) => s.profiles.includes(node.profile));
    if (node.kind === 'service' && node.service.containers.length > 1) {
      return node.service.containers.map((container) => ({ kind: 'container', project: node.project, service: node.service, container }));
    }
    return [];
  }

  /** For reveal: a service's parent is its profile group or its project (none when the project is the only one). */
  getParent(node: ServiceTreeNode): ServiceTreeNode | undefined {
    if (node.kind === 'project') return undefined;
    if (node.kind === 'container') return this.serviceNode(node.project, node.service);
    if (node.kind === 'service' && node.service.profiles.length > 0) {
      const profile = node.service.profiles[0];
      return { kind: 'profile', project: node.project, profile, active: node.project.activeProfiles.includes(profile) };
    }
    return this.projects().length === 1 ? undefined : { kind: 'project', project: node.project };
  }

  private projectChildren(project: ProjectEntry): ServiceTreeNode[] {
    if (project.errors.length > 0 && project.services.length === 0) {
      return [{ kind: 'problem', project, message: 'The compose file cannot be read', detail: project.errors.map((e) => e.message).join('\n') }];
    }
    const status = this.statusOf(project);
    if (!status) return [{ kind: 'loading', project }];
    if (!status.reachable) {
      return [{ kind: 'problem', project, message: status.problem.cause, detail: `${status.problem.remedy}\n\n${status.problem.host}` }];
    }
    const profiles: ServiceTreeNode[] = project.profiles.map((profile) => ({ kind: 'profile', project, profile, active: project.activeProfiles.includes(profile) }));
    return [...this.serviceNodes(project, (s) => s.profiles.length === 0), ...profiles];
  }

  private serviceNodes(project: ProjectEntry, which: (s: ServiceStatus) => boolean): ServiceTreeNode[] {
    const status = this.statusOf(project);
    if (!status?.reachable) return [];
    return status.services.filter(which).map((service) => this.serviceNode(project, service));
  }

  /** The node of a service, the same object as before with its new state. */
  private serviceNode(project: ProjectEntry, service: ServiceStatus): Extract<ServiceTreeNode, { kind: 'service' }> {
    const id = `service:${project.dir}:${service.name}`;
    const node = this.shown.get(id);
    if (node) {
      node.project = project;
      node.service = service;
      return node;
    }
    const created = { kind: 'service' as const, project, service };
    this.shown.set(id, created);
    return created;
  }

  getTreeItem(node: ServiceTreeNode): vscode.TreeItem {
    const now = this.clock();
    switch (node.kind) {
      case 'project': {
        const status = this.statusOf(node.project);
        const item = new vscode.TreeItem(node.project.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = status?.reachable ? status.summary.text : undefined;
        item.tooltip = node.project.files.join('\n');
        item.iconPath = new vscode.ThemeIcon('layers');
        item.contextValue = 'project';
        item.id = `project:${node.project.dir}`;
        return item;
      }
      case 'profile': {
        const status = this.statusOf(node.project);
        const members = status?.reachable ? status.services.filter((s) => s.profiles.includes(node.profile)) : [];
        const running = members.filter((s) => s.containers.some((c) => c.state !== 'exited' && c.state !== 'created' && c.state !== 'dead'));
        const item = new vscode.TreeItem(`profile: ${node.profile}`, vscode.TreeItemCollapsibleState.Expanded);
        const from = node.project.profilesFrom === 'COMPOSE_PROFILES' ? 'COMPOSE_PROFILES' : '--profile';
        item.description = `${node.active ? `active (${from})` : 'not active'} · ${running.length}/${members.length} running`;
        item.tooltip = node.active
          ? `The profile ${node.profile} is active (${from}): Start Platform starts its services.`
          : `The profile ${node.profile} is not active: its services start only with Start Profile (docker compose --profile ${node.profile} up), or when COMPOSE_PROFILES names it.`;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = `profile ${node.active ? 'active' : 'inactive'}${running.length > 0 ? ' running' : ''}`;
        item.id = `profile:${node.project.dir}:${node.profile}`;
        return item;
      }
      case 'service': {
        const { service } = node;
        const collapsible = service.containers.length > 1 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
        const item = new vscode.TreeItem(service.name, collapsible);
        item.description = serviceDescription(service, now);
        item.tooltip = serviceTooltip(service, now);
        item.iconPath = stateIcon(service);
        item.contextValue = serviceContext(service);
        item.id = `service:${node.project.dir}:${service.name}`;
        return item;
      }
      case 'container': {
        const { container } = node;
        const item = new vscode.TreeItem(container.name);
        item.description = `${describeState(container)} · ${container.shortId}`;
        item.tooltip = container.statusText;
        item.iconPath = stateIcon({ state: container.state, exit: container.exit, hasHealthcheck: node.service.hasHealthcheck });
        item.contextValue = 'container';
        item.id = `container:${container.id}`;
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(node.message);
        item.description = 'Retry';
        item.tooltip = node.detail;
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
        item.contextValue = 'problem';
        item.command = { command: 'duckstack.services.retry', title: 'Retry' };
        return item;
      }
      case 'loading': {
        const item = new vscode.TreeItem('Reading services…');
        item.iconPath = new vscode.ThemeIcon('loading~spin');
        return item;
      }
    }
  }

  async resolveTreeItem(item: vscode.TreeItem, node: ServiceTreeNode): Promise<vscode.TreeItem> {
    if (node.kind !== 'service' || !node.service.hasHealthcheck || node.service.containers.length === 0) return item;
    const output = await this.healthDetail(node.project, node.service.containers[0].id);
    if (output && item.tooltip instanceof vscode.MarkdownString) {
      item.tooltip.appendMarkdown('\n\nLast health check:\n');
      item.tooltip.appendCodeblock(output.trim().slice(0, 1000), 'text');
    }
    return item;
  }
}
