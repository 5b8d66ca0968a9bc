// The one owner of every reason a view refreshes (the pattern of Microsoft's container tools'
// RefreshManager): file watchers, settings changes, workspace folders added or removed, the
// user's Refresh, and the view's visibility. Each view gets a scheduler (src/core/refresh): its
// own debounce, a manual refresh at once, nothing while hidden, one catch-up refresh when shown.
// A view's live sources (the services view's Docker events) run only while it is visible.
import * as vscode from 'vscode';
import { RefreshScheduler } from '../core/refresh/scheduler';

/** Why a view refreshes. */
export type RefreshReason = 'manual' | 'files' | 'settings' | 'workspaceFolders' | 'shown';

/** A view that joins the manager. */
export interface RefreshableView {
  /** The view's id in package.json, e.g. duckstack.services. */
  readonly id: string;
  /** Its tree view, whose visibility the manager follows. */
  readonly treeView: vscode.TreeView<unknown>;
  /** Glob patterns of the files its model is read from. */
  readonly watchPatterns: readonly string[];
  /** Settings sections that change its model (e.g. duckstack.databases). */
  readonly settings: readonly string[];
  /**
   * Whether deleting this path changes the model. A deleted folder is one event for the folder,
   * none for the files in it, so patterns alone miss a project folder removed whole.
   */
  affectedByDeletion(uri: vscode.Uri): boolean;
  /** Re-reads the model for these reasons. */
  refreshModel(reasons: ReadonlySet<RefreshReason>): Promise<void>;
  /** Starts (visible) or stops (hidden) what keeps the model live without being asked (event streams). */
  setLive(live: boolean): void;
}

/** What a view holds of the manager: ask for a refresh, or run what is held now. */
export interface ViewRefresh {
  request(reason: RefreshReason): Promise<void>;
  /** Runs held reasons now, visible or not: a command needs the model as it is. */
  flush(): Promise<void>;
}

const DEBOUNCE_MS = 300;

export class RefreshManager implements vscode.Disposable {
  private readonly views = new Map<string, { view: RefreshableView; scheduler: RefreshScheduler<RefreshReason> }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Deletions anywhere in the workspace, for folders removed whole. */
  private readonly deletions = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const { view, scheduler } of this.views.values()) {
          if (view.settings.some((section) => e.affectsConfiguration(section))) void scheduler.request('settings');
        }
      }),
      this.deletions,
      this.deletions.onDidDelete((uri) => {
        for (const { view, scheduler } of this.views.values()) if (view.affectedByDeletion(uri)) void scheduler.request('files');
      }),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        this.output.debug(`workspace folders: ${e.added.length} added, ${e.removed.length} removed`);
        for (const { scheduler } of this.views.values()) void scheduler.request('workspaceFolders');
      }),
    );
  }

  /** Adds a view: its watchers, its settings, its visibility, its debounce. */
  add(view: RefreshableView): ViewRefresh {
    const scheduler = new RefreshScheduler<RefreshReason>(
      async (reasons) => {
        this.output.debug(`${view.id}: refresh (${[...reasons].join(', ')})`);
        try {
          await view.refreshModel(reasons);
        } catch (e) {
          this.output.error(`${view.id}: refresh failed: ${e instanceof Error ? e.message : String(e)}`);
          throw e;
        }
      },
      { debounceMs: DEBOUNCE_MS, immediate: new Set<RefreshReason>(['manual', 'shown']) },
    );
    this.views.set(view.id, { view, scheduler });
    const onFiles = (): void => void scheduler.request('files');
    for (const pattern of view.watchPatterns) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      this.disposables.push(watcher, watcher.onDidChange(onFiles), watcher.onDidCreate(onFiles), watcher.onDidDelete(onFiles));
    }
    const visibility = (visible: boolean): void => {
      view.setLive(visible);
      if (visible) void scheduler.request('shown');
      void scheduler.setVisible(visible);
    };
    this.disposables.push(view.treeView.onDidChangeVisibility((e) => visibility(e.visible)), { dispose: () => scheduler.dispose() });
    if (view.treeView.visible) visibility(true);
    return { request: (reason) => scheduler.request(reason), flush: () => scheduler.flush() };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.views.clear();
  }
}
