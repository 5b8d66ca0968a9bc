// Every read of a DuckDB file: open read-only, run one statement, close at once, also on error.
// DuckDB does not wait for locks, so a writer (dbt, Dagster) that starts while we hold the file
// fails immediately; holding it only for the read is what keeps the explorer from breaking runs.
// @duckdb/node-api is a native module, loaded on the first read rather than at activation.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { emptyProblem, missingProblem, problemFromError, queryProblem, sqliteProblem } from './problem';
import { qualifiedName } from './sql';
import type {
  CatalogRead,
  DuckDbCatalog,
  DuckDbColumn,
  DuckDbProblem,
  DuckDbRelation,
  DuckDbSchema,
  QueryOutcome,
  QueryResult,
} from './types';

type NodeApi = typeof import('@duckdb/node-api');
let nodeApi: Promise<NodeApi> | undefined;

function loadNodeApi(): Promise<NodeApi> {
  nodeApi ??= import('@duckdb/node-api');
  return nodeApi;
}

// READ_ONLY takes a shared lock that never blocks other readers; external access and extension
// autoloading are off so that opening a foreign file (SQLite) or a statement cannot reach the network
// or attach another database read-write.
const READ_ONLY_OPTIONS: Record<string, string> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

export const DEFAULT_VALUE_LENGTH = 200;
export const DEFAULT_ROW_LIMIT = 100;

type Held<T> = { ok: true; value: T; heldMs: number } | { ok: false; problem: DuckDbProblem; heldMs: number };

/**
 * Opens `file` read-only, runs `work` on one connection, and releases the file before returning.
 * `work` must copy what it needs into plain values: nothing DuckDB-owned outlives the close.
 */
async function withReadOnlyConnection<T>(
  file: string,
  work: (connection: DuckDBConnection) => Promise<T>,
  onWorkError: (error: unknown) => DuckDbProblem,
): Promise<Held<T>> {
  const precheck = await checkFile(file);
  if (precheck) return { ok: false, problem: precheck, heldMs: 0 };
  let api: NodeApi;
  try {
    api = await loadNodeApi();
  } catch (e) {
    return { ok: false, problem: { kind: 'other', cause: 'The DuckDB native module cannot be loaded.', remedy: 'Reinstall DuckStack for this platform.', detail: e instanceof Error ? e.message : String(e) }, heldMs: 0 };
  }
  const start = performance.now();
  let instance: InstanceType<NodeApi['DuckDBInstance']>;
  try {
    instance = await api.DuckDBInstance.create(file, READ_ONLY_OPTIONS);
  } catch (e) {
    return { ok: false, problem: problemFromError(e, file), heldMs: performance.now() - start };
  }
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    const value = await work(connection);
    return { ok: true, value, heldMs: release(instance, connection, start) };
  } catch (e) {
    return { ok: false, problem: onWorkError(e), heldMs: release(instance, connection, start) };
  }
}

/** Closes the connection, then the instance: the file lock goes with the last of them. Never throws. */
function release(instance: { closeSync(): void }, connection: DuckDBConnection | undefined, start: number): number {
  try {
    connection?.disconnectSync();
  } catch {
    // Closing the instance below still releases the file.
  }
  try {
    instance.closeSync();
  } catch {
    // Already closed: nothing is held.
  }
  return performance.now() - start;
}

async function checkFile(file: string): Promise<DuckDbProblem | undefined> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.stat(file);
  } catch {
    return missingProblem(file);
  }
  if (stat.isDirectory()) {
    return { kind: 'not-duckdb', cause: `${file} is a directory, not a DuckDB database file.`, remedy: 'Point the setting or variable at the .duckdb file.', detail: file };
  }
  if (stat.size === 0) return emptyProblem(file);
  // DuckDB would try to load its sqlite extension for these; say what the file is instead.
  if (await startsWith(file, SQLITE_HEADER)) return sqliteProblem(file);
  return undefined;
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

