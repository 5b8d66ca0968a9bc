// Every read of a DuckDB file goes through a snapshot: a point-in-time copy of the file (and its
// .wal) in a private temp folder, opened READ_ONLY, read, closed and deleted, also on error, timeout
// and cancel. The original is never opened by DuckDB, so a writer (dbt, Dagster) that starts at any
// moment is never refused. A copy torn by a concurrent checkpoint is taken again. Files above the
// copy limit where no clone is possible follow the large-file rule (see readLargeOriginal).
// @duckdb/node-api is a native module, loaded on the first read rather than at activation.
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { findLockHolders, holderText } from './holders';
import { emptyProblem, missingProblem, problemFromError, queryProblem, sqliteProblem } from './problem';
import { cloneAvailable, databaseSignature, snapshotRoot, sweepSnapshots, takeSnapshot, type Snapshot } from './snapshot';
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
  ReadTiming,
} from './types';

type NodeApi = typeof import('@duckdb/node-api');
let nodeApi: Promise<NodeApi> | undefined;

function loadNodeApi(): Promise<NodeApi> {
  nodeApi ??= import('@duckdb/node-api');
  return nodeApi;
}

// READ_ONLY: the copy is never changed either (no checkpoint of its WAL). External access and
// extension autoloading are off so that a statement cannot reach files, the network, or attach
// another database read-write.
const READ_ONLY_OPTIONS: Record<string, string> = {
  access_mode: 'READ_ONLY',
  enable_external_access: 'false',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};

export const DEFAULT_VALUE_LENGTH = 200;
export const DEFAULT_ROW_LIMIT = 100;
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Above this size, where the file system cannot clone, a plain copy is not made (1 GiB). */
export const DEFAULT_MAX_COPY_BYTES = 1024 * 1024 * 1024;
/** A large file is read directly only after it has been unchanged this long, with no lock held on it. */
export const LARGE_FILE_QUIET_MS = 10_000;
/** Snapshots taken before a read that keeps failing on a torn copy is reported. */
const READ_ATTEMPTS = 3;
/** Rows past the limit counted to say how many were cut; beyond this the count is a lower bound. */
export const COUNT_CAP = 1_000_000;

export interface ReadOptions {
  /** The read is interrupted and its snapshot removed after this long (default 30 s; 0: no limit). */
  timeoutMs?: number;
  /** Cancels the read: DuckDB is interrupted and the snapshot removed at once. */
  signal?: AbortSignal;
  /** Largest file (with its .wal) copied when no clone is possible (default 1 GiB). */
  maxCopyBytes?: number;
  /** Folder for snapshot folders (default: the per-user temp folder). */
  snapshotRoot?: string;
}

type Held<T> = { ok: true; value: T; timing: Omit<ReadTiming, 'totalMs'> } | { ok: false; problem: DuckDbProblem; timing: Omit<ReadTiming, 'totalMs'> };

/** Why a read stopped early: the caller cancelled, or the timeout passed. */
class Interrupted extends Error {
  constructor(readonly kind: 'timeout' | 'cancelled') {
    super(kind);
  }
}

/**
 * Copies `file`, opens the copy read-only, runs `work` on one connection, closes and deletes the copy.
 * `work` must copy what it needs into plain values: nothing DuckDB-owned outlives the close.
 * `direct` allows the large-file rule to open the original (catalog reads only: they are short).
 */
