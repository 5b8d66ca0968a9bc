// The one owner of every reason a view refreshes (the pattern of Microsoft's container tools'
// RefreshManager): file watchers, settings changes, workspace folders added or removed, the
// user's Refresh, and the view's visibility. Each member gets a scheduler (src/core/refresh): its
// own debounce, a manual refresh at once, nothing while hidden, one catch-up refresh when shown.
// A member's live sources (the services view's Docker events, the DuckDB view's file watches) run
// only while it is visible. A member without a view (the lint diagnostics) is always visible.
import * as vscode from 'vscode';
import { RefreshScheduler } from '../core/refresh/scheduler';

/** Why a member refreshes. */
export type RefreshReason = 'manual' | 'files' | 'settings' | 'workspaceFolders' | 'shown' | 'edit' | 'trust';

/** A glob whose files feed a member's model; `changes: false` counts only files appearing and going. */
export interface WatchPattern {
  glob: string;
  changes?: boolean;
}

/** A member of the manager: a view, or a model shown elsewhere (the diagnostics). */
export interface RefreshableView {
  /** The view's id in package.json (e.g. duckstack.services), or the model's name. */
  readonly id: string;
  /** Its tree view, whose visibility the manager follows; none: always visible. */
  readonly treeView?: vscode.TreeView<unknown>;
  /** The files its model is read from: each change is a 'files' reason with the file as subject. */
  readonly watchPatterns: readonly (string | WatchPattern)[];
  /** Settings sections that change its model (e.g. duckstack.databases). */
  readonly settings: readonly string[];
  /**
   * Whether deleting this path changes the model. A deleted folder is one event for the folder,
   * none for the files in it, so patterns alone miss a folder removed whole.
   */
  affectedByDeletion(uri: vscode.Uri): boolean;
  /**
   * Whether a folder created in the workspace is a 'files' reason with the folder as subject. A
   * folder created with files in it (mkdir then write, a copy) may report only the folder.
   */
  readonly watchesCreatedFolders?: boolean;
  /** Re-reads the model for these reasons; `changed` holds the subjects (files, documents) they name. */
  refreshModel(reasons: ReadonlySet<RefreshReason>, changed: readonly vscode.Uri[]): Promise<void>;
  /** Starts (visible) or stops (hidden) what keeps the model live without being asked. */
  setLive?(live: boolean): void;
}

/** What a member holds of the manager: ask for a refresh, or run what is held now. */
export interface ViewRefresh {
  request(reason: RefreshReason, subject?: vscode.Uri): Promise<void>;
  /** Runs held reasons now, visible or not: a command needs the model as it is. */
  flush(): Promise<void>;
}

const DEBOUNCE_MS = 300;

export class RefreshManager implements vscode.Disposable {
  private readonly views = new Map<string, { view: RefreshableView; scheduler: RefreshScheduler<RefreshReason> }>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Folders created or deleted whole anywhere in the workspace (their files may report nothing). */
  private readonly folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);

  constructor(private readonly output: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        for (const { view, scheduler } of this.views.values()) {
          if (view.settings.some((section) => e.affectsConfiguration(section))) void scheduler.request('settings');
        }
      }),
      this.folders,
      this.folders.onDidDelete((uri) => {
        for (const { view, scheduler } of this.views.values()) if (view.affectedByDeletion(uri)) void scheduler.request('files', uri.toString());
      }),
      this.folders.onDidCreate((uri) => void this.folderCreated(uri)),
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        this.output.debug(`workspace folders: ${e.added.length} added, ${e.removed.length} removed`);
        for (const { scheduler } of this.views.values()) void scheduler.request('workspaceFolders');
      }),
      // The git-aware rules and anything read only in a trusted workspace start over.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const { scheduler } of this.views.values()) void scheduler.request('trust');
      }),
    );
  }

  /** Adds a member: its watchers, its settings, its visibility, its debounce. */
  add(view: RefreshableView): ViewRefresh {
    const scheduler = new RefreshScheduler<RefreshReason>(
      async (reasons, subjects) => {
        this.output.debug(`${view.id}: refresh (${[...reasons].join(', ')}${subjects.size > 0 ? `; ${subjects.size} changed` : ''})`);
        try {
          await view.refreshModel(reasons, [...subjects].map((s) => vscode.Uri.parse(s)));
        } catch (e) {
          this.output.error(`${view.id}: refresh failed: ${e instanceof Error ? e.message : String(e)}`);
          throw e;
        }
      },
      { debounceMs: DEBOUNCE_MS, immediate: new Set<RefreshReason>(['manual', 'shown']) },
    );
    this.views.set(view.id, { view, scheduler });
    const onFile = (uri: vscode.Uri): void => void scheduler.request('files', uri.toString());
    for (const pattern of view.watchPatterns) {
      const { glob, changes = true } = typeof pattern === 'string' ? { glob: pattern } : pattern;
      const watcher = vscode.workspace.createFileSystemWatcher(glob, false, !changes, false);
      this.disposables.push(watcher, watcher.onDidCreate(onFile), watcher.onDidDelete(onFile));
      if (changes) this.disposables.push(watcher.onDidChange(onFile));
    }
    this.disposables.push({ dispose: () => scheduler.dispose() });
    const treeView = view.treeView;
    if (treeView) {
      const visibility = (visible: boolean): void => {
        view.setLive?.(visible);
        if (visible) void scheduler.request('shown');
        void scheduler.setVisible(visible);
      };
      this.disposables.push(treeView.onDidChangeVisibility((e) => visibility(e.visible)));
      if (treeView.visible) visibility(true);
    } else {
      view.setLive?.(true);
      void scheduler.setVisible(true);
    }
    return { request: (reason, subject) => scheduler.request(reason, subject?.toString()), flush: () => scheduler.flush() };
  }

  private async folderCreated(uri: vscode.Uri): Promise<void> {
    const members = [...this.views.values()].filter(({ view }) => view.watchesCreatedFolders);
    if (members.length === 0 || uri.scheme !== 'file') return;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (stat?.type !== vscode.FileType.Directory) return;
    for (const { scheduler } of members) void scheduler.request('files', uri.toString());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.views.clear();
  }
}