async function startsWith(file: string, prefix: Buffer): Promise<boolean> {
  try {
    const handle = await fs.promises.open(file, 'r');
    try {
      const head = Buffer.alloc(prefix.length);
      const { bytesRead } = await handle.read(head, 0, prefix.length, 0);
      return bytesRead === prefix.length && head.equals(prefix);
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

// One statement for the whole catalog: schemas, tables, views and columns as rows of one shape,
// tagged by kind (0 schema, 1 table, 2 view, 3 column) and ordered so each parent precedes its children.
const CATALOG_SQL = `
SELECT 0 AS kind, schema_name AS s, NULL::VARCHAR AS r, NULL::VARCHAR AS c, NULL::VARCHAR AS t,
       NULL::BOOLEAN AS n, comment AS m, NULL::BIGINT AS e, 0 AS i
  FROM duckdb_schemas() WHERE database_name = current_database()
UNION ALL
SELECT 1, schema_name, table_name, NULL, NULL, NULL, comment, estimated_size, 0
  FROM duckdb_tables() WHERE database_name = current_database()
UNION ALL
SELECT 2, schema_name, view_name, NULL, NULL, NULL, comment, NULL, 0
  FROM duckdb_views() WHERE database_name = current_database() AND NOT internal
UNION ALL
SELECT 3, schema_name, table_name, column_name, data_type, is_nullable, comment, NULL, column_index
  FROM duckdb_columns() WHERE database_name = current_database()
UNION ALL
SELECT 4, current_database(), NULL, NULL, NULL, NULL, NULL, NULL, 0
ORDER BY kind, s, r, i`;

/** Reads the whole catalog of one database file with one statement. Never throws. */
export async function readCatalog(file: string): Promise<CatalogRead> {
  const start = performance.now();
  const held = await withReadOnlyConnection(
    file,
    async (connection) => {
      const reader = await connection.runAndReadAll(CATALOG_SQL);
      return catalogFromColumns(reader.getColumns());
    },
    (e) => problemFromError(e, file),
  );
  const timing = { heldMs: held.heldMs, totalMs: performance.now() - start };
  return held.ok ? { ok: true, catalog: held.value, timing } : { ok: false, problem: held.problem, timing };
}

function text(v: DuckDBValue): string | null {
  return v === null ? null : String(v);
}

function catalogFromColumns(cols: DuckDBValue[][]): DuckDbCatalog {
  const [kind, s, r, c, t, n, m, e] = cols;
  const schemas = new Map<string, DuckDbSchema>();
  const relations = new Map<string, DuckDbRelation>();
  let databaseName = '';
  for (let row = 0; row < kind.length; row++) {
    const schemaName = String(s[row]);
    switch (kind[row]) {
      case 0:
        schemas.set(schemaName, { name: schemaName, comment: text(m[row]), relations: [] });
        break;
      case 1:
      case 2: {
        const relation: DuckDbRelation = {
          schema: schemaName,
          name: String(r[row]),
          kind: kind[row] === 1 ? 'table' : 'view',
          comment: text(m[row]),
          estimatedRowCount: e[row] === null ? null : Number(e[row]),
          columns: [],
        };
        relations.set(`${schemaName}\0${relation.name}`, relation);
        schemaOf(schemas, schemaName).relations.push(relation);
        break;
      }
      case 3: {
        const column: DuckDbColumn = { name: String(c[row]), type: String(t[row]), nullable: n[row] === true, comment: text(m[row]) };
        relations.get(`${schemaName}\0${String(r[row])}`)?.columns.push(column);
        break;
      }
      case 4:
        databaseName = schemaName;
        break;
    }
  }
  for (const schema of schemas.values()) schema.relations.sort((a, b) => compareNames(a.name, b.name));
  return { databaseName, schemas: [...schemas.values()] };
}

// A relation whose schema row was filtered out still needs a home (cannot happen today; cheap to guard).
function schemaOf(schemas: Map<string, DuckDbSchema>, name: string): DuckDbSchema {
  let schema = schemas.get(name);
  if (!schema) {
    schema = { name, comment: null, relations: [] };
    schemas.set(name, schema);
  }
  return schema;
}

// Tables and views arrive as two sorted runs; order them together by code unit, not by locale,
// so the order is the same on every machine.
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface QueryOptions {
  /** Rows to return (default 100). */
  limit?: number;
  /** Longer display values are cut to this many characters plus "…" (default 200). */
  maxValueLength?: number;
}

/** The first rows of a table or view, read-only. Never throws. */
export function previewTable(file: string, schema: string, relation: string, options: QueryOptions = {}): Promise<QueryOutcome> {
  return runReadOnlyQuery(file, `SELECT * FROM ${qualifiedName(schema, relation)}`, options);
}

/**
 * Runs SQL (one statement or several; the last one's rows are returned) against a read-only open of
 * the file. Writes fail inside DuckDB with its own "read-only" message. Never throws.
 */
export async function runReadOnlyQuery(file: string, sql: string, options: QueryOptions = {}): Promise<QueryOutcome> {
  const start = performance.now();
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_ROW_LIMIT));
  const maxLength = Math.max(1, Math.floor(options.maxValueLength ?? DEFAULT_VALUE_LENGTH));
  const held = await withReadOnlyConnection(
    file,
    async (connection): Promise<QueryResult> => {
      // Streaming stops DuckDB after the chunk that passes the limit instead of materialising everything.
      const reader = await connection.streamAndReadUntil(sql, limit + 1);
      const types = reader.columnTypes();
      const columns = reader.columnNames().map((name, i) => ({ name, type: types[i].toString() }));
      const all = reader.getRows();
      const rows = all.slice(0, limit).map((row) => row.map((v) => displayValue(v, maxLength)));
      return { columns, rows, truncated: all.length > limit };
    },
    (e) => {
      const problem = problemFromError(e, file);
      return problem.kind === 'other' ? queryProblem(e) : problem;
    },
  );
  const timing = { heldMs: held.heldMs, totalMs: performance.now() - start };
  return held.ok ? { ok: true, result: held.value, timing } : { ok: false, problem: held.problem, timing };
}

export function displayValue(value: DuckDBValue, maxLength: number = DEFAULT_VALUE_LENGTH): string | null {
  if (value === null) return null;
  const s = String(value);
  return s.length > maxLength ? `${s.slice(0, maxLength)}…` : s;
}
