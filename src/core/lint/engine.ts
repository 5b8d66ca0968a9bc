// The lint engine: classifies files, parses each once, builds the rule context, runs the rules,
// applies severity settings and suppression comments, and turns offsets into lines and columns.
// Nothing thrown by a parser or a rule leaves it: bad input becomes findings.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument, visit, type Document } from 'yaml';
import { parseDotEnv } from '../compose/env';
import { findComposeFiles } from '../compose/project';
import { readRegularFileBytes, readRegularFileSync, regularFileProblem } from '../files';
import { loadGitBaseline } from '../git/baseline';
import { findGoldenVersionsFile, noGoldenVersions, parseGoldenVersions } from '../golden/golden';
import { decodeUtf8 } from '../fs/text';
import { classifyFile, isYamlFile } from '../workspace/classify';
import { isIgnoredPath } from '../workspace/ignore';
import { workspaceFiles } from '../workspace/walk';
import { duckdbFilesOfProfiles } from './duckdb-files';
import { applyFixes } from './fix';
import { LineIndex } from '../text/positions';
import { isSuppressed, readSuppressions } from './suppress';
import { duplicateKeys, getNode, resolve, scalarText } from '../yaml/ast';
import type { Finding, Fix, ProjectFiles, Report, Rule, RuleContext, RuleSetting, Severity } from './types';
import type { FileKind } from '../workspace/classify';
import type { GoldenVersions } from '../golden/types';

/** Findings the engine itself makes, documented in docs/rules.md like the rules. */
export const ENGINE_FINDINGS = {
  'yaml-syntax': { description: 'The YAML file cannot be parsed (syntax error, duplicate key, or an alias bomb).', defaultSeverity: 'error' },
  'internal-error': { description: 'A rule failed on this file; the other rules still ran. Please report it.', defaultSeverity: 'warning' },
  'file-not-utf8': { description: 'The file is not valid UTF-8: it is linted as far as it can be read, but never rewritten (no fixes).', defaultSeverity: 'warning' },
} as const satisfies Record<string, { description: string; defaultSeverity: Severity }>;

export interface LintOptions {
  /** Rule id → off/info/warning/error; rules not named keep their default severity. */
  rules?: Readonly<Record<string, RuleSetting>>;
  /** The `duckstack.goldenVersionsFile` setting, absolute or relative to the root. */
  goldenVersionsFile?: string;
  /** The rules to run: callers pass the registry (`allRules` of src/core/rules) or a part of it. */
  ruleSet: readonly Rule[];
  /** Read git for the git-aware rules (default true; the editor passes false in an untrusted workspace). */
  git?: boolean;
  /**
   * Run the rules that judge the working copy (`meta.workingCopy`: a missing .env). Default false,
   * as in CI; the editor and `duckstack lint` outside CI pass true.
   */
  workingCopy?: boolean;
}

/** Kinds of files a project context reads: changing one means loading the context again. */
export const CONTEXT_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['dockerfile', 'dbtProfiles', 'goldenVersions', 'env']);

/** The nearest .env and .env.example of a file: .env's values, the names .env.example documents and its values. */
export type ProjectEnv = Pick<RuleContext, 'env' | 'envExample' | 'envExampleValues'>;

/**
 * Whether a change of this file (written, created or deleted) changes the project context of the
 * root, so that every file of it must be linted again: a Dockerfile, a dbt profile, the golden
 * file, a .env. A file in a skipped folder never does.
 */
export function isContextFile(root: string, file: string): boolean {
  if (isIgnoredPath(root, file)) return false;
  const kind = classifyFile(path.resolve(root, file));
  return kind !== undefined && CONTEXT_KINDS.has(kind);
}

/** What the engine knows about a workspace folder, shared by every file linted in it. */
export interface ProjectContext {
  root: string;
  golden: GoldenVersions;
  /** Files named by COMPOSE_FILE in the root's .env: compose files whatever their names. */
  composeFiles: ReadonlySet<string>;
  project: ProjectFiles;
  /** Files and folders the context needed that exist but could not be read: I/O errors to report. */
  errors: string[];
  /** The nearest .env and .env.example of a file, from its folder up to the root. */
  envFor(file: string): ProjectEnv;
}

// Generous for real files (hundreds of `<<: *defaults`), still stops a billion-laughs document at once.
const MAX_ALIAS_COUNT = 10_000;

/**
 * The paths a compose file names under `include:` (string, list, or `{path}` entries), absolute.
 * Read from the syntax tree without expanding aliases, so a file that is an alias bomb elsewhere
 * still names what it includes (and those files are linted); a syntax error includes nothing here.
 */
