/**
 * Turns a simple dbt project (the templates' one) into plain DuckDB SQL statements in dependency
 * order: `{{ ref('m') }}` becomes `<schema>.m`, `{{ source('s', 't') }}` becomes
 * `<database>.<schema>.t` from sources.yml, and `{{ config(...) }}` is dropped.
 *
 * This is NOT a dbt replacement. It knows no other Jinja, macros, materializations, tests or
 * hooks; any other `{{ }}` / `{% %}` is reported as unsupported. It exists so that the demo and
 * the tests can prove, with DuckDB alone, that the sample data really flows source → raw →
 * staging → marts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { walkWorkspace } from '../workspace/walk';

export interface DbtSeed {
  kind: 'seed';
  name: string;
  schema: string;
  csvPath: string;
}

export interface DbtModel {
  kind: 'model';
  name: string;
  schema: string;
  /** The model's SELECT with ref/source substituted and config dropped. */
  sql: string;
  /** Models and seeds it refs. */
  refs: string[];
}

export type DbtNode = DbtSeed | DbtModel;

export interface DbtSource {
  database: string | undefined;
  schema: string;
}

export type DbtProjectSql = { ok: true; nodes: DbtNode[] } | { ok: false; problem: string };

type YamlMap = Record<string, unknown>;
const isMap = (v: unknown): v is YamlMap => typeof v === 'object' && v !== null && !Array.isArray(v);

function listFiles(dir: string, ext: string[]): string[] {
  return [...walkWorkspace(dir)].filter((e) => e.type !== 'other' && ext.some((x) => e.name.endsWith(x))).map((e) => e.path).sort();
}

/** `+schema` for a model folder path, walking dbt_project.yml's models.<project>.<folder>... tree. */
function schemaFor(config: unknown, folders: string[]): string | undefined {
  let schema: string | undefined;
  let node = config;
  if (isMap(node) && typeof node['+schema'] === 'string') schema = node['+schema'];
  for (const folder of folders) {
    node = isMap(node) ? node[folder] : undefined;
    if (isMap(node) && typeof node['+schema'] === 'string') schema = node['+schema'];
  }
  return schema;
}

function readSources(modelFiles: string[]): Map<string, DbtSource> {
  const sources = new Map<string, DbtSource>();
  for (const file of modelFiles.filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))) {
    const doc: unknown = parseYaml(fs.readFileSync(file, 'utf8'));
    if (!isMap(doc) || !Array.isArray(doc.sources)) continue;
    for (const source of doc.sources) {
      if (!isMap(source) || typeof source.name !== 'string') continue;
      const database = typeof source.database === 'string' ? source.database : undefined;
      const schema = typeof source.schema === 'string' ? source.schema : source.name;
      sources.set(source.name, { database, schema });
    }
  }
  return sources;
}

const QUOTED = `\\s*['"]([^'"]+)['"]\\s*`;
const REF = new RegExp(`\\{\\{\\s*ref\\(${QUOTED}\\)\\s*\\}\\}`, 'g');
const SOURCE = new RegExp(`\\{\\{\\s*source\\(${QUOTED},${QUOTED}\\)\\s*\\}\\}`, 'g');
const CONFIG = /\{\{\s*config\([\s\S]*?\)\s*\}\}\s*/g;

/** Reads the dbt project in dbtDir and orders its seeds and models by their refs. */
export function compileDbtProject(dbtDir: string, defaultSchema = 'main'): DbtProjectSql {
  try {
    const project: unknown = parseYaml(fs.readFileSync(path.join(dbtDir, 'dbt_project.yml'), 'utf8'));
    if (!isMap(project) || typeof project.name !== 'string') return { ok: false, problem: 'dbt_project.yml has no name' };
    const name = project.name;
    const modelsConfig = isMap(project.models) ? project.models[name] : undefined;
    const seedsConfig = isMap(project.seeds) ? project.seeds[name] : undefined;
    const modelsDir = path.join(dbtDir, 'models');
    const modelFiles = listFiles(modelsDir, ['.sql', '.yml', '.yaml']);
    const sources = readSources(modelFiles);

    const byName = new Map<string, DbtNode>();
    for (const csvPath of listFiles(path.join(dbtDir, 'seeds'), ['.csv'])) {
      const seedName = path.basename(csvPath, '.csv');
      byName.set(seedName, { kind: 'seed', name: seedName, schema: schemaFor(seedsConfig, []) ?? defaultSchema, csvPath });
    }
    const pending: { file: string; name: string; schema: string; raw: string }[] = [];
    for (const file of modelFiles.filter((f) => f.endsWith('.sql'))) {
      const folders = path.relative(modelsDir, path.dirname(file)).split(path.sep).filter(Boolean);
      const modelName = path.basename(file, '.sql');
      pending.push({ file, name: modelName, schema: schemaFor(modelsConfig, folders) ?? defaultSchema, raw: fs.readFileSync(file, 'utf8') });
      byName.set(modelName, { kind: 'model', name: modelName, schema: '', sql: '', refs: [] });
    }
    for (const m of pending) {
      const refs: string[] = [];
      let problem: string | undefined;
      const sql = m.raw
        .replace(CONFIG, '')
        .replace(REF, (_, ref: string) => {
          const target = byName.get(ref);
          if (!target) problem ??= `ref('${ref}') names no model or seed`;
          refs.push(ref);
          const schema = target?.kind === 'model' ? pending.find((p) => p.name === ref)?.schema : target?.schema;
          return `${schema ?? defaultSchema}.${ref}`;
        })
        .replace(SOURCE, (_, sourceName: string, table: string) => {
          const source = sources.get(sourceName);
          if (!source) problem ??= `source('${sourceName}', '${table}') is not declared in a sources .yml`;
          return [source?.database, source?.schema ?? sourceName, table].filter(Boolean).join('.');
        });
      if (problem) return { ok: false, problem: `${path.relative(dbtDir, m.file)}: ${problem}` };
      if (/\{\{|\{%/.test(sql)) return { ok: false, problem: `${path.relative(dbtDir, m.file)}: Jinja other than ref/source/config is not supported` };
      byName.set(m.name, { kind: 'model', name: m.name, schema: m.schema, sql: sql.trim(), refs });
    }
    return orderByRefs([...byName.values()]);
  } catch (e) {
    return { ok: false, problem: e instanceof Error ? e.message : String(e) };
  }
}

function orderByRefs(nodes: DbtNode[]): DbtProjectSql {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const ordered: DbtNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: DbtNode, chain: string[]): string | undefined => {
    const s = state.get(node.name);
    if (s === 'done') return undefined;
    if (s === 'visiting') return `ref cycle: ${[...chain, node.name].join(' → ')}`;
    state.set(node.name, 'visiting');
    for (const ref of node.kind === 'model' ? node.refs : []) {
      const dep = byName.get(ref);
      const cycle = dep && visit(dep, [...chain, node.name]);
      if (cycle) return cycle;
    }
    state.set(node.name, 'done');
    ordered.push(node);
    return undefined;
  };
  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) {
    const cycle = visit(node, []);
    if (cycle) return { ok: false, problem: cycle };
  }
  return { ok: true, nodes: ordered };
}