async function withSnapshotConnection<T>(
  file: string,
  work: (connection: DuckDBConnection) => Promise<T>,
  onWorkError: (error: unknown) => DuckDbProblem,
  options: ReadOptions,
  direct: boolean,
): Promise<Held<T>> {
  const none = { heldMs: 0 };
  const precheck = await checkFile(file);
  if (precheck) return { ok: false, problem: precheck, timing: none };
  let api: NodeApi;
  try {
    api = await loadNodeApi();
  } catch (e) {
    return { ok: false, problem: { kind: 'other', cause: 'The DuckDB native module cannot be loaded.', remedy: 'Reinstall DuckStack for this platform.', detail: e instanceof Error ? e.message : String(e) }, timing: none };
  }
  sweepOnce(options.snapshotRoot ?? snapshotRoot());
  const bounds = new Bounds(options);
  try {
    const maxCopy = options.maxCopyBytes ?? DEFAULT_MAX_COPY_BYTES;
    if (totalSize(file) > maxCopy && !cloneAvailable(options.snapshotRoot)) {
      return await readLargeOriginal(api, file, work, onWorkError, bounds, maxCopy, direct);
    }
    let copyMs = 0;
    const firstSignature = databaseSignature(file);
    let changed = false;
    for (let attempt = 1; ; attempt++) {
      if (bounds.stopped) return { ok: false, problem: bounds.problem(file), timing: { ...none, copyMs, attempts: attempt - 1 } };
      const copyStart = performance.now();
      let snapshot: Snapshot;
      try {
        snapshot = await takeSnapshot(file, { root: options.snapshotRoot });
      } catch (e) {
        return { ok: false, problem: copyProblem(file, e), timing: { ...none, copyMs, attempts: attempt } };
      }
      copyMs += performance.now() - copyStart;
      // From now on a stop (cancel, timeout) deletes the snapshot at once, even before DuckDB has returned.
      const forget = bounds.onStop(() => snapshot.drop());
      const timing = { heldMs: 0, source: snapshot.method, copiedBytes: snapshot.bytes, copyMs, attempts: attempt };
      if (bounds.stopped) return { ok: false, problem: bounds.problem(file), timing };
      const ran = await runOn(api, snapshot.file, work, bounds);
      forget();
      snapshot.drop();
      if (ran.ok) return { ok: true, value: ran.value, timing };
      // Stopped while opening or reading: whatever DuckDB said, the cause is the stop.
      if (ran.error instanceof Interrupted || bounds.stopped) return { ok: false, problem: bounds.problem(file), timing };
      const problem = ran.opened ? onWorkError(ran.error) : problemFromError(ran.error, file);
      // A copy taken while a writer changed the file can be torn, even when size and mtime look
      // unchanged (mtime moves in clock ticks of a few ms): take another, unless the statement failed.
      if (problem.kind !== 'query' && problem.kind !== 'missing') {
        changed ||= !snapshot.settled || databaseSignature(file) !== firstSignature;
        if (attempt < READ_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
          continue;
        }
        // Still failing: torn by a busy writer if the file changed meanwhile or a writer holds it, else the file itself.
        if (changed || (await findLockHolders(file)).holders.some((h) => h.access === 'write')) {
          return { ok: false, problem: busyProblem(file, attempt, problem), timing };
        }
      }
      return { ok: false, problem: withOriginalPath(problem, snapshot.file, file), timing };
    }
  } finally {
    bounds.dispose();
  }
}

const swept = new Set<string>();

/** Once per process and folder (at start, or on the first read): removes snapshots that crashed processes left behind. */
export function sweepOnce(root: string = snapshotRoot()): void {
  if (swept.has(root)) return;
  swept.add(root);
  sweepSnapshots(root);
}

type Ran<T> = { ok: true; value: T } | { ok: false; error: unknown; opened: boolean };

/** Opens `target` read-only and runs `work` within the bounds (a stop interrupts DuckDB); closes before returning. */
async function runOn<T>(api: NodeApi, target: string, work: (connection: DuckDBConnection) => Promise<T>, bounds: Bounds): Promise<Ran<T>> {
  let instance: InstanceType<NodeApi['DuckDBInstance']>;
  try {
    instance = await api.DuckDBInstance.create(target, READ_ONLY_OPTIONS);
  } catch (e) {
    return { ok: false, error: e, opened: false };
  }
  let connection: DuckDBConnection | undefined;
  try {
    connection = await instance.connect();
    if (bounds.stopped) throw new Interrupted(bounds.reason ?? 'cancelled');
    const open = connection;
    const value = await bounds.race(work(connection), () => open.interrupt());
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: e, opened: connection !== undefined };
  } finally {
    release(instance, connection);
  }
}

/** Closes the connection, then the instance. Never throws. */
function release(instance: { closeSync(): void }, connection: DuckDBConnection | undefined): void {
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
}

/** The timeout and the caller's cancel signal, as one stop that interrupts DuckDB. */
class Bounds {
  reason: 'timeout' | 'cancelled' | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly stops = new Set<() => void>();
  private readonly onAbort = (): void => this.stop('cancelled');

