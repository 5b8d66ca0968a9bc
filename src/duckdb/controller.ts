import * as path from 'node:path';
import * as vscode from 'vscode';
import { dockerContainerResolver } from '../core/docker/containers';
import { findDatabases } from '../core/duckdb/discovery';
import { findLockHolders } from '../core/duckdb/holders';
import { DEFAULT_MAX_COPY_BYTES, DEFAULT_TIMEOUT_MS, previewTable, runReadOnlyQuery, sweepOnce, type ReadOptions } from '../core/duckdb/reader';
import { DuckDbCatalogService } from '../core/duckdb/service';
import { qualifiedName } from '../core/duckdb/sql';
import type { DuckDbDatabase, DuckDbRelation, QueryOutcome } from '../core/duckdb/types';
import type { RefreshableView, RefreshManager, RefreshReason, ViewRefresh, WatchPattern } from '../refresh/manager';
import { DuckDbPreview, type PreviewContent } from './preview';
import { DuckDbTreeProvider, type DuckDbTreeNode } from './tree';
import { DATABASE_DECLARING_FILES_GLOB, DATABASE_FILES_GLOB } from '../core/workspace/watch';

// Files whose content names databases; *.duckdb files appear and disappear (their writes are the
// catalog service's business, so only create and delete count for them).
const DATABASE_FILES: WatchPattern = { glob: DATABASE_FILES_GLOB, changes: false };

/** The timeout and copy limit from the settings. */
export function readOptions(): ReadOptions {
  const config = vscode.workspace.getConfiguration('duckstack.duckdb');
  const seconds = config.get<number>('queryTimeoutSeconds', DEFAULT_TIMEOUT_MS / 1000);
  const megabytes = config.get<number>('maxCopyMB', DEFAULT_MAX_COPY_BYTES / 1024 / 1024);
  return {
    timeoutMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : DEFAULT_TIMEOUT_MS,
    maxCopyBytes: Number.isFinite(megabytes) && megabytes >= 0 ? Math.round(megabytes * 1024 * 1024) : DEFAULT_MAX_COPY_BYTES,
  };
}

/**
 * Owns the DuckDB view: discovery over the workspace folders, the catalog service (which reads
 * snapshots of each file, never the file), the tree, and the preview panel. The refresh manager
 * decides when: nothing is read before the view is first shown or a command needs it; while it is
 * hidden, neither discovery nor the database files' watches run, and showing it catches up with
 * one discovery. DuckDB itself loads on the first read (reader.ts).
 */
