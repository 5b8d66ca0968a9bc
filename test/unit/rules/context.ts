// Builds RuleContexts for rule tests the way the engine does: YAML parsed once with source ranges.
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import type { FileKind, Fix, GoldenEntry, GoldenVersions, Report, Rule, RuleContext } from '../../../src/core/lint/types';

const ROOT = path.resolve('/project');

export function golden(rows: ReadonlyArray<[tool: string, names: string[], version: string]>): GoldenVersions {
  const entries: GoldenEntry[] = rows.map(([tool, names, version], line) => ({ tool, names, version, file: path.join(ROOT, 'golden_versions.md'), line }));
  return {
    file: path.join(ROOT, 'golden_versions.md'),
    entries,
    lookup(name) {
      const wanted = name.toLowerCase().replace(/^(@?[^:@]+).*$/, '$1');
      return entries.find((e) => e.names.includes(wanted));
    },
  };
}

/** The platform guide's versions. */
export const platformGolden = golden([
  ['Python', ['python'], '3.11'],
  ['DuckDB', ['duckdb'], '1.1.3'],
  ['dbt-core', ['dbt-core'], '1.8.8'],
  ['dbt-duckdb', ['dbt-duckdb'], '1.8.4'],
  ['Dagster', ['dagster', 'dagster-webserver'], '1.9.1'],
  ['Superset', ['apache-superset', 'apache/superset'], '5.0.0'],
  ['Cube', ['cubejs/cube', '@cubejs-backend/server'], '1.1.x'],
  ['PostgreSQL', ['postgres'], '16'],
  ['Redis', ['redis'], '7'],
]);

const YAML_KINDS = new Set<FileKind>(['compose', 'dbtProfiles', 'dbtProject', 'dagsterYaml']);

export interface ContextOptions {
  file?: string;
  golden?: GoldenVersions;
  dockerfiles?: ReadonlyArray<{ file: string; text: string }>;
}

export function context(kind: FileKind, text: string, options: ContextOptions = {}): RuleContext {
  const file = path.join(ROOT, options.file ?? 'file');
  const isYaml = YAML_KINDS.has(kind) || /\.ya?ml$/.test(file);
  return {
    file,
    kind,
    text,
    root: ROOT,
    golden: options.golden ?? platformGolden,
    env: new Map(),
    envExample: new Set(),
    yaml: isYaml ? parseDocument(text, { keepSourceTokens: true }) : undefined,
    project: { dockerfiles: options.dockerfiles ?? [] },
  };
}

export function check(rule: Rule, kind: FileKind, text: string, options: ContextOptions = {}): Report[] {
  return rule.check(context(kind, text, options));
}

export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** 0-based line and column of an offset. */
export function position(text: string, offset: number): [line: number, column: number] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return [line, offset - (before.lastIndexOf('\n') + 1)];
}

export function root(): string {
  return ROOT;
}
