// Builds RuleContexts for rule tests from the engine's own parts: its YAML parse, its file-kind
// rules for YAML, and its golden_versions.md parser on a fixture shaped like the real file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { goldenFrom, parseGoldenVersions } from '../../../src/core/golden/golden';
import { isYamlFile } from '../../../src/core/workspace/classify';
import { makeProjectContext, parseYaml, type ProjectContext, type ProjectEnv } from '../../../src/core/lint/engine';
import type { ProjectFiles, Report, Rule, RuleContext } from '../../../src/core/lint/types';
import type { FileKind } from '../../../src/core/workspace/classify';
import type { GitBaseline } from '../../../src/core/git/baseline';
import type { GoldenVersions } from '../../../src/core/golden/types';

const ROOT = path.resolve('/project');
const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/rules/golden_versions.md');

/** A golden table of a few rows, for cases that need versions other than the platform's. */
export function golden(rows: ReadonlyArray<[tool: string, names: string[], version: string]>): GoldenVersions {
  const file = path.join(ROOT, 'golden_versions.md');
  return goldenFrom(file, rows.map(([tool, names, version], line) => ({ tool, names, version, file, line })));
}

function loadPlatformGolden(): GoldenVersions {
  const parsed = parseGoldenVersions(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE);
  if (parsed.problems.length > 0 || parsed.golden.entries.length !== 9) throw new Error(`fixture ${FIXTURE} did not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.golden;
}

/** The platform guide's versions, read from test/fixtures/rules/golden_versions.md. */
export const platformGolden = loadPlatformGolden();

export interface ContextOptions {
  /** Path relative to the project root; decides YAML parsing for dbt models and Cube files. */
  file?: string;
  golden?: GoldenVersions;
  dockerfiles?: ReadonlyArray<{ file: string; text: string }>;
  /** The project's .env values and the names .env.example documents. */
  env?: Readonly<Record<string, string>>;
  envExample?: readonly string[];
  /** Values .env.example gives (their names are documented too). */
  envExampleValues?: Readonly<Record<string, string>>;
  /** The committed files, for git-aware rules. */
  git?: GitBaseline;
}

function projectFiles(options: ContextOptions): ProjectFiles {
  const files: ProjectFiles = { dockerfiles: options.dockerfiles ?? [] };
  if (options.git) files.git = options.git;
  return files;
}

/** A file name of each kind, for cases that do not name one. */
const DEFAULT_FILE: Partial<Record<FileKind, string>> = {
  compose: 'compose.yaml',
  dockerfile: 'Dockerfile',
  requirements: 'requirements.txt',
  pyproject: 'pyproject.toml',
  packageJson: 'package.json',
  python: 'pipelines/definitions.py',
  dbtProfiles: 'dbt/profiles.yml',
  dbtProject: 'dbt/dbt_project.yml',
  dbtModel: 'dbt/models/marts/trips.sql',
  dagsterYaml: 'dagster/dagster.yaml',
  cube: 'cube/cube.js',
};

function projectEnv(options: ContextOptions): ProjectEnv {
  const values = Object.entries(options.envExampleValues ?? {});
  return {
    env: new Map(Object.entries(options.env ?? {})),
    envExample: new Set([...(options.envExample ?? []), ...values.map(([name]) => name)]),
    envExampleValues: new Map(values),
  };
}

export function fileFor(kind: FileKind, options: ContextOptions = {}): string {
  return path.join(ROOT, options.file ?? DEFAULT_FILE[kind] ?? 'file');
}

export function context(kind: FileKind, text: string, options: ContextOptions = {}): RuleContext {
  const file = fileFor(kind, options);
  const ctx: RuleContext = {
    file,
    kind,
    text,
    root: ROOT,
    golden: options.golden ?? platformGolden,
    ...projectEnv(options),
    project: projectFiles(options),
  };
  if (isYamlFile(file, kind)) {
    const parsed = parseYaml(text);
    if (parsed.problems.length === 0) ctx.yaml = parsed.doc;
  }
  return ctx;
}

/** The engine's project context for a case: its golden table, Dockerfiles, .env and .env.example. */
export function projectContext(options: ContextOptions = {}): ProjectContext {
  const env = projectEnv(options);
  return { ...makeProjectContext(ROOT, options.golden ?? platformGolden, new Set(), projectFiles(options)), envFor: () => env };
}

export function check(rule: Rule, kind: FileKind, text: string, options: ContextOptions = {}): Report[] {
  return rule.check(context(kind, text, options));
}
