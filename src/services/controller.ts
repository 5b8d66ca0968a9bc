import * as path from 'node:path';
import * as vscode from 'vscode';
import { ServiceMonitor } from '../core/docker/monitor';
import type { StackStatus } from '../core/docker/services';
import { platformStatusText } from '../core/docker/platform-status';
import { renderPlatformStatus } from './statusBar';
import type { RefreshableView, RefreshManager, RefreshReason, ViewRefresh } from '../refresh/manager';
import { COMPOSE_PROJECT_FILES_GLOB } from '../core/workspace/watch';
import { discoverProjects, type ProjectEntry } from './projects';
import { ServicesTreeProvider, type ServiceTreeNode } from './tree';

/**
 * Owns the services view's model: the projects of the workspace, one monitor per project, the
 * tree and the Platform status bar item. Two members of the refresh manager decide when:
 * - the projects (no view, so always followed): found at activation and reloaded when compose
 *   files, .env, workspace folders or trust change; the status bar shows as soon as one is found;
 * - the view: while it is visible the monitors follow the engine's events stream (no polling);
 *   hidden, they stop.
 * While the view is hidden nothing follows the engine: the status bar's state is ONE read (a list
 * call per project) when the projects are found or reloaded and on Refresh (after every compose
 * action), and says "as of" when it was read.
 */
