// `duckstack query <db|dir> <sql|--file f.sql>`: a read-only query from a terminal, on a snapshot of
// the database (the file itself is never opened, so running writers are never refused), bounded by a
// timeout and cancelled by Ctrl+C. Statements that write, attach, install, or reach files or the
// network fail inside DuckDB, which runs read-only with external access off.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDatabases } from '../core/duckdb/discovery';
import { DEFAULT_MAX_COPY_BYTES, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, runReadOnlyQuery } from '../core/duckdb/reader';
import type { QueryOutcome, QueryResult } from '../core/duckdb/types';
import { escapeControl, terminalJson } from '../core/terminal';
import { ExitCode, type CliCommand, type CliIo } from './io';

const HELP = `Usage: duckstack query <db.duckdb|dir> (<sql> | --file <f.sql>) [options]

Runs SQL read-only against a snapshot of a DuckDB database: a private copy (a copy-on-write clone
where the file system has one), so dbt or Dagster writing the file are never refused. Writes,
ATTACH, INSTALL and reading files or URLs are refused by DuckDB.

  db.duckdb|dir      the database, or a workspace folder declaring exactly one existing database
  <sql>              the statement(s); the last one's rows are printed
  --file <f.sql>     read the SQL from a file instead
  --format <f>       table (default), json or csv
  --limit <n>        rows to print (default ${DEFAULT_ROW_LIMIT}); the rows cut are counted and reported
  --timeout <s>      stop the query after s seconds (default ${DEFAULT_TIMEOUT_MS / 1000}; 0: no limit)
  --max-copy-mb <n>  largest file copied when no clone is possible (default ${DEFAULT_MAX_COPY_BYTES / 1024 / 1024})

Exit codes: 0 rows printed, 1 SQL error, 2 usage or I/O error (file missing, unreadable,
too large to copy), 124 timeout, 130 interrupted (Ctrl+C).
`;

const EXIT_TIMEOUT = 124;
const EXIT_INTERRUPTED = 130;

type Format = 'table' | 'json' | 'csv';

interface Parsed {
  target: string;
  sql: string;
  format: Format;
  limit: number;
  timeoutMs: number;
  maxCopyBytes: number;
}

function usage(io: CliIo, message: string): number {
  io.err(`duckstack query: ${message}\n\n${HELP}`);
  return ExitCode.usage;
}

