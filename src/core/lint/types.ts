// The contract between the lint engine, its rules and the adapters (VS Code, CLI).
// Positions are 0-based offsets into the file's text; adapters turn them into lines/columns.

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

/** Which kind of file a rule reads. The engine classifies each path once. */
export type FileKind =
  | 'compose'
  | 'dockerfile'
  | 'requirements'
  | 'pyproject'
  | 'packageJson'
  | 'python'
  | 'dbtProfiles'
  | 'dbtProject'
  | 'dbtModel'
  | 'dagsterYaml'
  | 'cube'
  | 'goldenVersions'
  | 'env';

/** A replacement of text[start, end) with `text`. Several edits of one fix never overlap. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  /** Shown as the quick-fix title, e.g. "Use ${DAGSTER_PORT:-3000}". */
  title: string;
  edits: TextEdit[];
  /**
   * Values the edits remove from the file (a literal password): each must first be stored in the
   * .env beside the file under its name. A fix whose secrets cannot be stored is not applied.
   */
  secrets?: Secret[];
}

/** A value a fix moves out of a file into .env, as NAME=value. Never shown in messages. */
export interface Secret {
  name: string;
  value: string;
}

/** One golden_versions.md row, as rules see it. */
export interface GoldenEntry {
  /** Tool as written in the table, cleaned of markdown: "Dagster". */
  tool: string;
  /** Package or image names that identify it, lower-case: ["dagster", "dagster-webserver"]. */
  names: string[];
  /** The version without a "v" prefix: "1.9.1". */
  version: string;
  /** Where the row is, for hovers and diagnostics. */
  file: string;
  line: number; // 0-based
}

export interface GoldenVersions {
  file: string | undefined;
  entries: GoldenEntry[];
  /** Finds the entry for a package or image name (case-insensitive, "python:3.11-slim" → python). */
  lookup(name: string): GoldenEntry | undefined;
}

/** A finding before severity is applied. */
export interface Report {
  messageId: string;
  data?: Record<string, string | number>;
  start: number;
  end: number;
  fix?: Fix;
}

/** A finding as adapters see it. */
export interface Finding {
  ruleId: string;
  /** The rule's messageId for this finding (absent for the engine's own findings). */
  messageId?: string;
  severity: Severity;
  message: string;
  file: string;
  start: number;
  end: number;
  /** 0-based line and column of start and end, computed by the engine. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fix?: Fix;
}

/** Everything a rule needs about one file. The engine parses each file once and shares the result. */
export interface RuleContext {
  file: string;
  kind: FileKind;
  text: string;
  /** The workspace (project) folder the file belongs to. */
  root: string;
  golden: GoldenVersions;
  /** Variables from the project's .env (values are secrets: never put them in messages). */
  env: ReadonlyMap<string, string>;
  /** Variables documented in .env.example (names only matter). */
  envExample: ReadonlySet<string>;
  /** Parsed YAML for yaml kinds (the `yaml` package's Document, with source ranges), else undefined. */
  yaml?: import('yaml').Document.Parsed;
  /** Other files of the same project the engine has read, by kind; for cross-file rules. */
  project: ProjectFiles;
}

export interface ProjectFiles {
  /** Dockerfiles of the project with their text, for cross-file rules (one Python version). */
  dockerfiles: ReadonlyArray<{ file: string; text: string }>;
  /** The project's files as committed, for git-aware rules; absent when there is no git. */
  git?: GitBaseline;
  /** DuckDB files the project's dbt profiles name; absent when they were not read. */
  duckdbFiles?: ReadonlyArray<DuckdbFile>;
}

/** What the project's files were in git, read once per project context (see src/core/git/baseline.ts). */
export interface GitBaseline {
  /** The commits files are compared with: HEAD first, then the merge base with the default branch when it differs. */
  refs: ReadonlyArray<{ label: string; commit: string }>;
  /** A file's text (path relative to the project root, POSIX) at refs[ref]; undefined when it was absent. */
  textAt(ref: number, relPath: string): string | undefined;
  /** The file's text in the working tree now; undefined when absent. */
  workingText(relPath: string): string | undefined;
}

/** A DuckDB file as a dbt profile names it: a host path (relative to the profile's folder) or a container path. */
export interface DuckdbFile {
  /** The profiles.yml that names it. */
  file: string;
  path: string;
}

export interface RuleMeta {
  /** One line, shown in docs/rules.md and hovers. */
  description: string;
  defaultSeverity: Severity;
  fixable: boolean;
  kinds: FileKind[];
  /** messageId → template with {{name}} placeholders. */
  messages: Record<string, string>;
}

export interface Rule {
  /** Kebab-case id, used in settings, suppression comments and diagnostic codes: "compose-host-port-variable". */
  id: string;
  meta: RuleMeta;
  check(ctx: RuleContext): Report[];
}
