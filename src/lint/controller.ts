import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRegularFile } from '../core/files';
import { fileKind, isContextFile, loadProjectContext, lintProject, lintText, type LintOptions, type ProjectContext } from '../core/lint/engine';
import { GIT_REFS_GLOB, LINTED_FILES_GLOB, workspaceSearch } from '../core/workspace/watch';
import type { RuleSetting } from '../core/lint/types';
import { allRules } from '../core/rules/index';
import { FindingDiagnostic } from './convert';
import type { RefreshableView, RefreshManager, RefreshReason, ViewRefresh } from '../refresh/manager';

/** A git ref moved (GIT_REFS_GLOB): the git-aware rules have a new baseline. */
const GIT_FILE = /(^|[\\/])\.git[\\/]/;

/**
 * Keeps DuckStack's diagnostics current: the whole workspace (closed files too) at activation,
 * open documents as they are typed, and files changed on disk. A member of the refresh manager
 * without a view (always visible): its watchers, settings, workspace folders, trust and the
 * debounce of typing are the manager's; its refresh lints what changed.
 */
export class LintController implements vscode.Disposable, RefreshableView {
  readonly id = 'duckstack.lint';
  readonly watchPatterns = [LINTED_FILES_GLOB, GIT_REFS_GLOB];
  readonly settings = ['duckstack.rules', 'duckstack.goldenVersionsFile', 'duckstack.lint'];
  readonly watchesCreatedFolders = true;
  readonly diagnostics = vscode.languages.createDiagnosticCollection('duckstack');
  private readonly contexts = new Map<string, Promise<ProjectContext>>();
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];
  private readonly listeners = new Set<(uri: vscode.Uri) => void>();
  private readonly refreshes: ViewRefresh;
  /** Settles when the first whole-workspace lint is done (tests wait on it). */
  readonly ready: Promise<void>;

  constructor(
    private readonly docs: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
    refreshManager: RefreshManager,
  ) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.lintDocument(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.lintDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) void this.refreshes.request('edit', e.document.uri);
      }),
    );
    this.refreshes = refreshManager.add(this);
    // Through the manager like every other lint, so that no two lints ever run at once.
    this.ready = this.lintWorkspace();
  }

  /** Lints the whole workspace again (the command, the first lint): one refresh of the manager, never beside another. */
  lintWorkspace(): Promise<void> {
    return this.refreshes.request('manual');
  }

  /** A deleted folder that held files with diagnostics. */
  affectedByDeletion(uri: vscode.Uri): boolean {
    return this.heldDiagnosticsUnder(uri);
  }

  /**
   * The refresh manager's call; refreshes never overlap, so neither do lints. Manual, settings,
   * workspace folders, trust or a git ref: every context and the whole workspace again. Files: a
   * folder created stands for the lintable files in it, found by a search (their own events may
   * never come); a context file (the engine's `isContextFile`: golden_versions.md, a .env, a
   * Dockerfile, a dbt profile, outside skipped folders) or a folder deleted whole (it may have held
   * one) re-lints its workspace folder; any other file is linted alone, and one that is gone loses
   * its diagnostics. Edits: the open documents typed in, from their text.
   */
  async refreshModel(reasons: ReadonlySet<RefreshReason>, changed: readonly vscode.Uri[]): Promise<void> {
    if (reasons.has('settings') || reasons.has('workspaceFolders') || reasons.has('trust') || reasons.has('manual')) {
      this.contexts.clear();
      await this.lintAll();
      return;
    }
    const edited = reasons.has('edit') ? changed : [];
    const files = reasons.has('files') ? await this.expandFolders(changed) : [];
    if (files.some((u) => GIT_FILE.test(u.fsPath))) {
      this.contexts.clear();
      await this.lintAll();
      return;
    }
    const contextChanged = files.filter((u) => isContextFile(this.rootOf(u), u.fsPath) || this.heldDiagnosticsUnder(u));
    if (contextChanged.length > 0) {
      for (const uri of contextChanged) this.contexts.delete(this.rootOf(uri));
      await this.lintAll();
      return;
    }
    const documents = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    const linted = new Set<string>();
    for (const uri of files) {
      const key = uri.toString();
      if (linted.has(key)) continue;
      linted.add(key);
      const open = documents.get(key);
      if (open) this.lintDocument(open);
      else await this.lintFromDisk(uri);
    }
    for (const uri of edited) {
      const open = documents.get(uri.toString());
      if (open && !linted.has(uri.toString())) this.lintDocument(open);
    }
  }

  /** The changed paths with each folder among them replaced by the lintable files it holds. */
  private async expandFolders(changed: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
    const search = workspaceSearch(LINTED_FILES_GLOB);
    const expanded: vscode.Uri[][] = [];
    for (const uri of changed) {
      const stat = uri.scheme === 'file' ? await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined) : undefined;
      expanded.push(stat?.type === vscode.FileType.Directory ? await vscode.workspace.findFiles(new vscode.RelativePattern(uri, search.include), search.exclude) : [uri]);
    }
    return expanded.flat();
  }

  /** Whether files under this path (a folder, gone now) had diagnostics. */
  private heldDiagnosticsUnder(uri: vscode.Uri): boolean {
    const prefix = uri.fsPath + path.sep;
    let held = false;
    this.diagnostics.forEach((file) => {
      if (!held && file.fsPath.startsWith(prefix)) held = true;
    });
    return held;
  }

  /** Fires after the diagnostics of a file were replaced. */
  onDidLint(listener: (uri: vscode.Uri) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration('duckstack').get<boolean>('lint.enable', true);
  }

  private options(): LintOptions {
    const config = vscode.workspace.getConfiguration('duckstack');
    return {
      ruleSet: allRules,
      rules: config.get<Record<string, RuleSetting>>('rules', {}),
      goldenVersionsFile: config.get<string>('goldenVersionsFile', '') || undefined,
      // A repository's own git config can run programs: git is read only in a trusted workspace.
      git: vscode.workspace.isTrusted,
      // The editor shows the working copy as it is: a missing .env is a finding here (never in CI).
      workingCopy: true,
    };
  }

  /** The root a file is linted in: its workspace folder, or its own folder when outside the workspace. */
  private rootOf(uri: vscode.Uri): string {
    return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  }

  /** The project context of a document's folder: golden versions, .env, Dockerfiles. */
  contextFor(uri: vscode.Uri): Promise<ProjectContext> {
    return this.context(this.rootOf(uri));
  }

  private context(root: string): Promise<ProjectContext> {
    let context = this.contexts.get(root);
    if (!context) {
      context = loadProjectContext(root, this.options());
      this.contexts.set(root, context);
    }
    return context;
  }

  /**
   * Lints every workspace folder from disk, then the open documents over it: dirty ones from
   * their text, and those outside the workspace folders (which no folder lint covers, and which
   * keep their diagnostics until then). Diagnostics of other files not found again are dropped.
   */
  async lintAll(): Promise<void> {
    if (!this.enabled()) {
      this.diagnostics.clear();
      return;
    }
    // What had diagnostics before this lint: those not found again go at its end (a file linted
    // meanwhile, from a watcher event, keeps what it got).
    const before: vscode.Uri[] = [];
    this.diagnostics.forEach((uri) => void before.push(uri));
    const linted = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const started = Date.now();
      const result = await lintProject(folder.uri.fsPath, this.options());
      this.contexts.set(folder.uri.fsPath, Promise.resolve(result.project));
      const byFile = new Map<string, FindingDiagnostic[]>();
      const kinds = new Map(result.files.map((f) => [f.file, f.kind]));
      for (const file of result.files) byFile.set(file.file, []);
      for (const finding of result.findings) {
        const kind = kinds.get(finding.file);
        if (kind) byFile.get(finding.file)?.push(new FindingDiagnostic(finding, kind, this.docs));
      }
      for (const [file, diagnostics] of byFile) {
        const uri = vscode.Uri.file(file);
        linted.add(uri.toString());
        this.set(uri, diagnostics);
      }
      for (const error of result.errors) this.output.warn(`lint: ${error}`);
      this.output.info(`Linted ${result.files.length} files in ${folder.name}: ${result.findings.length} findings (${Date.now() - started} ms)`);
    }
    const open = new Map(vscode.workspace.textDocuments.map((d) => [d.uri.toString(), d]));
    for (const uri of before) if (!linted.has(uri.toString()) && !open.has(uri.toString())) this.diagnostics.delete(uri);
    for (const [key, document] of open) if (document.isDirty || !linted.has(key)) this.lintDocument(document);
  }

  private set(uri: vscode.Uri, diagnostics: FindingDiagnostic[]): void {
    this.diagnostics.set(uri, diagnostics);
    for (const listener of [...this.listeners]) listener(uri);
  }

  /** Lints an open document's current text (unsaved edits included). */
  lintDocument(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || !this.enabled()) return;
    const root = this.rootOf(document.uri);
    const pending = this.context(root);
    void pending.then((context) => {
      if (this.contexts.get(root) !== pending) return;
      const kind = fileKind(context, document.uri.fsPath);
      if (kind === undefined) return;
      const findings = lintText({ file: document.uri.fsPath, text: document.getText(), kind }, context, this.options());
      this.set(document.uri, findings.map((f) => new FindingDiagnostic(f, kind, this.docs)));
    });
  }

  /**
   * DuckStack itself wrote a context file (a .env): re-lint the open documents of its folder now,
   * since a folder outside the workspace has no watcher, and the workspace folder soon after.
   */
  contextFileWritten(uri: vscode.Uri): void {
    this.contexts.delete(this.rootOf(uri));
    const dir = path.dirname(uri.fsPath);
    for (const document of vscode.workspace.textDocuments) {
      if (document.uri.scheme === 'file' && path.dirname(document.uri.fsPath) === dir) this.lintDocument(document);
    }
    if (vscode.workspace.getWorkspaceFolder(uri)) void this.refreshes.request('files', uri);
  }

  /** Lints a closed file from disk; a file that is gone loses its diagnostics. */
  private async lintFromDisk(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !this.enabled()) return;
    // Only a regular file is read: a FIFO named compose.yaml would hold a reader thread forever.
    const read = await readRegularFile(uri.fsPath);
    if (!read.ok) {
      this.diagnostics.delete(uri);
      return;
    }
    const root = this.rootOf(uri);
    const pending = this.context(root);
    const context = await pending;
    // The context was replaced meanwhile (a context file changed): the lint that replaced it covers this file.
    if (this.contexts.get(root) !== pending) return;
    const kind = fileKind(context, uri.fsPath);
    if (kind === undefined) return;
    const findings = lintText({ file: uri.fsPath, text: read.text, kind }, context, this.options());
    this.set(uri, findings.map((f) => new FindingDiagnostic(f, kind, this.docs)));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