  constructor(private readonly options: ReadOptions) {
    const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (timeout > 0) {
      this.timer = setTimeout(() => this.stop('timeout'), timeout);
      this.timer.unref?.();
    }
    if (options.signal?.aborted) this.reason = 'cancelled';
    else options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get stopped(): boolean {
    return this.reason !== undefined;
  }

  /** Runs `action` at once when the read stops (now, if it already has); returns a function that unregisters it. */
  onStop(action: () => void): () => void {
    if (this.reason) {
      action();
      return () => undefined;
    }
    this.stops.add(action);
    return () => this.stops.delete(action);
  }

  /**
   * Waits for `running`; on a stop, calls `interrupt` at once and again every 10 ms until the
   * statement has returned (an interrupt that arrives before DuckDB starts the statement is lost),
   * so that nothing is closed under a running statement.
   */
  async race<T>(running: Promise<T>, interrupt: () => void): Promise<T> {
    let forget = (): void => undefined;
    const stopped = new Promise<'stopped'>((resolve) => {
      forget = this.onStop(() => resolve('stopped'));
    });
    try {
      const first = await Promise.race([running.then((value) => ({ value })), stopped]);
      if (first !== 'stopped') return first.value;
      interrupt();
      const again = setInterval(interrupt, 10);
      try {
        await running.catch(() => undefined);
      } finally {
        clearInterval(again);
      }
      throw new Interrupted(this.reason ?? 'cancelled');
    } finally {
      forget();
    }
  }

  problem(file: string): DuckDbProblem {
    const name = file.split(/[\\/]/).pop() ?? file;
    if (this.reason === 'timeout') {
      const seconds = ((this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000).toLocaleString('en-US');
      return {
        kind: 'timeout',
        cause: `The statement on ${name} ran longer than ${seconds} s and was stopped.`,
        remedy: 'Narrow it (WHERE, LIMIT), or raise the timeout (duckstack.duckdb.queryTimeoutSeconds, --timeout).',
        detail: `interrupted after ${seconds} s; the snapshot was removed and ${name} itself was never opened`,
      };
    }
    return { kind: 'cancelled', cause: `The read of ${name} was cancelled.`, remedy: 'Run it again when you need it.', detail: 'interrupted on request; the snapshot was removed' };
  }

  private stop(reason: 'timeout' | 'cancelled'): void {
    if (this.reason) return;
    this.reason = reason;
    for (const stop of [...this.stops]) {
      try {
        stop();
      } catch {
        // One failing action must not keep the others (the interrupt, the snapshot removal) from running.
      }
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.options.signal?.removeEventListener('abort', this.onAbort);
  }
}

function totalSize(file: string): number {
  const size = (f: string): number => {
    try {
      return fs.statSync(f).size;
    } catch {
      return 0;
    }
  };
  return size(file) + size(`${file}.wal`);
}

function latestChange(file: string): number {
  let latest = 0;
  for (const f of [file, `${file}.wal`]) {
    try {
      latest = Math.max(latest, fs.statSync(f).mtimeMs);
    } catch {
      // No WAL.
    }
  }
  return latest;
}

function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/**
 * A file too large to copy where no clone is possible. A catalog read opens the original only when
 * the kernel's lock table shows no holder and neither the file nor its WAL changed for 10 s, for
 * the few milliseconds the catalog takes; otherwise nothing is opened and the caller keeps its
 * last catalog. Queries and previews, which may run for long, are never run on the original.
 */
async function readLargeOriginal<T>(
  api: NodeApi,
  file: string,
  work: (connection: DuckDBConnection) => Promise<T>,
  onWorkError: (error: unknown) => DuckDbProblem,
  bounds: Bounds,
  maxCopy: number,
  direct: boolean,
): Promise<Held<T>> {
  const name = file.split(/[\\/]/).pop() ?? file;
  const size = formatSize(totalSize(file));
  const base = {
    kind: 'too-large' as const,
    detail: `${file}: ${size}, copy limit ${formatSize(maxCopy)}, no copy-on-write clone on this file system`,
  };
  const timing = { heldMs: 0, source: 'original' as const };
  if (!direct) {
    return {
      ok: false,
      problem: { ...base, cause: `${name} (${size}) is above the copy limit of ${formatSize(maxCopy)} and this file system cannot clone it, so it is not queried: a query on the original could refuse a writer.`, remedy: 'Raise duckstack.duckdb.maxCopyMB (--max-copy-mb) to query it through a copy, which costs its size in temp space.' },
      timing,
    };
  }
  const lookup = await findLockHolders(file);
  const quietFor = Date.now() - latestChange(file);
  if (!lookup.supported || lookup.holders.length > 0 || quietFor < LARGE_FILE_QUIET_MS) {
    const why = !lookup.supported
      ? 'this system has no lock table to check that no process holds it'
      : lookup.holders.length > 0
        ? `it is in use by ${holderText(lookup.holders[0])}`
        : `it changed ${Math.round(quietFor / 1000)} s ago`;
    return {
      ok: false,
      problem: { ...base, cause: `${name} (${size}) is above the copy limit of ${formatSize(maxCopy)}; it is read directly only when no process holds it and it has been unchanged for 10 s, and ${why}.`, remedy: 'The catalog is read once it is quiet; raise duckstack.duckdb.maxCopyMB to read it through a copy instead.' },
      timing,
    };
  }
  const signature = databaseSignature(file);
  const start = performance.now();
  const ran = await runOn(api, file, work, bounds);
  const held = { ...timing, heldMs: performance.now() - start };
  if (ran.ok) return { ok: true, value: ran.value, timing: held };
  if (ran.error instanceof Interrupted || bounds.stopped) return { ok: false, problem: bounds.problem(file), timing: held };
  const problem = ran.opened ? onWorkError(ran.error) : problemFromError(ran.error, file);
  return { ok: false, problem: databaseSignature(file) === signature ? problem : { ...problem, remedy: `${problem.remedy} (${name} changed during the read.)` }, timing: held };
}

function copyProblem(file: string, error: unknown): DuckDbProblem {
  const e = error as NodeJS.ErrnoException;
  const name = file.split(/[\\/]/).pop() ?? file;
  const why = e.code === 'ENOSPC' ? 'the temp folder is full' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission was denied' : e.message;
  return {
    kind: 'other',
    cause: `${name} could not be copied for a safe read: ${why}.`,
    remedy: e.code === 'ENOSPC' ? 'Free space in the temp folder, or lower duckstack.duckdb.maxCopyMB so large files are not copied.' : 'Check that the file and the temp folder are readable and writable.',
    detail: e.message,
  };
}

function busyProblem(file: string, attempts: number, last: DuckDbProblem): DuckDbProblem {
  const name = file.split(/[\\/]/).pop() ?? file;
  return {
    kind: 'busy',
    cause: `${name} changed while it was copied, ${attempts} times in a row: a writer is busy with it.`,
    remedy: 'Nothing was opened on the original; it is read again once the writer pauses.',
    detail: last.detail,
  };
}

/** DuckDB names the snapshot in its messages; a person knows the original. */
function withOriginalPath(problem: DuckDbProblem, snapshotFile: string, file: string): DuckDbProblem {
  return { ...problem, detail: problem.detail.split(snapshotFile).join(file) };
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

/** Reads the whole catalog of one database file, through a snapshot, with one statement. Never throws. */
export async function readCatalog(file: string, options: ReadOptions = {}): Promise<CatalogRead> {
  const start = performance.now();
  const held = await withSnapshotConnection(
    file,
    async (connection) => {
      const reader = await connection.runAndReadAll(CATALOG_SQL);
      return catalogFromColumns(reader.getColumns());
    },
    (e) => problemFromError(e, file),
    options,
    true,
  );
  const timing = { ...held.timing, totalMs: performance.now() - start };
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

export interface QueryOptions extends ReadOptions {
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
 * a snapshot of the file, within the timeout. Writes fail inside DuckDB with its own "read-only"
 * message. Never throws.
 */
export async function runReadOnlyQuery(file: string, sql: string, options: QueryOptions = {}): Promise<QueryOutcome> {
  const start = performance.now();
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_ROW_LIMIT));
  const maxLength = Math.max(1, Math.floor(options.maxValueLength ?? DEFAULT_VALUE_LENGTH));
  const held = await withSnapshotConnection(
    file,
    async (connection): Promise<QueryResult> => {
      // Streaming: only the rows shown are converted; the rest are counted chunk by chunk, up to a cap.
      const result = await connection.stream(sql);
      const types = result.columnTypes();
      const columns = result.columnNames().map((name, i) => ({ name, type: types[i].toString() }));
      const rows: (string | null)[][] = [];
      let total = 0;
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        if (rows.length < limit) {
          for (const row of chunk.getRows()) {
            if (rows.length >= limit) break;
            rows.push(row.map((v) => displayValue(v, maxLength)));
          }
        }
        total += chunk.rowCount;
        if (total - limit >= COUNT_CAP) return { columns, rows, truncated: true, cutRows: total - rows.length, cutRowsExact: false };
      }
      return { columns, rows, truncated: total > rows.length, cutRows: total - rows.length, cutRowsExact: true };
    },
    (e) => {
      const problem = problemFromError(e, file);
      return problem.kind === 'other' ? queryProblem(e) : problem;
    },
    options,
    false,
  );
  const timing = { ...held.timing, totalMs: performance.now() - start };
  return held.ok ? { ok: true, result: held.value, timing } : { ok: false, problem: held.problem, timing };
}

export function displayValue(value: DuckDBValue, maxLength: number = DEFAULT_VALUE_LENGTH): string | null {
  if (value === null) return null;
  const s = String(value);
  return s.length > maxLength ? `${s.slice(0, maxLength)}…` : s;
}