export class ServicesController implements vscode.Disposable {
  readonly tree: ServicesTreeProvider;
  readonly view: vscode.TreeView<ServiceTreeNode>;
  /** Settles when the projects found at activation are loaded and read once (tests wait on it). */
  readonly ready: Promise<void>;
  private projects: ProjectEntry[] = [];
  private readonly monitors = new Map<string, ServiceMonitor>();
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> | undefined;
  /** While the view is visible the events streams run; hidden, they are stopped. */
  private live = false;
  private reloadChain: Promise<void> = Promise.resolve();
  private readonly changeListeners = new Set<() => void>();
  private readonly projectRefresh: ViewRefresh;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    refreshManager: RefreshManager,
  ) {
    this.tree = new ServicesTreeProvider(
      () => this.projects,
      (p) => this.monitors.get(p.dir)?.current,
      (p, id) => this.healthOutput(p, id),
    );
    this.view = vscode.window.createTreeView('duckstack.services', { treeDataProvider: this.tree, showCollapseAll: true });
    this.statusBar = vscode.window.createStatusBarItem('duckstack.platform', vscode.StatusBarAlignment.Left, 50);
    this.statusBar.name = 'DuckStack Platform';
    this.statusBar.command = 'duckstack.services.focus';
    this.disposables.push(this.view, this.statusBar, this.tree);
    const projects: RefreshableView = {
      id: 'duckstack.platform',
      watchPatterns: [COMPOSE_PROJECT_FILES_GLOB],
      settings: [],
      affectedByDeletion: (uri) => this.affectedByDeletion(uri),
      refreshModel: (reasons) => this.refreshProjects(reasons),
    };
    const view: RefreshableView = {
      id: 'duckstack.services',
      treeView: this.view,
      // The projects member follows the files; the view only follows its visibility.
      watchPatterns: [],
      settings: [],
      affectedByDeletion: () => false,
      refreshModel: () => this.ensureLoaded(),
      setLive: (live) => this.setLive(live),
    };
    this.projectRefresh = refreshManager.add(projects);
    refreshManager.add(view);
    this.ready = this.ensureLoaded()
      .then(() => (this.live ? undefined : this.readOnce()))
      .catch((e: unknown) => this.output.error(`Platform: the compose projects could not be read: ${e instanceof Error ? e.message : String(e)}`));
  }

  get treeView(): vscode.TreeView<ServiceTreeNode> {
    return this.view;
  }

  /** The projects found in the workspace (loads them on first use, and first applies file changes not read yet). */
  async getProjects(): Promise<ProjectEntry[]> {
    await this.projectRefresh.flush();
    await this.ensureLoaded();
    return this.projects;
  }

  statusOf(project: ProjectEntry): StackStatus | undefined {
    return this.monitors.get(project.dir)?.current;
  }

  /** Fires after every model change (tests and the status bar wait on it). */
  onDidChange(listener: () => void): vscode.Disposable {
    this.changeListeners.add(listener);
    return new vscode.Disposable(() => this.changeListeners.delete(listener));
  }

  /** A deleted folder that holds a project's folder removes that project. */
  private affectedByDeletion(uri: vscode.Uri): boolean {
    const deleted = uri.fsPath;
    return this.projects.some((p) => p.dir === deleted || p.dir.startsWith(deleted + path.sep));
  }

  /** Refresh (the command, and after a compose action): re-reads the compose files and the engine now, shown or hidden. */
  refresh(): Promise<void> {
    return this.projectRefresh.request('manual');
  }

  /**
   * The projects member's refresh: reloads the projects (files, folders, trust, Refresh). Hidden,
   * nothing follows the engine, so the state is read once; shown, the running monitors read the
   * changed projects themselves, and a Refresh reads every one at once.
   */
  private async refreshProjects(reasons: ReadonlySet<RefreshReason>): Promise<void> {
    await this.reload();
    if (reasons.has('manual') || !this.live) await this.readOnce();
  }

  /** One list call per project, whether or not its monitor follows the events. */
  private async readOnce(): Promise<void> {
    await Promise.all([...this.monitors.values()].map((m) => m.refresh('manual')));
  }

  /** Visible: the monitors watch the engine (each catches up with one list call). Hidden: they stop, and cost nothing. */
  private setLive(live: boolean): void {
    this.live = live;
    this.tree.setVisible(live);
    for (const monitor of this.monitors.values()) {
      if (live) monitor.start();
      else monitor.stop();
    }
    // Hidden, the status bar says as of when its state was read.
    this.updateStatusBar();
    if (live) void this.ensureLoaded();
  }

  /**
   * Shows the services view with one service selected (from the DuckDB view's "in use by").
   * Resolves with the node revealed, or undefined when no project of the workspace has that folder.
   */
  async revealService(projectDir: string, service: string): Promise<ServiceTreeNode | undefined> {
    await this.getProjects();
    const project = this.projects.find((p) => p.dir === projectDir);
    const monitor = project ? this.monitors.get(project.dir) : undefined;
    if (!project || !monitor) return undefined;
    const status = monitor.current ?? (await monitor.refresh('manual'));
    const found = status.reachable ? status.services.find((s) => s.name === service) : undefined;
    if (!found) return undefined;
    const node: ServiceTreeNode = { kind: 'service', project, service: found };
    await vscode.commands.executeCommand('duckstack.services.focus');
    // Shown, the view fetches its rows and the monitors catch up with one read, which refreshes
    // the tree; VS Code refuses to reveal a row while it refreshes the tree ("Data tree node not
    // found"), so a refused reveal is tried again once the model has changed or a moment later.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.view.reveal(node, { select: true, focus: true });
        return node;
      } catch (e) {
        if (attempt === 3) throw e;
        this.output.debug(`reveal ${service}: ${e instanceof Error ? e.message : String(e)}; trying again`);
        await this.nextChange(500);
      }
    }
  }

  /** Resolves on the next model change, or after timeoutMs. */
  private nextChange(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      const subscription = this.onDidChange(done);
    });
  }

  retry(): void {
    for (const monitor of this.monitors.values()) monitor.retry();
  }

  private async ensureLoaded(): Promise<void> {
    if (!this.loading) this.loading = this.reload();
    await this.loading;
  }

  /** Reloads one at a time: a watcher event and a Refresh at once must not open two monitors per project. */
  private reload(): Promise<void> {
    const next = this.reloadChain.then(() => this.reloadNow());
    // A failed reload must not stop the next one; the caller still sees the failure.
    this.reloadChain = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<void> {
    this.projects = await discoverProjects();
    const seen = new Set<string>();
    for (const project of this.projects) {
      seen.add(project.dir);
      for (const error of project.errors) this.output.warn(`${project.dir}: ${error.message}`);
      const existing = this.monitors.get(project.dir);
      if (existing) {
        existing.setProject(project);
        continue;
      }
      const monitor = await ServiceMonitor.open(project, process.env);
      monitor.onChange((status, reason) => {
        if (!status.reachable) this.output.warn(`Docker not reachable for ${status.project}: ${status.problem.cause} (${status.problem.detail})`);
        else this.output.debug(`${status.project}: ${status.summary.text} (${reason})`);
        this.changed();
      });
      this.monitors.set(project.dir, monitor);
      if (this.live) monitor.start();
    }
    for (const [dir, monitor] of this.monitors) {
      if (!seen.has(dir)) {
        monitor.stop();
        this.monitors.delete(dir);
      }
    }
    this.changed();
  }

  private changed(): void {
    this.tree.refresh();
    this.updateStatusBar();
    for (const listener of [...this.changeListeners]) listener();
  }

  private updateStatusBar(): void {
    const live = [...this.monitors.values()].some((m) => m.isRunning);
    renderPlatformStatus(this.statusBar, platformStatusText(this.projects, this.projects.map((p) => this.statusOf(p)), { live, trusted: vscode.workspace.isTrusted }));
  }

  private async healthOutput(project: ProjectEntry, containerId: string): Promise<string | undefined> {
    const detail = await this.monitors.get(project.dir)?.inspect(containerId);
    if (!detail?.ok) return undefined;
    return detail.value.health?.log.at(-1)?.output;
  }

  dispose(): void {
    for (const monitor of this.monitors.values()) monitor.stop();
    this.monitors.clear();
    for (const d of this.disposables) d.dispose();
  }
}
