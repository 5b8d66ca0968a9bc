// DuckDB failures as data: DuckDB's message turned into what is wrong and what to do, in plain words.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DuckDbProblem } from './types';

// "Could not set lock on file "/x/dev.duckdb": Conflicting lock is held in /usr/bin/python3.11 (PID 42) by user root."
const LOCK = /Conflicting lock is held in (.*?) \(PID (\d+)\)/;
const VERSION = /version number (\d+), but we can only read versions between (\d+) and (\d+)/;

// Tools of the platform recognised on a command line, so the holder reads "dbt" rather than "python3".
const KNOWN_TOOLS: { name: string; pattern: RegExp }[] = [
  { name: 'dbt', pattern: /^dbt([-.]|$)/ },
  { name: 'dagster', pattern: /^dagster([-._]|$)/ },
  { name: 'jupyter', pattern: /^jupyter|^ipykernel/ },
  { name: 'superset', pattern: /^superset/ },
  { name: 'duckdb', pattern: /^duckdb$/ },
];

export function problemFromError(error: unknown, file: string): DuckDbProblem {
  const detail = error instanceof Error ? error.message : String(error);
  const name = path.basename(file);
  const lock = LOCK.exec(detail);
  if (lock || /Could not set lock on file/.test(detail)) {
    const pid = lock ? Number(lock[2]) : undefined;
    const holder = (pid !== undefined ? processName(pid) : undefined) ?? (lock ? path.basename(lock[1]) : 'another process');
    return {
      kind: 'locked',
      cause: `${name} is locked by ${holder}${pid !== undefined ? ` (PID ${pid})` : ''}.`,
      remedy: 'DuckDB allows one writing process per file; the catalog is read again once the lock is released.',
      detail,
      holder,
      ...(pid !== undefined ? { pid } : {}),
    };
  }
  if (/database does not exist|No such file or directory/.test(detail)) return missingProblem(file, detail);
  const version = VERSION.exec(detail);
  if (version) {
    const found = Number(version[1]);
    const newer = found > Number(version[3]);
    return {
      kind: 'incompatible',
      cause: newer
        ? `${name} was written by a newer DuckDB (storage version ${found}); this DuckDB reads versions ${version[2]} to ${version[3]}.`
        : `${name} was written by an old DuckDB (storage version ${found}) that this DuckDB cannot read.`,
      remedy: newer
        ? 'Update DuckStack, or export the database (EXPORT DATABASE) with the DuckDB that wrote it.'
        : 'Export it with the old DuckDB (EXPORT DATABASE) and import it into a current one.',
      detail,
    };
  }
  if (/not a valid DuckDB database file/.test(detail)) {
    return {
      kind: 'not-duckdb',
      cause: `${name} is not a DuckDB database file.`,
      remedy: 'Check the path: the file does not start with DuckDB\'s header.',
      detail,
    };
  }
  if (/Corrupt database file|checksum/i.test(detail)) {
    return {
      kind: 'corrupt',
      cause: /checksum/.test(detail)
        ? `${name} is damaged: a block's checksum does not match its contents.`
        : `${name} is damaged: ${firstSentence(detail)}.`,
      remedy: 'Restore it from a backup or rebuild it (for example by running dbt again).',
      detail,
    };
  }
  return { kind: 'other', cause: `${name} cannot be read: ${firstSentence(detail)}.`, remedy: 'See the detail for DuckDB\'s message.', detail };
}

/** A failure of the statement itself (syntax, unknown table), after the file opened fine. */
export function queryProblem(error: unknown): DuckDbProblem {
  const detail = error instanceof Error ? error.message : String(error);
  return { kind: 'query', cause: `${firstSentence(detail)}.`, remedy: 'Fix the statement and run it again.', detail };
}

export function missingProblem(file: string, detail = `${file} does not exist`): DuckDbProblem {
  return {
    kind: 'missing',
    cause: `${path.basename(file)} does not exist yet.`,
    remedy: 'It is created the first time dbt or Dagster writes to it.',
    detail,
  };
}

export function sqliteProblem(file: string): DuckDbProblem {
  return {
    kind: 'not-duckdb',
    cause: `${path.basename(file)} is a SQLite database, not a DuckDB one.`,
    remedy: 'Open it with SQLite, or ATTACH it from DuckDB with the sqlite extension.',
    detail: `${file}: starts with the SQLite header`,
  };
}

export function emptyProblem(file: string): DuckDbProblem {
  return {
    kind: 'empty',
    cause: `${path.basename(file)} is empty (0 bytes), so it is not a DuckDB database yet.`,
    remedy: 'A writer that opens it read-write will initialise it; an interrupted create can leave it empty.',
    detail: `${file}: 0 bytes`,
  };
}

/** DuckDB's message without its "IO Error: " prefix, cut at the first line and full stop. */
function firstSentence(message: string): string {
  const line = message.split('\n')[0].replace(/^[A-Za-z ]*Error: /, '');
  const stop = line.search(/\.(\s|$)/);
  return (stop >= 0 ? line.slice(0, stop) : line).trim().replace(/[.!]+$/, '');
}

/** The holder's name from /proc, preferring a platform tool seen on its command line. */
export function processName(pid: number): string | undefined {
  try {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    for (const arg of args) {
      const base = path.basename(arg);
      const tool = KNOWN_TOOLS.find((t) => t.pattern.test(base));
      if (tool) return tool.name;
    }
  } catch {
    // Not Linux, or the process is gone or in another PID namespace: fall through.
  }
  try {
    const comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    return comm === '' ? undefined : comm;
  } catch {
    return undefined;
  }
}
