// The DuckDB explorer's model: databases found in a workspace, their catalogs, and read failures
// as data. Plain objects only, so the CLI prints them as JSON and the VS Code adapter maps them.

export type DatabaseRole = 'raw' | 'dev' | 'test' | 'prod' | 'unknown';

/** 'explicit': a path given directly, such as `duckstack catalog file.duckdb`. */
export type DatabaseSourceKind = 'explicit' | 'env' | 'compose' | 'dbt-profile' | 'setting' | 'workspace';

/** One place that names a database file. */
export interface DatabaseSource {
  kind: DatabaseSourceKind;
  /** The file that declares it (.env, compose file, profiles.yml), absolute; absent for the setting. */
  file?: string;
  /** Short human label, e.g. "DUCKDB_DEV_PATH in .env" or "dbt profile proto_loc, target dev". */
  label: string;
  /** The path exactly as declared (may be a container path). */
  declaredPath: string;
  /** The variable that holds the path, when there is one (DUCKDB_DEV_PATH). */
  variable?: string;
  /** The compose service whose environment declares it. */
  service?: string;
  /** The dbt target that declares it. */
  target?: string;
}

export interface DuckDbDatabase {
  /** Absolute host path; the real path when the file exists. Unique in a discovery result. */
  path: string;
  /** File name, e.g. dev.duckdb. */
  name: string;
  role: DatabaseRole;
  exists: boolean;
  /** Bytes, when the file exists. */
  sizeBytes: number | null;
  /** Every place that names this file, most authoritative first. */
  sources: DatabaseSource[];
  /** Why the file is absent and what will create it; set only when it does not exist. */
  missingReason?: string;
}

export interface DuckDbColumn {
  name: string;
  /** DuckDB's type text, e.g. VARCHAR, DECIMAL(18,3), STRUCT(a INTEGER). */
  type: string;
  nullable: boolean;
  comment: string | null;
}

export interface DuckDbRelation {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  comment: string | null;
  /** DuckDB's estimate (duckdb_tables().estimated_size); null for views. */
  estimatedRowCount: number | null;
  columns: DuckDbColumn[];
}

export interface DuckDbSchema {
  name: string;
  comment: string | null;
  /** Tables and views together, ordered by name. */
  relations: DuckDbRelation[];
}

export interface DuckDbCatalog {
  /** The catalog name DuckDB gives the attached file (its stem). */
  databaseName: string;
  /** Ordered by name. */
  schemas: DuckDbSchema[];
}

export type DuckDbProblemKind =
  | 'missing'
  | 'empty'
  | 'locked'
  | 'not-duckdb'
  | 'incompatible'
  | 'corrupt'
  | 'query'
  | 'busy'
  | 'too-large'
  | 'timeout'
  | 'cancelled'
  | 'other';

export interface DuckDbProblem {
  kind: DuckDbProblemKind;
  /** One sentence in plain words: what is wrong. */
  cause: string;
  /** One sentence: what the user can do, or what happens next. */
  remedy: string;
  /** DuckDB's own message, for logs and tooltips. */
  detail: string;
  /** For 'locked': the process holding the file, e.g. "dbt", "dagster", "python3". */
  holder?: string;
  /** For 'locked': its PID as DuckDB reports it. */
  pid?: number;
}

/** Result of one read of a database file: always a value, never a throw. */
export type CatalogRead =
  | { ok: true; catalog: DuckDbCatalog; timing: ReadTiming }
  | { ok: false; problem: DuckDbProblem; timing: ReadTiming };

export interface ReadTiming {
  /**
   * How long the original file was held open by DuckDB, so how long a writer starting then would
   * have been refused: 0 for a snapshot read, which opens only the copy.
   */
  heldMs: number;
  /** Whole call: copy, open of the copy, the statement, close and removal of the copy. */
  totalMs: number;
  /** How the read reached the data: a clone or a plain copy of the file (and .wal), or the original itself (large files only). */
  source?: 'clone' | 'copy' | 'original';
  /** Bytes copied into the snapshot. */
  copiedBytes?: number;
  /** Time spent copying (ms). */
  copyMs?: number;
  /** Snapshots taken: more than one when a copy was torn by a writer and taken again. */
  attempts?: number;
}

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  /** Display strings; null for SQL NULL; long values cut with an ellipsis. */
  rows: (string | null)[][];
  /** True when the statement returned more rows than the limit. */
  truncated: boolean;
  /** Rows past the limit that were not shown. */
  cutRows: number;
  /** False when counting stopped at a cap (a million rows past the limit): cutRows is then a lower bound. */
  cutRowsExact: boolean;
}

export type QueryOutcome =
  | { ok: true; result: QueryResult; timing: ReadTiming }
  | { ok: false; problem: DuckDbProblem; timing: ReadTiming };
