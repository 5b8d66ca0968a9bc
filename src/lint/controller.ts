import * as path from 'node:path';
import * as vscode from 'vscode';
import { readRegularFile } from '../core/files';
import { fileKind, loadProjectContext, lintProject, lintText, type LintOptions, type ProjectContext } from '../core/lint/engine';
import { GIT_REFS_GLOB, LINTED_FILES_GLOB, workspaceSearch } from '../core/workspace/watch';
import type { RuleSetting } from '../core/lint/types';
import { allRules } from '../core/rules/index';
import { FindingDiagnostic } from './convert';

/** Files whose change alters the context of every other file: re-lint the whole folder. */
const CONTEXT_FILE = /(^|[\\/])(golden_versions[^\\/]*\.md|\.env(\.example)?|Dockerfile[^\\/]*|[^\\/]*\.dockerfile)$/i;

/**
 * Keeps DuckStack's diagnostics current: the whole workspace (closed files too) at activation,
 * open documents as they are typed (debounced), and files changed on disk through a watcher.
 */
export class LintController implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('duckstack');
  private readonly contexts = new Map<string, Promise<ProjectContext>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private relintTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [this.diagnostics];
  private readonly listeners = new Set<(uri: vscode.Uri) => void>();
  /** Settles when the first whole-workspace lint is done (tests wait on it). */
  readonly ready: Promise<void>;

  constructor(
    private readonly docs: vscode.Uri,
    private readonly output: vscode.LogOutputChannel,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(LINTED_FILES_GLOB);
    this.disposables.push(
      watcher,
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => {
        this.diagnostics.delete(uri);
        if (CONTEXT_FILE.test(uri.fsPath)) this.relintFolderOf(uri);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.lintDocument(d)),
      vscode.workspace.onDidSaveTextDocument((d) => this.lintDocument(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.scheduleDocument(e.document)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('duckstack.rules') || e.affectsConfiguration('duckstack.goldenVersionsFile') || e.affectsConfiguration('duckstack.lint')) {
          this.contexts.clear();
          void this.lintAll();
        }
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.lintAll()),
      // The git-aware rules compare with HEAD: a commit, checkout or trust granted means a new baseline.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reloadContexts()),
    );
    // A folder created with files in it (mkdir then write, a copy, an unpacked archive) may report
    // only the folder: the watch on its files starts after they were written. Lint what it holds.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
    this.disposables.push(folders, folders.onDidCreate((uri) => void this.onCreated(uri)));
    const gitWatcher = vscode.workspace.createFileSystemWatcher(GIT_REFS_GLOB);
    this.disposables.push(gitWatcher, gitWatcher.onDidChange(() => this.reloadContexts()), gitWatcher.onDidCreate(() => this.reloadContexts()));
    this.ready = this.lintAll();
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

  /** Drops every project context (their git baselines with them) and lints again, once for a burst. */
  private reloadContexts(): void {
    this.contexts.clear();
    clearTimeout(this.relintTimer);
    this.relintTimer = setTimeout(() => void this.lintAll(), 200);
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

  private scheduleDocument(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.lintDocument(document);
    }, 300));
  }

  /** Lints an open document's current text (unsaved edits included). */
  lintDocument(document: vscode.TextDocument): void {
    if (document.uri.scheme !== 'file' || !this.enabled()) return;
    const root = this.rootOf(document.uri);
    const pending = this.context(root);
    void pending.then((context) => {
      // The context was replaced meanwhile (a context file changed): the lint that replaced it covers this file.
      if (this.contexts.get(root) !== pending) return;
      const kind = fileKind(context, document.uri.fsPath);
      if (kind === undefined) return;
      const findings = lintText({ file: document.uri.fsPath, text: document.getText(), kind }, context, this.options());
      this.set(document.uri, findings.map((f) => new FindingDiagnostic(f, kind, this.docs)));
    });
  }

  /** A folder created: its lintable files, found by a search (their own events may never come). */
  private async onCreated(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file') return;
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    if (stat?.type !== vscode.FileType.Directory) return;
    const search = workspaceSearch(LINTED_FILES_GLOB);
    const files = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, search.include), search.exclude);
    for (const file of files) this.onDiskChange(file);
  }

  private onDiskChange(uri: vscode.Uri): void {
    if (CONTEXT_FILE.test(uri.fsPath)) {
      this.relintFolderOf(uri);
      return;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) {
      this.lintDocument(open);
      return;
    }
    if (uri.scheme !== 'file') return;
    // Only a regular file is read: a FIFO named compose.yaml would hold a reader thread forever.
    void readRegularFile(uri.fsPath).then((read) => {
      if (!read.ok) {
        this.diagnostics.delete(uri);
        return;
      }
      const root = this.rootOf(uri);
      const pending = this.context(root);
      void pending.then((context) => {
        if (this.contexts.get(root) !== pending) return;
        const kind = fileKind(context, uri.fsPath);
        if (kind === undefined) return;
        const findings = lintText({ file: uri.fsPath, text: read.text, kind }, context, this.options());
        this.set(uri, findings.map((f) => new FindingDiagnostic(f, kind, this.docs)));
      });
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
    if (vscode.workspace.getWorkspaceFolder(uri)) this.relintFolderOf(uri);
  }

  /** golden_versions.md, .env, .env.example or a Dockerfile changed: every file's context did. */
  private relintFolderOf(uri: vscode.Uri): void {
    this.contexts.delete(this.rootOf(uri));
    // A save or a git checkout changes several such files at once: one re-lint for the burst.
    clearTimeout(this.relintTimer);
    this.relintTimer = setTimeout(() => void this.lintAll(), 200);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    clearTimeout(this.relintTimer);
    for (const d of this.disposables) d.dispose();
  }
}