function includedFiles(composeFile: string, errors: string[]): string[] {
  const text = readContextFile(composeFile, errors);
  if (text === undefined || !/^include\s*:/m.test(text)) return [];
  const doc = parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const include = getNode(doc, doc.contents, 'include');
  const entries = isSeq(include) ? include.items.map((item) => resolve(doc, item)) : [include];
  const paths: string[] = [];
  for (const entry of entries) {
    const p = isMap(entry) ? getNode(doc, entry, 'path') : entry;
    for (const item of isSeq(p) ? p.items : [p]) {
      const value = scalarText(resolve(doc, item));
      if (value !== undefined) paths.push(path.resolve(path.dirname(composeFile), value));
    }
  }
  return paths;
}

/** Reads the golden file, the root's .env (for COMPOSE_FILE), the project's Dockerfiles and the DuckDB files its dbt profiles name. */
export async function loadProjectContext(root: string, options: Pick<LintOptions, 'goldenVersionsFile' | 'git'> = {}): Promise<ProjectContext> {
  const absRoot = path.resolve(root);
  const errors: string[] = [];
  if (options.goldenVersionsFile) {
    const setting = path.resolve(absRoot, options.goldenVersionsFile);
    const problem = regularFileProblem(setting);
    if (problem) errors.push(`${setting} (the golden versions file): ${problem}`);
  }
  const goldenFile = findGoldenVersionsFile(absRoot, options.goldenVersionsFile);
  const goldenText = goldenFile ? readContextFile(goldenFile, errors) : undefined;
  const golden = goldenFile && goldenText !== undefined ? parseGoldenVersions(goldenText, goldenFile).golden : noGoldenVersions;
  const rootEnvText = readContextFile(path.join(absRoot, '.env'), errors);
  const rootEnv = rootEnvText === undefined ? new Map<string, string>() : parseDotEnv(rootEnvText);
  const composeFiles = new Set(rootEnv.has('COMPOSE_FILE') ? findComposeFiles(absRoot, rootEnv) : []);
  // Files the root project pulls in with `include:` are compose files whatever their names.
  for (const file of findComposeFiles(absRoot, rootEnv)) for (const included of includedFiles(file, errors)) composeFiles.add(included);
  // Unreadable folders and files are reported by the lint that walks them; here they are only left out.
  const files = workspaceFiles(absRoot);
  const dockerfiles = files
    .filter((f) => classifyFile(f) === 'dockerfile')
    .flatMap((file) => {
      const read = readRegularFileSync(file);
      return read.ok ? [{ file, text: read.text }] : [];
    });
  const duckdbFiles = files
    .filter((f) => classifyFile(f) === 'dbtProfiles')
    .flatMap((file) => {
      const read = readRegularFileSync(file);
      return read.ok ? duckdbFilesOfProfiles(file, read.text, rootEnv) : [];
    });
  // Git-aware rules compare with the committed files; without git they are off.
  const git = options.git === false ? undefined : await loadGitBaseline(absRoot);
  return makeProjectContext(absRoot, golden, composeFiles, git ? { dockerfiles, duckdbFiles, git } : { dockerfiles, duckdbFiles }, errors);
}

export function makeProjectContext(
  root: string,
  golden: GoldenVersions,
  composeFiles: ReadonlySet<string>,
  project: ProjectFiles,
  errors: string[] = [],
): ProjectContext {
  const envCache = new Map<string, ProjectEnv>();
  const nearest = (dir: string, names: string[]): string | undefined => {
    for (let d = dir; ; d = path.dirname(d)) {
      for (const name of names) {
        const text = readContextFile(path.join(d, name), errors);
        if (text !== undefined) return text;
      }
      if (d === root || !d.startsWith(root) || path.dirname(d) === d) return undefined;
    }
  };
  return {
    root,
    golden,
    composeFiles,
    project,
    errors,
    envFor(file) {
      const dir = path.dirname(path.resolve(root, file));
      let found = envCache.get(dir);
      if (!found) {
        const envText = nearest(dir, ['.env']);
        const exampleText = nearest(dir, ['.env.example', '.env.sample', '.env.template']);
        const exampleValues = exampleText === undefined ? new Map<string, string>() : parseDotEnv(exampleText);
        found = {
          env: envText === undefined ? new Map() : parseDotEnv(envText),
          envExample: new Set(exampleText === undefined ? [] : [...exampleValues.keys(), ...bareNames(exampleText)]),
          envExampleValues: exampleValues,
        };
        envCache.set(dir, found);
      }
      return found;
    },
  };
}

