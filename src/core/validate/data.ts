// The data flow checks: the DuckDB databases exist, and raw, staging and marts each hold tables
// with rows. Every read (catalog, then one counting statement) is made on a snapshot of the file,
// so a running writer is never refused and is read as of that moment; a file that cannot be read
// now (a busy writer tearing every copy, a large file in use) is "not checked", with the cause.
import * as path from 'node:path';
import { findDatabases } from '../duckdb/discovery';
import { readCatalog, runReadOnlyQuery } from '../duckdb/reader';
import { qualifiedName } from '../duckdb/sql';
import type { DuckDbDatabase, DuckDbProblem } from '../duckdb/types';
import type { Check } from './types';

export type Layer = 'raw' | 'staging' | 'marts';
export const LAYERS: readonly Layer[] = ['raw', 'staging', 'marts'];

/** Tables counted per database at most, so a huge warehouse stays one short read. */
const MAX_TABLES = 500;

interface CountedTable {
  database: DuckDbDatabase;
  schema: string;
  name: string;
  rows: number;
}

/** Which layer a table belongs to: raw databases (or a raw schema), then staging / marts schemas. */
export function layerOf(database: DuckDbDatabase, schema: string): Layer | undefined {
  const s = schema.toLowerCase();
  if (/(^|_)staging$|^stg$/.test(s)) return 'staging';
  if (/(^|_)marts?$/.test(s)) return 'marts';
  if (database.role === 'raw' || /(^|_)raw$/.test(s)) return 'raw';
  return undefined;
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`;

type DatabaseRead = { ok: true; tables: CountedTable[] } | { ok: false; problem: DuckDbProblem };

async function countTables(database: DuckDbDatabase): Promise<DatabaseRead> {
  const catalog = await readCatalog(database.path);
  if (!catalog.ok) return { ok: false, problem: catalog.problem };
  const relations = catalog.catalog.schemas
    .flatMap((s) => s.relations)
    .filter((r) => r.kind === 'table' && layerOf(database, r.schema) !== undefined)
    .slice(0, MAX_TABLES);
  if (relations.length === 0) return { ok: true, tables: [] };
  const sql = relations
    .map((r) => `SELECT ${sqlString(r.schema)} AS s, ${sqlString(r.name)} AS t, count(*) AS n FROM ${qualifiedName(r.schema, r.name)}`)
    .join('\nUNION ALL\n');
  const counted = await runReadOnlyQuery(database.path, sql, { limit: relations.length });
  if (!counted.ok) return { ok: false, problem: counted.problem };
  return {
    ok: true,
    tables: counted.result.rows.map(([schema, name, rows]) => ({ database, schema: schema ?? '', name: name ?? '', rows: Number(rows ?? 0) })),
  };
}

/** Problems that pass when the writer is done: the check is not made, rather than failed. */
const NOT_NOW = new Set<DuckDbProblem['kind']>(['locked', 'busy', 'too-large', 'timeout']);

const TRANSFORMED_ROLES = new Set(['dev', 'test', 'prod']);

function databasesCheck(databases: DuckDbDatabase[]): Check {
  const base = { id: 'duckdb-databases', title: 'The DuckDB databases exist', group: 'data' as const };
  const evidence = databases.map((d) =>
    d.exists ? `${d.role} ${d.path}: ${d.sizeBytes ?? 0} bytes` : `${d.role} ${d.path}: missing (${d.missingReason ?? 'not built yet'})`,
  );
  const file = databases[0]?.sources[0]?.file;
  const withFile = file ? { file } : {};
  if (databases.length === 0) {
    return { ...base, status: 'fail', reason: 'No DuckDB database is declared (DUCKDB_*_PATH, dbt profiles) or present in the fork.', evidence };
  }
  const raw = databases.filter((d) => d.role === 'raw');
  const transformed = databases.filter((d) => TRANSFORMED_ROLES.has(d.role));
  const problems: string[] = [];
  if (raw.length === 0) problems.push('no raw database is declared');
  else if (!raw.some((d) => d.exists)) problems.push(`the raw database ${raw.map((d) => d.name).join(', ')} does not exist (Dagster's raw assets create it)`);
  if (transformed.length === 0) problems.push('no dev, test or prod database is declared');
  else if (!transformed.some((d) => d.exists)) problems.push(`none of ${transformed.map((d) => d.name).join(', ')} exists (dbt creates them)`);
  if (problems.length > 0) return { ...base, ...withFile, status: 'fail', reason: `${capitalize(problems.join('; '))}.`, evidence };
  const present = databases.filter((d) => d.exists).map((d) => d.name);
  const absent = databases.filter((d) => !d.exists).map((d) => d.name);
  return {
    ...base,
    ...withFile,
    status: 'pass',
    reason: `${present.join(', ')} exist${absent.length > 0 ? `; not built yet: ${absent.join(', ')}` : ''}.`,
    evidence,
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export async function dataChecks(dir: string, env: NodeJS.ProcessEnv, progress: (step: string) => void): Promise<Check[]> {
  progress('Finding the DuckDB databases…');
  const databases = await findDatabases(dir, { processEnv: env });
  const checks: Check[] = [databasesCheck(databases)];

  const tables: CountedTable[] = [];
  const unreadable: Array<{ database: DuckDbDatabase; problem: DuckDbProblem }> = [];
  for (const database of databases.filter((d) => d.exists)) {
    progress(`Counting rows in ${database.name} (read-only)…`);
    const read = await countTables(database);
    if (read.ok) tables.push(...read.tables);
    else unreadable.push({ database, problem: read.problem });
  }

  for (const layer of LAYERS) {
    const base = { id: `data:${layer}`, title: `${layer} holds tables with rows`, group: 'data' as const };
    const inLayer = tables.filter((t) => layerOf(t.database, t.schema) === layer);
    const evidence = inLayer.map((t) => `${t.database.name} ${t.schema}.${t.name}: ${t.rows} rows`);
    const blocked = unreadable.map((u) => `${u.database.name}: ${u.problem.cause}`);
    const withRows = inLayer.filter((t) => t.rows > 0);
    const locked = unreadable.filter((u) => NOT_NOW.has(u.problem.kind));
    const firstFile = inLayer[0]?.database.path;
    const withFile = firstFile ? { file: firstFile } : {};
    if (withRows.length > 0 && withRows.length === inLayer.length) {
      checks.push({ ...base, ...withFile, status: 'pass', reason: `${inLayer.length} table${inLayer.length === 1 ? '' : 's'}, all with rows.`, evidence: [...evidence, ...blocked] });
    } else if (inLayer.length > 0) {
      const empty = inLayer.filter((t) => t.rows === 0).map((t) => `${t.schema}.${t.name}`);
      checks.push({ ...base, ...withFile, status: 'fail', reason: `Empty table${empty.length === 1 ? '' : 's'}: ${empty.join(', ')}.`, evidence: [...evidence, ...blocked] });
    } else if (locked.length > 0) {
      checks.push({ ...base, status: 'not-checked', reason: `Not readable now: ${locked.map((u) => u.problem.cause).join(' ')} Run again when the writer is done.`, evidence: blocked });
    } else {
      const where = layer === 'raw' ? 'the raw database' : `a schema named ${layer}`;
      const searched = databases.filter((d) => d.exists).map((d) => path.basename(d.path));
      checks.push({
        ...base,
        status: 'fail',
        reason: `No table in ${where}${searched.length > 0 ? ` (read ${searched.join(', ')})` : ' (no database exists)'}: run the pipeline (source → raw → staging → marts).`,
        evidence: blocked,
      });
    }
  }
  return checks;
}