export class DuckDbController implements vscode.Disposable, RefreshableView {
  readonly id = 'duckstack.duckdb';
  readonly watchPatterns = [DATABASE_DECLARING_FILES_GLOB, DATABASE_FILES];
  readonly settings = ['duckstack.databases'];
  private readonly resolveContainer = dockerContainerResolver(process.env);
  readonly service = new DuckDbCatalogService({
    read: readOptions,
    holders: (file) => findLockHolders(file, { resolveContainer: this.resolveContainer }),
  });
  readonly tree: DuckDbTreeProvider;
  readonly view: vscode.TreeView<DuckDbTreeNode>;
  readonly preview = new DuckDbPreview();
  private readonly disposables: vscode.Disposable[] = [];
  private discovering: Promise<void> | undefined;
  /** Discoveries run so far (tests count them). */
  discoveries = 0;
  private readonly changeListeners = new Set<() => void>();
  private readonly refreshes: ViewRefresh;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    refreshManager: RefreshManager,
  ) {
    this.tree = new DuckDbTreeProvider(this.service, () => this.ensureDiscovered());
    this.view = vscode.window.createTreeView('duckstack.duckdb', { treeDataProvider: this.tree, showCollapseAll: true });
    const serviceChanges = this.service.onDidChange((change) => {
      const state = change.path ? this.service.state(change.path) : undefined;
      if (state?.problem && !state.reading) this.output.debug(`${state.database.path}: ${state.problem.cause} (${state.problem.detail})`);
      this.changed();
    });
    this.disposables.push(this.view, this.tree, this.preview, { dispose: () => serviceChanges.dispose() });
    this.refreshes = refreshManager.add(this);
    // Snapshots a crashed window left behind go now, not at the first read.
    setTimeout(() => sweepOnce(), 0).unref();
  }

  get treeView(): vscode.TreeView<DuckDbTreeNode> {
    return this.view;
  }

  /** Fires after every change of the model (databases found, a catalog read, a lock). */
  onDidChange(listener: () => void): vscode.Disposable {
    this.changeListeners.add(listener);
    return new vscode.Disposable(() => this.changeListeners.delete(listener));
  }

  /** The databases found in the workspace (discovers them on first use, and first applies changes held while the view was hidden). */
  async databases(): Promise<DuckDbDatabase[]> {
    await this.refreshes.flush();
    await this.ensureDiscovered();
    return this.service.databases;
  }

  /** Finds the databases again and re-reads one database, or every one already read. */
  async refresh(databasePath?: string): Promise<void> {
    if (databasePath !== undefined) {
      await this.service.refresh(databasePath);
      return;
    }
    await this.refreshes.request('manual');
  }

  /** A deleted folder that held a database found in it. */
  affectedByDeletion(uri: vscode.Uri): boolean {
    const deleted = uri.fsPath;
    return this.service.databases.some((d) => d.path.startsWith(deleted + path.sep));
  }

  /**
   * The refresh manager's call. Before the first discovery, file and setting changes change
   * nothing (it runs when the view is shown or a command needs it); after it, they run discovery
   * again. A manual refresh also re-reads every database already read.
   */
  async refreshModel(reasons: ReadonlySet<RefreshReason>): Promise<void> {
    if (reasons.has('manual')) {
      await this.rereadAll();
      return;
    }
    if (!this.discovering) {
      if (reasons.has('shown')) await this.ensureDiscovered();
      return;
    }
    await this.discovering;
    if (reasons.has('files') || reasons.has('settings') || reasons.has('workspaceFolders')) await this.discover();
  }

  /** Visible: the catalog service watches the files it has read. Hidden: it watches nothing. */
  setLive(live: boolean): void {
    if (live) void this.ensureDiscovered().then(() => this.service.watch());
    else this.service.unwatch();
  }

  private async rereadAll(): Promise<void> {
    await this.discover();
    const read = this.service.databases.filter((d) => {
      const state = this.service.state(d.path);
      return state?.catalog !== undefined || state?.problem !== undefined;
    });
    await Promise.all(read.map((d) => this.service.refresh(d.path)));
  }

  /** Reads the first rows of a table or view and shows them in the preview panel. */
  async previewRelation(databasePath: string, relation: DuckDbRelation): Promise<PreviewContent> {
    const limit = this.rowLimit();
    const name = qualifiedName(relation.schema, relation.name);
    const outcome = await this.bounded(`Previewing ${name}`, (signal) => previewTable(databasePath, relation.schema, relation.name, { ...readOptions(), limit, signal }));
    if (!outcome.ok) this.output.warn(`Preview ${name} in ${databasePath}: ${outcome.problem.cause} (${outcome.problem.detail})`);
    return this.show({ title: name, subtitle: `${vscode.workspace.asRelativePath(databasePath)} · ${relation.kind}`, outcome, limit });
  }

  /** Runs SQL against a read-only open of the database and shows the last statement's rows. */
  async runQuery(databasePath: string, sql: string, origin: string): Promise<PreviewContent> {
    const limit = this.rowLimit();
    const outcome = await this.bounded(`Running ${origin} read-only`, (signal) => runReadOnlyQuery(databasePath, sql, { ...readOptions(), limit, signal }));
    if (!outcome.ok) this.output.warn(`Query from ${origin} on ${databasePath}: ${outcome.problem.cause} (${outcome.problem.detail})`);
    return this.show({ title: origin, subtitle: `${vscode.workspace.asRelativePath(databasePath)} · query`, outcome, limit }, vscode.ViewColumn.Beside);
  }

  /**
   * Runs a read in a progress notification with Cancel: cancel (or the timeout) interrupts DuckDB
   * and removes the snapshot at once.
   */
  private bounded(title: string, read: (signal: AbortSignal) => Promise<QueryOutcome>): Promise<QueryOutcome> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DuckDB: ${title}…`, cancellable: true }, (_progress, token) => {
        const abort = new AbortController();
        const subscription = token.onCancellationRequested(() => abort.abort());
        return read(abort.signal).finally(() => subscription.dispose());
      }),
    );
  }

  private show(content: PreviewContent, column?: vscode.ViewColumn): PreviewContent {
    this.preview.show(content, column);
    this.emitChange();
    return content;
  }

  private rowLimit(): number {
    const limit = vscode.workspace.getConfiguration('duckstack').get<number>('duckdb.previewRowLimit', 100);
    return Number.isFinite(limit) && limit > 0 ? Math.floor(limit) : 100;
  }

  private ensureDiscovered(): Promise<void> {
    this.discovering ??= this.discover();
    return this.discovering;
  }

  /** Discovery over every workspace folder, merged by path (a file named from two folders shows once). */
  private async discover(): Promise<void> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const found = await Promise.all(
      folders.map((folder) =>
        findDatabases(folder.uri.fsPath, {
          databases: vscode.workspace.getConfiguration('duckstack', folder.uri).get<string[]>('databases', []),
          processEnv: process.env,
        }),
      ),
    );
    const byPath = new Map<string, DuckDbDatabase>();
    for (const database of found.flat()) {
      const known = byPath.get(database.path);
      if (known) known.sources.push(...database.sources.filter((s) => !known.sources.some((k) => k.label === s.label)));
      else byPath.set(database.path, database);
    }
    this.discoveries++;
    this.service.setDatabases([...byPath.values()]);
    this.output.debug(`DuckDB: ${byPath.size} database(s) found`);
  }

  private changed(): void {
    this.tree.refresh();
    this.emitChange();
  }

  private emitChange(): void {
    for (const listener of [...this.changeListeners]) listener();
  }

  dispose(): void {
    this.service.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
