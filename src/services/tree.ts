import * as vscode from 'vscode';
import type { ServiceStatus, StackStatus, ServiceState, ContainerStatus } from '../core/docker/services';
import { describeState } from '../core/docker/services';
import type { ProjectEntry } from './projects';

/** Tree nodes: a compose project (shown as a group only when the workspace has several), its services, their containers. */
export type ServiceTreeNode =
  | { kind: 'project'; project: ProjectEntry }
  | { kind: 'service'; project: ProjectEntry; service: ServiceStatus }
  | { kind: 'container'; project: ProjectEntry; service: ServiceStatus; container: ContainerStatus }
  | { kind: 'problem'; project: ProjectEntry; message: string; detail: string }
  | { kind: 'loading'; project: ProjectEntry };

const STATE_ICONS: Record<ServiceState, [string, string | undefined]> = {
  healthy: ['pass-filled', 'testing.iconPassed'],
  running: ['circle-filled', 'charts.green'],
  starting: ['loading~spin', 'charts.yellow'],
  unhealthy: ['warning', 'list.errorForeground'],
  restarting: ['sync~spin', 'charts.orange'],
  exited: ['error', 'list.errorForeground'],
  paused: ['debug-pause', 'charts.yellow'],
  created: ['circle-large-outline', 'charts.blue'],
  'not-created': ['circle-large-outline', 'disabledForeground'],
  dead: ['close', 'list.errorForeground'],
};

export function stateIcon(state: ServiceState, exitCode?: number): vscode.ThemeIcon {
  // A clean exit (code 0) of a one-shot job is not a failure: show it quietly.
  if (state === 'exited' && exitCode === 0) return new vscode.ThemeIcon('pass', new vscode.ThemeColor('disabledForeground'));
  const [id, color] = STATE_ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function portsText(service: ServiceStatus): string {
  const seen = new Set<string>();
  for (const p of service.ports) if (p.published !== undefined) seen.add(`${p.published}→${p.target}`);
  return [...seen].join(', ');
}

/** contextValue encodes what the menus need: kind, state, and whether it has a UI or a container. */
function serviceContext(service: ServiceStatus): string {
  const parts = ['service', service.state];
  if (service.links.length > 0) parts.push('hasUi');
  if (service.containers.length > 0) parts.push('hasContainer');
  return parts.join(' ');
}

function serviceTooltip(service: ServiceStatus): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${service.name}**: ${describeState(service)}\n\n`);
  if (service.image) md.appendMarkdown(`Image: \`${service.image}\`\n\n`);
  if (service.ports.length > 0) md.appendMarkdown(`Ports: ${portsText(service)}\n\n`);
  if (service.upFor) md.appendMarkdown(`Up ${service.upFor}\n\n`);
  if (!service.hasHealthcheck) md.appendMarkdown('No healthcheck declared.\n\n');
  for (const link of service.links) md.appendMarkdown(`[${link.label}](${link.url})  \n`);
  return md;
}

export class ServicesTreeProvider implements vscode.TreeDataProvider<ServiceTreeNode> {
  private readonly changed = new vscode.EventEmitter<ServiceTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly projects: () => ProjectEntry[],
    private readonly statusOf: (project: ProjectEntry) => StackStatus | undefined,
    /** Last health check output, read on demand (one inspect) when a tooltip is resolved. */
    private readonly healthDetail: (project: ProjectEntry, containerId: string) => Promise<string | undefined>,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  getChildren(node?: ServiceTreeNode): ServiceTreeNode[] {
    if (!node) {
      const projects = this.projects();
      if (projects.length === 1) return this.projectChildren(projects[0]);
      return projects.map((project) => ({ kind: 'project', project }));
    }
    if (node.kind === 'project') return this.projectChildren(node.project);
    if (node.kind === 'service' && node.service.containers.length > 1) {
      return node.service.containers.map((container) => ({ kind: 'container', project: node.project, service: node.service, container }));
    }
    return [];
  }

  /** For reveal: a service's parent is its project, unless the project is the only one (services are then at the root). */
  getParent(node: ServiceTreeNode): ServiceTreeNode | undefined {
    if (node.kind === 'project') return undefined;
    if (node.kind === 'container') return { kind: 'service', project: node.project, service: node.service };
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
    return status.services.filter((s) => s.active).map((service) => ({ kind: 'service', project, service }));
  }

  getTreeItem(node: ServiceTreeNode): vscode.TreeItem {
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
      case 'service': {
        const { service } = node;
        const collapsible = service.containers.length > 1 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
        const item = new vscode.TreeItem(service.name, collapsible);
        const parts = [describeState(service)];
        const ports = portsText(service);
        if (ports) parts.push(ports);
        if (service.upFor) parts.push(`up ${service.upFor}`);
        if (service.containers.length > 1) parts.push(`${service.containers.length} replicas`);
        item.description = parts.join(' · ');
        item.tooltip = serviceTooltip(service);
        item.iconPath = stateIcon(service.state, service.exitCode);
        item.contextValue = serviceContext(service);
        item.id = `service:${node.project.dir}:${service.name}`;
        return item;
      }
      case 'container': {
        const { container } = node;
        const item = new vscode.TreeItem(container.name);
        item.description = `${describeState(container)} · ${container.shortId}`;
        item.tooltip = container.statusText;
        item.iconPath = stateIcon(container.state, container.exitCode);
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