/** A number option: a finite, non-negative value, or undefined. */
function numberOption(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function parse(args: string[], io: CliIo): Parsed | number {
  const positional: string[] = [];
  let file: string | undefined;
  let format: Format = 'table';
  let limit = DEFAULT_ROW_LIMIT;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let maxCopyBytes = DEFAULT_MAX_COPY_BYTES;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    switch (flag) {
      case '--help':
      case '-h':
        io.out(HELP);
        return ExitCode.ok;
      case '--file':
        file = value();
        if (!file) return usage(io, '--file needs a path');
        break;
      case '--format': {
        const f = value();
        if (f !== 'table' && f !== 'json' && f !== 'csv') return usage(io, `--format must be table, json or csv, not '${f ?? ''}'`);
        format = f;
        break;
      }
      case '--limit': {
        const n = numberOption(value());
        if (n === undefined || !Number.isInteger(n)) return usage(io, '--limit needs a whole number of rows');
        limit = n;
        break;
      }
      case '--timeout': {
        const n = numberOption(value());
        if (n === undefined) return usage(io, '--timeout needs a number of seconds');
        timeoutMs = Math.round(n * 1000);
        break;
      }
      case '--max-copy-mb': {
        const n = numberOption(value());
        if (n === undefined) return usage(io, '--max-copy-mb needs a number of megabytes');
        maxCopyBytes = Math.round(n * 1024 * 1024);
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') return usage(io, `unknown option '${arg}'`);
        positional.push(arg);
    }
  }
  if (positional.length === 0) return usage(io, 'name a database file or folder');
  let sql: string;
  if (file !== undefined) {
    if (positional.length > 1) return usage(io, 'give the SQL either as an argument or with --file, not both');
    const sqlFile = path.resolve(io.cwd, file);
    const stat = fs.statSync(sqlFile, { throwIfNoEntry: false });
    if (!stat?.isFile()) return usage(io, `${file}: not a readable file`);
    sql = fs.readFileSync(sqlFile, 'utf8');
  } else {
    if (positional.length !== 2) return usage(io, positional.length < 2 ? 'give the SQL to run (or --file f.sql)' : 'quote the SQL as one argument');
    sql = positional[1];
  }
  if (sql.trim() === '') return usage(io, 'the SQL is empty');
  return { target: positional[0], sql, format, limit, timeoutMs, maxCopyBytes };
}

/** The database file for a target: the file itself, or the only existing database a folder declares. */
async function resolveDatabase(target: string, io: CliIo): Promise<string | number> {
  const full = path.resolve(io.cwd, target);
  const stat = fs.statSync(full, { throwIfNoEntry: false });
  if (!stat) {
    io.err(`duckstack query: ${target}: no such file or folder\n`);
    return ExitCode.usage;
  }
  if (!stat.isDirectory()) return full;
  const existing = (await findDatabases(full, { processEnv: io.env })).filter((d) => d.exists);
  if (existing.length === 1) return existing[0].path;
  io.err(
    existing.length === 0
      ? `duckstack query: no existing DuckDB database is declared or present in ${target}\n`
      : `duckstack query: ${target} has ${existing.length} databases; name one:\n${existing.map((d) => `  ${path.relative(io.cwd, d.path) || d.path}\n`).join('')}`,
  );
  return ExitCode.usage;
}

export const run: CliCommand = async (args, io) => {
  const parsed = parse(args, io);
  if (typeof parsed === 'number') return parsed;
  const database = await resolveDatabase(parsed.target, io);
  if (typeof database === 'number') return database;

  // Ctrl+C interrupts DuckDB and removes the snapshot before the process ends.
  const abort = new AbortController();
  const onInterrupt = (): void => abort.abort();
  process.once('SIGINT', onInterrupt);
  let outcome: QueryOutcome;
  try {
    outcome = await runReadOnlyQuery(database, parsed.sql, {
      limit: parsed.limit,
      timeoutMs: parsed.timeoutMs,
      maxCopyBytes: parsed.maxCopyBytes,
      signal: abort.signal,
      maxValueLength: parsed.format === 'table' ? 200 : Number.MAX_SAFE_INTEGER,
    });
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  if (!outcome.ok) {
    const { problem } = outcome;
    io.err(`duckstack query: ${escapeControl(`${problem.cause} ${problem.remedy}`)}\n`);
    if (problem.kind === 'query') return ExitCode.findings;
    if (problem.kind === 'timeout') return EXIT_TIMEOUT;
    if (problem.kind === 'cancelled') return EXIT_INTERRUPTED;
    return ExitCode.usage;
  }
  const { result } = outcome;
  if (parsed.format === 'json') io.out(`${terminalJson({ database, ...result }, 2)}\n`);
  else if (parsed.format === 'csv') io.out(toCsv(result));
  else io.out(toTable(result));
  const note = cutNote(result, parsed.limit);
  // Table output says it inline; json and csv keep stdout parseable and say it on stderr.
  if (note && parsed.format === 'table') io.out(`${note}\n`);
  else if (note) io.err(`duckstack query: ${note}\n`);
  return ExitCode.ok;
};

function cutNote(result: QueryResult, limit: number): string | undefined {
  if (!result.truncated) return undefined;
  const more = result.cutRowsExact ? `${result.cutRows.toLocaleString('en-US')} more row${result.cutRows === 1 ? '' : 's'}` : `more than ${result.cutRows.toLocaleString('en-US')} more rows`;
  return `${more} not shown (limit ${limit}; --limit n shows more).`;
}

function toTable(result: QueryResult): string {
  if (result.columns.length === 0) return 'The statement returned no result set.\n';
  const header = result.columns.map((c) => escapeControl(c.name));
  const cells = result.rows.map((row) => row.map((v) => (v === null ? 'NULL' : escapeControl(v))));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
  out.push(result.truncated ? `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'} shown)` : `(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

/** RFC 4180: fields with a comma, quote or line break are quoted; NULL is an empty field. */
function toCsv(result: QueryResult): string {
  const field = (v: string | null): string => (v === null ? '' : /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [result.columns.map((c) => field(c.name)).join(','), ...result.rows.map((row) => row.map(field).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
