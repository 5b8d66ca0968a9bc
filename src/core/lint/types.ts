// The contract between the lint engine, its rules and the adapters (VS Code, CLI).
// Positions are 0-based offsets into the file's text; adapters turn them into lines/columns.
import type { GitBaseline } from '../git/baseline';
import type { GoldenVersions } from '../golden/types';
import type { FileKind } from '../workspace/classify';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

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
  /**
   * Create the .env beside the file from .env.example (the platform's placeholder secrets
   * generated, an existing .env never overwritten) instead of editing the file; never part of Fix all.
   */
  createEnv?: boolean;
}

/** A value a fix moves out of a file into .env, as NAME=value. Never shown in messages. */
export interface Secret {
  name: string;
  value: string;
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
  /** The values the rule put into its message (a service name, a variable): what callers match on, never the text. */
  data?: Readonly<Record<string, string | number>>;
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
  /** The values .env.example gives (a documented default such as DBT_DOCS_PORT=8080). */
  envExampleValues: ReadonlyMap<string, string>;
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
  /**
   * The rule judges the working copy, not what is committed (a `.env`, which is never committed):
   * it runs only when the caller asks (`LintOptions.workingCopy`: the editor, `duckstack lint`
   * outside CI), so a CI run on a fresh clone never reports it.
   */
  workingCopy?: boolean;
}

export interface Rule {
  /** Kebab-case id, used in settings, suppression comments and diagnostic codes: "compose-host-port-variable". */
  id: string;
  meta: RuleMeta;
  check(ctx: RuleContext): Report[];
}
