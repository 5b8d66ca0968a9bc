// Real DuckDB files for the tests: created with @duckdb/node-api in temp folders, and a second
// process (test/fixtures/duckdb/hold-lock.js) that holds a file read-write like a running dbt.
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CatalogChange, DuckDbCatalogService } from '../../../src/core/duckdb/service';

export const HOLD_LOCK_SCRIPT = path.resolve(__dirname, '../../../../test/fixtures/duckdb/hold-lock.js');

export function tempDir(prefix = 'duckstack-duckdb-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export { createDatabase } from '../../harness/platformStack';

/** raw, staging and marts as a small platform has them: tables, a view, comments, a primary key. */
export const FIXTURE_SQL = `
CREATE SCHEMA raw; CREATE SCHEMA staging; CREATE SCHEMA marts;
CREATE TABLE raw.customers (customer_id INTEGER PRIMARY KEY, "Full Name" VARCHAR NOT NULL, tags VARCHAR[]);
INSERT INTO raw.customers SELECT i, 'Customer ' || i, ['a', 'b'] FROM range(1, 11) t(i);
CREATE TABLE raw.orders (order_id INTEGER NOT NULL, customer_id INTEGER, amount DECIMAL(18,2), ordered_at TIMESTAMP);
INSERT INTO raw.orders SELECT i, i % 10 + 1, i * 1.5, TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR FROM range(1, 251) t(i);
COMMENT ON TABLE raw.orders IS 'Orders as loaded from orders.csv';
COMMENT ON COLUMN raw.orders.amount IS 'Order total in EUR';
CREATE VIEW staging.stg_orders AS SELECT order_id, customer_id, amount FROM raw.orders WHERE amount > 0;
COMMENT ON VIEW staging.stg_orders IS 'Orders with a positive amount';
CREATE TABLE marts.customer_revenue AS
  SELECT c.customer_id, sum(o.amount) AS revenue FROM raw.customers c JOIN raw.orders o USING (customer_id) GROUP BY ALL;
COMMENT ON COLUMN marts.customer_revenue.revenue IS 'Sum of order amounts';
`;

export interface Holder {
  child: ChildProcess;
  pid: number;
  /** Kills the holder and resolves once it has exited (the kernel has released its lock). */
  kill(): Promise<void>;
}

/** Starts a second process that opens `file` read-write, runs `sql`, and holds the lock until killed. */
export function holdLock(file: string, sql = ''): Promise<Holder> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [HOLD_LOCK_SCRIPT, file, sql], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`hold-lock.js did not report ready within 20 s: ${err}`));
    }, 20000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^ready \d+/m.test(out)) {
        clearTimeout(timer);
        resolve({
          child,
          pid: child.pid ?? -1,
          kill: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hold-lock.js exited (${code}) before it was ready: ${err}`));
    });
  });
}

/** Resolves with the first change for which `done()` holds; fails after `timeoutMs`. */
export function waitForChange(service: DuckDbCatalogService, done: (change: CatalogChange) => boolean, timeoutMs = 20000): Promise<CatalogChange> {
  return new Promise((resolve, reject) => {
    const subscription = service.onDidChange((change) => {
      if (!done(change)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(change);
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no matching catalog change within ${timeoutMs} ms`));
    }, timeoutMs);
  });
}

/** A copy of a real DuckDB file whose header claims a newer storage version, checksum fixed up. */
export function writeNewerFormatCopy(source: string, target: string, version = 200n): void {
  const bytes = fs.readFileSync(source);
  // Main header: 8-byte checksum, "DUCK", then the storage version; the checksum covers bytes 8..4096.
  bytes.writeBigUInt64LE(version, 12);
  bytes.writeBigUInt64LE(duckdbChecksum(bytes.subarray(8, 4096)), 0);
  fs.writeFileSync(target, bytes);
}

function duckdbChecksum(block: Buffer): bigint {
  const mask = (1n << 64n) - 1n;
  let result = 5381n;
  for (let i = 0; i + 8 <= block.length; i += 8) result ^= (block.readBigUInt64LE(i) * 0xbf58476d1ce4e5b9n) & mask;
  return result;
}

export const WRITER_LOOP_SCRIPT = path.resolve(__dirname, '../../../../test/fixtures/duckdb/writer-loop.js');

export interface WriterSummary {
  opens: number;
  refused: number;
  batches: number;
  errors: string[];
}

export interface Writer {
  pid: number;
  /** Resolves with the writer's counts when its loop has ended. */
  done: Promise<WriterSummary>;
}

/** Starts writer-loop.js on `file` for `durationMs` and resolves once its first batch is written. */
export function startWriter(file: string, durationMs: number, mode: 'cycle' | 'hold'): Promise<Writer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER_LOOP_SCRIPT, file, String(durationMs), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let announced = false;
    const done = new Promise<WriterSummary>((finish, fail) => {
      child.once('exit', (code) => {
        const last = out.trim().split('\n').pop() ?? '';
        if (code === 0 && last.startsWith('{')) finish(JSON.parse(last) as WriterSummary);
        else fail(new Error(`writer-loop.js exited ${code}: ${err}`));
      });
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!announced && /^ready \d+/m.test(out)) {
        announced = true;
        resolve({ pid: child.pid ?? -1, done });
      }
    });
    done.catch(reject);
  });
}

/** SHA-256 of a file's bytes, or '-' when it does not exist. */
export function hashFile(file: string): string {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return '-';
  }
}