// .env.example often documents a variable with no value ("SECRET_KEY=" or just "SECRET_KEY").
function bareNames(text: string): string[] {
  return [...text.matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*$/gm)].map((m) => m[1]);
}

/**
 * The kind of a file of this project, as every engine and the editor decide it: undefined in a
 * folder the ignore list skips, else classifyFile with the project's COMPOSE_FILE names.
 */
export function fileKind(project: Pick<ProjectContext, 'root' | 'composeFiles'>, file: string): FileKind | undefined {
  const abs = path.resolve(project.root, file);
  return isIgnoredPath(project.root, abs) ? undefined : classifyFile(abs, project.composeFiles);
}

export interface LintTextInput {
  file: string;
  text: string;
  /** Default: classified from the file name. */
  kind?: FileKind;
}

/**
 * Lints one document (an open editor's text, or a file's) in its project. Never throws: a failure
 * anywhere (the parser's included) becomes an internal-error finding on that file.
 */
export function lintText(input: LintTextInput, project: ProjectContext, options: LintOptions): Finding[] {
  // The same text in the same project with the same options (the report, then the first fix pass) is linted once.
  const file = path.resolve(project.root, input.file);
  const kind = input.kind ?? fileKind(project, file);
  const cached = lastLint.get(project)?.get(file);
  if (cached && cached.text === input.text && cached.kind === kind && cached.options === options) return cached.findings.slice();
  const findings = lintTextSafely({ ...input, ...(kind ? { kind } : {}) }, project, options);
  let byFile = lastLint.get(project);
  if (!byFile) lastLint.set(project, (byFile = new Map()));
  byFile.set(file, { text: input.text, kind, options, findings });
  return findings.slice();
}

/** The last lint of each file per project context: its text, kind, options object and findings. */
const lastLint = new WeakMap<ProjectContext, Map<string, { text: string; kind: FileKind | undefined; options: LintOptions; findings: Finding[] }>>();

function lintTextSafely(input: LintTextInput, project: ProjectContext, options: LintOptions): Finding[] {
  try {
    return lintTextOrThrow(input, project, options);
  } catch (e) {
    const severity = options.rules?.['internal-error'];
    if (severity === 'off') return [];
    return [{
      ruleId: 'internal-error',
      severity: severity ?? ENGINE_FINDINGS['internal-error'].defaultSeverity,
      message: `DuckStack could not lint this file: ${e instanceof Error ? e.message : String(e)}`,
      file: path.resolve(project.root, input.file),
      start: 0,
      end: 0,
      line: 0,
      column: 0,
      endLine: 0,
      endColumn: 0,
    }];
  }
}

