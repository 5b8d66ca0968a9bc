// `duckstack catalog [dir|file.duckdb] [--json]`: the databases a workspace declares, and for each
// its schemas, tables, views and columns, or why it cannot be read, and who holds it (from the
// kernel's lock table: a compose service and container, or a host command). Each file is read
// through a snapshot, like the explorer: the file itself is never opened.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { databaseAt, findDatabases } from '../core/duckdb/discovery';
import { dockerContainerResolver } from '../core/docker/containers';
import { findLockHolders, holderText, type LockHolder } from '../core/duckdb/holders';
import { DEFAULT_MAX_COPY_BYTES, readCatalog } from '../core/duckdb/reader';
import type { DuckDbCatalog, DuckDbDatabase, DuckDbProblem, ReadTiming } from '../core/duckdb/types';
import { escapeControl, terminalJson } from '../core/terminal';
import { ExitCode, type CliCommand } from './io';

const HELP = `Usage: duckstack catalog [dir|file.duckdb] [--json] [--max-copy-mb n]

Lists the DuckDB databases of a workspace (DUCKDB_*_PATH in .env and compose, dbt profiles,
*.duckdb files) with their schemas, tables, views and columns, and who is using each one. Files
are read through a private copy (a copy-on-write clone where the file system has one), never
opened themselves, so running dbt or Dagster jobs are never refused.

  dir               workspace folder (default: the current folder)
  file.duckdb       one database file
  --json            machine-readable output
  --max-copy-mb n   largest file copied when no clone is possible (default ${DEFAULT_MAX_COPY_BYTES / 1024 / 1024});
                    larger files are read only when unchanged for 10 s and held by no process

Exit codes: 0 all present databases read, 1 a database could not be read, 2 usage.
`;

interface DatabaseReport extends DuckDbDatabase {
  catalog?: DuckDbCatalog;
  problem?: DuckDbProblem;
  /** Processes holding the file, from the kernel's lock table. */
  holders?: LockHolder[];
  timing?: ReadTiming;
}

export const run: CliCommand = async (args, io) => {
  let json = false;
  let maxCopyBytes = DEFAULT_MAX_COPY_BYTES;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--json') json = true;
    else if (arg === '--max-copy-mb' || arg.startsWith('--max-copy-mb=')) {
      const value = Number(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]);
      if (!Number.isFinite(value) || value < 0) {
        io.err(`duckstack catalog: --max-copy-mb needs a number of megabytes\n\n${HELP}`);
        return ExitCode.usage;
      }
      maxCopyBytes = Math.round(value * 1024 * 1024);
    } else if (arg === '--help' || arg === '-h') {
      io.out(HELP);
      return ExitCode.ok;
    } else if (arg.startsWith('-')) {
      io.err(`duckstack catalog: unknown option '${arg}'\n\n${HELP}`);
      return ExitCode.usage;
    } else positional.push(arg);
  }
  if (positional.length > 1) {
    io.err(`duckstack catalog: expected at most one folder or file, got ${positional.length}\n\n${HELP}`);
    return ExitCode.usage;
  }
  const target = path.resolve(io.cwd, positional[0] ?? '.');
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  let databases: DuckDbDatabase[];
  let explicitFile = false;
  if (stat?.isDirectory()) databases = await findDatabases(target, { processEnv: io.env });
  else if (stat || target.endsWith('.duckdb')) {
    databases = [databaseAt(target, io.cwd)];
    explicitFile = true;
  } else {
    io.err(`duckstack catalog: ${positional[0]}: no such file or folder\n`);
    return ExitCode.usage;
  }

  const reports: DatabaseReport[] = [];
  const resolveContainer = dockerContainerResolver(io.env);
  // One file at a time: one snapshot on disk at most.
  for (const database of databases) {
    if (!database.exists && !explicitFile) {
      reports.push(database);
      continue;
    }
    const read = await readCatalog(database.path, { maxCopyBytes });
    const { holders } = await findLockHolders(database.path, { resolveContainer });
    const report: DatabaseReport = read.ok ? { ...database, catalog: read.catalog, timing: read.timing } : { ...database, problem: read.problem, timing: read.timing };
    if (holders.length > 0) report.holders = holders;
    reports.push(report);
  }
  const failed = reports.some((r) => r.problem !== undefined);

  if (json) io.out(`${terminalJson({ root: target, databases: reports }, 2)}\n`);
  else io.out(formatReports(target, reports));
  return failed ? ExitCode.findings : ExitCode.ok;
};

function formatReports(target: string, reports: DatabaseReport[]): string {
  if (reports.length === 0) return `No DuckDB databases found in ${escapeControl(target)}.\n`;
  const lines: string[] = [];
  for (const r of reports) {
    const size = r.exists && r.sizeBytes !== null ? formatBytes(r.sizeBytes) : 'not created yet';
    lines.push(`${r.name}  [${r.role}]  ${size}  ${r.path}`);
    if (r.holders) {
      const shown = r.catalog ? '; the catalog below is a snapshot' : '';
      lines.push(`  in use by ${r.holders.map(holderText).join(', ')}${shown}`);
    }
    if (r.problem) {
      lines.push(`  ${r.problem.cause} ${r.problem.remedy}`);
    } else if (!r.exists) {
      lines.push(`  ${r.missingReason ?? 'not created yet'}`);
    } else if (r.catalog) {
      for (const schema of r.catalog.schemas) {
        lines.push(`  ${schema.name}${schema.relations.length === 0 ? '  (empty)' : ''}`);
        for (const relation of schema.relations) {
          const rows = relation.estimatedRowCount !== null ? `  ~${relation.estimatedRowCount} row${relation.estimatedRowCount === 1 ? '' : 's'}` : '';
          const comment = relation.comment ? `  -- ${relation.comment}` : '';
          lines.push(`    ${relation.kind.padEnd(5)} ${relation.name}${rows}${comment}`);
          const width = Math.max(...relation.columns.map((c) => c.name.length), 0);
          for (const column of relation.columns) {
            const flags = column.nullable ? '' : ' NOT NULL';
            const note = column.comment ? `  -- ${column.comment}` : '';
            lines.push(`      ${column.name.padEnd(width)}  ${column.type}${flags}${note}`);
          }
        }
      }
    }
  }
  const read = reports.filter((r) => r.catalog).length;
  const missing = reports.filter((r) => !r.exists && !r.problem).length;
  const failed = reports.filter((r) => r.problem).length;
  lines.push('', `${reports.length} database${reports.length === 1 ? '' : 's'}: ${read} read, ${missing} not created yet, ${failed} unreadable.`);
  // Names, comments and paths come from the files: their control characters print escaped.
  return `${lines.map(escapeControl).join('\n')}\n`;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