function lintTextOrThrow(input: LintTextInput, project: ProjectContext, options: LintOptions): Finding[] {
  const file = path.resolve(project.root, input.file);
  const kind = input.kind ?? fileKind(project, file);
  if (kind === undefined) return [];
  const text = input.text;
  // Binary junk is not configuration: nothing to say about it.
  if (text.slice(0, 8192).includes('\u0000')) return [];
  const ruleSet = options.ruleSet.filter((r) => r.meta.kinds.includes(kind) && (options.workingCopy === true || r.meta.workingCopy !== true));
  const severityOf = (id: string, fallback: Severity): Severity | undefined => {
    const setting = options.rules?.[id];
    return setting === 'off' ? undefined : (setting ?? fallback);
  };
  const index = new LineIndex(text);
  const suppressions = readSuppressions(text, kind);
  const findings: Finding[] = [];
  // A node shared through an anchor (`environment: *common`) is reported once, not once per user.
  const seen = new Set<string>();
  const push = (ruleId: string, severity: Severity | undefined, message: string, start: number, end: number, report?: Report): void => {
    if (severity === undefined) return;
    const key = `${ruleId}\u0000${start}\u0000${end}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const s = index.position(start);
    if (isSuppressed(suppressions, ruleId, s.line)) return;
    const e = index.position(Math.max(end, start));
    const finding: Finding = { ruleId, severity, message, file, start, end: Math.max(end, start), line: s.line, column: s.column, endLine: e.line, endColumn: e.column };
    if (report) finding.messageId = report.messageId;
    if (report?.data) finding.data = report.data;
    if (report?.fix) finding.fix = report.fix;
    findings.push(finding);
  };

  let yaml: Document.Parsed | undefined;
  if (isYamlFile(file, kind)) {
    const syntaxSeverity = severityOf('yaml-syntax', ENGINE_FINDINGS['yaml-syntax'].defaultSeverity);
    let parsed: ReturnType<typeof parseYaml>;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      // The parser itself gave up (nesting deep enough to exhaust its stack, for one).
      push('yaml-syntax', syntaxSeverity, `The YAML parser gave up on this file: ${e instanceof Error ? e.message : String(e)}`, 0, 0);
      return findings;
    }
    for (const problem of parsed.problems) push('yaml-syntax', syntaxSeverity, problem.message, problem.start, problem.end);
    // Rules read a well-formed document only, as ESLint does: a half-parsed one would mislead them.
    if (parsed.problems.length > 0) return findings;
    yaml = parsed.doc;
  }

  const { env, envExample, envExampleValues } = project.envFor(file);
  const ctx: RuleContext = { file, kind, text, root: project.root, golden: project.golden, env, envExample, envExampleValues, project: project.project };
  if (yaml) ctx.yaml = yaml;
  for (const rule of ruleSet) {
    const severity = severityOf(rule.id, rule.meta.defaultSeverity);
    if (severity === undefined) continue;
    let reports: Report[];
    try {
      reports = rule.check(ctx);
    } catch (e) {
      push('internal-error', severityOf('internal-error', ENGINE_FINDINGS['internal-error'].defaultSeverity),
        `Rule ${rule.id} failed on this file: ${e instanceof Error ? e.message : String(e)}`, 0, 0);
      continue;
    }
    for (const report of reports) {
      const template = rule.meta.messages[report.messageId] ?? report.messageId;
      const { fix, ...withoutFix } = report;
      // A fix from a rule not declared fixable is dropped, as ESLint refuses it.
      push(rule.id, severity, formatMessage(template, report.data), report.start, report.end, rule.meta.fixable && fix ? report : withoutFix);
    }
  }
  return findings.sort((a, b) => a.start - b.start || a.ruleId.localeCompare(b.ruleId));
}

const MAX_FIX_PASSES = 10;

/**
 * Applies every fix to one document ("fix all"), re-linting between passes so that fixes which
 * overlapped in one pass get their turn in the next. Returns the text unchanged if nothing applies.
 * Line insertions at one place (several volumes declared in one block) apply in one pass; should
 * that ever break the YAML, the pass is redone taking one insertion per place.
 * `accept` leaves out fixes the caller cannot apply (a secret that could not be kept in .env).
 */
export function fixText(input: LintTextInput, project: ProjectContext, options: LintOptions, accept: (fix: Fix) => boolean = () => true): string {
  let text = input.text;
  let findings = lintText({ ...input, text }, project, options);
  let merge = true;
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const fixes = findings.flatMap((f) => (f.fix && accept(f.fix) ? [f.fix] : []));
    if (fixes.length === 0) break;
    const next = applyFixes(text, fixes, { mergeLineInsertions: merge });
    if (next === text) break;
    const nextFindings = lintText({ ...input, text: next }, project, options);
    if (merge && nextFindings.some((f) => f.ruleId === 'yaml-syntax') && !findings.some((f) => f.ruleId === 'yaml-syntax')) {
      merge = false;
      pass--;
      continue;
    }
    text = next;
    findings = nextFindings;
  }
  return text;
}

export function formatMessage(template: string, data: Report['data']): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (data && name in data ? String(data[name]) : whole));
}

/** Parses YAML once, bounding alias expansion; problems are positioned findings, never exceptions. */
export function parseYaml(text: string): { doc: Document.Parsed; problems: Array<{ message: string; start: number; end: number }> } {
  const doc = parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: false });
  const problems = doc.errors.map((e) => ({ message: e.message.split('\n')[0], start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) }));
  for (const d of duplicateKeys(doc)) problems.push({ message: `Map keys must be unique: "${d.key}" is repeated`, start: d.start, end: d.end });
  if (problems.length === 0) {
    let firstAlias: [number, number] | undefined;
    visit(doc, {
      Alias(_, node) {
        firstAlias = node.range ? [node.range[0], node.range[1]] : [0, 0];
        return visit.BREAK;
      },
    });
    if (firstAlias) {
      // Expanding is what a consumer (docker compose) does: an alias bomb must be a finding, not a hang.
      try {
        doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (e) {
        problems.push({ message: `Too many alias expansions (more than ${MAX_ALIAS_COUNT}): ${e instanceof Error ? e.message : String(e)}`, start: firstAlias[0], end: firstAlias[1] });
      }
    }
  }
  return { doc, problems };
}

export interface WorkspaceLintOptions extends LintOptions {
  /** Files or folders to lint (absolute or relative to root); default: the whole root. */
  paths?: readonly string[];
}

export interface WorkspaceLint {
  findings: Finding[];
  /** Every file that was linted, with the text it had. */
  files: Array<{ file: string; kind: FileKind; text: string }>;
  /** Paths that could not be read: I/O errors, not findings. */
  errors: string[];
  /** The project context the files were linted in, for callers that lint or fix more. */
  project: ProjectContext;
}

/**
 * Lints every classified file under the root (or the given paths), closed files included.
 * `context`: a project context loaded before, when none of the files it reads has changed since
 * (after fixing compose files, say); texts it has already linted with these options are not linted again.
 */
export async function lintProject(root: string, options: WorkspaceLintOptions, context?: ProjectContext): Promise<WorkspaceLint> {
  const absRoot = path.resolve(root);
  const project = context ?? (await loadProjectContext(absRoot, options));
  const errors: string[] = [];
  const candidates: string[] = [];
  for (const p of options.paths ?? [absRoot]) {
    const abs = path.resolve(absRoot, p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (e) {
      errors.push(`${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (stat.isDirectory()) for (const file of workspaceFiles(abs, errors)) candidates.push(file);
    else candidates.push(abs);
  }
  const explicit = new Set((options.paths ?? []).map((p) => path.resolve(absRoot, p)));
  const result: WorkspaceLint = { findings: [], files: [], errors, project };
  for (const file of [...new Set(candidates)]) {
    const kind = fileKind(project, file);
    if (kind === undefined) {
      const rel = path.relative(absRoot, file) || file;
      if (explicit.has(file)) errors.push(isIgnoredPath(absRoot, file) ? `${rel}: in a folder DuckStack skips (dependencies, build output, logs, dot folders)` : `${rel}: not a file DuckStack lints`);
      continue;
    }
    const read = await readRegularFileBytes(file);
    if (!read.ok) {
      errors.push(`${file}: ${read.message}`);
      continue;
    }
    const { text, findings } = lintBytes(file, kind, read.bytes, project, options);
    result.files.push({ file, kind, text });
    // One at a time: spreading a huge file's findings into push() would overflow the stack.
    for (const finding of findings) result.findings.push(finding);
  }
  for (const error of project.errors) if (!errors.includes(error)) errors.push(error);
  return result;
}

/**
 * Lints a file's bytes as the editor shows them (without a byte order mark). Bytes that are not
 * UTF-8 get a `file-not-utf8` finding, and the file's other findings lose their fixes: a rewrite
 * would replace those bytes with U+FFFD.
 */
function lintBytes(file: string, kind: FileKind, bytes: Buffer, project: ProjectContext, options: LintOptions): { text: string; findings: Finding[] } {
  const decoded = decodeUtf8(bytes);
  if (decoded.ok) return { text: decoded.text, findings: lintText({ file, text: decoded.text, kind }, project, options) };
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const findings = lintText({ file, text, kind }, project, options).map(({ fix: _fix, ...finding }) => finding);
  const severity = options.rules?.['file-not-utf8'] === 'off' ? undefined : (options.rules?.['file-not-utf8'] ?? ENGINE_FINDINGS['file-not-utf8'].defaultSeverity);
  if (severity !== undefined) {
    const at = bytes.subarray(0, decoded.offset).toString('utf8').replace(/^\uFEFF/, '').length;
    const position = new LineIndex(text).position(at);
    findings.unshift({
      ruleId: 'file-not-utf8',
      severity,
      message: `The file is not valid UTF-8 (${decoded.reason}): DuckStack does not rewrite it, so no fix is applied. Save it as UTF-8 to get fixes.`,
      file,
      start: at,
      end: at + 1,
      line: position.line,
      column: position.column,
      endLine: position.line,
      endColumn: position.column + 1,
    });
  }
  return { text, findings };
}

export async function lintWorkspace(root: string, options: WorkspaceLintOptions): Promise<Finding[]> {
  return (await lintProject(root, options)).findings;
}

/** A file the project context reads (.env, golden versions): missing is normal, unreadable is an error. */
function readContextFile(file: string, errors: string[]): string | undefined {
  const read = readRegularFileSync(file);
  if (read.ok) return read.text;
  if (!read.missing) {
    const error = `${file}: ${read.message}`;
    if (!errors.includes(error)) errors.push(error);
  }
  return undefined;
}
