// Reads beside a writer, and the cost of stopping a query. Printed, not asserted.
// 1. Writer refusals: a writer process (test/fixtures/duckdb/writer-loop.js) opens the database
//    read-write, inserts, checkpoints and closes in a tight loop for 60 s while DuckStack's catalog,
//    previews and queries run in a loop beside it, as the explorer's continuous refresh would.
//    Prints the writer's opens tried and refused (goal: 0 refused), and the reads made.
// 2. Cancel latency: a query that never ends is cancelled; from the cancel to its snapshot folder
//    being gone, median of 20 (goal < 100 ms); and from the cancel to the read returning.
// Run after `npx tsc -p .`:  node bench/duckdb-writers.mjs [--seconds=60] [--cancels=20]
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const outReader = path.join(root, 'out', 'src', 'core', 'duckdb', 'reader.js');
if (!fs.existsSync(outReader)) {
  console.error('out/src/core/duckdb/reader.js is missing: run `npx tsc -p .` first');
  process.exit(2);
}
const { readCatalog, previewTable, runReadOnlyQuery } = require(outReader);
const { cloneAvailable } = require(path.join(root, 'out', 'src', 'core', 'duckdb', 'snapshot.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 60);
const cancels = arg('cancels', 20);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-writers-'));
const snapshotRoot = path.join(dir, 'snapshots');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function createDatabase(file) {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run("CREATE SCHEMA raw; CREATE TABLE raw.orders AS SELECT i AS id, i * 1.5 AS amount FROM range(100000) t(i)");
  connection.disconnectSync();
  instance.closeSync();
}

function startWriter(file, durationMs) {
  const child = spawn(process.execPath, [path.join(root, 'test', 'fixtures', 'duckdb', 'writer-loop.js'), file, String(durationMs), 'cycle'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const last = out.trim().split('\n').pop();
      if (code === 0 && last?.startsWith('{')) resolve(JSON.parse(last));
      else reject(new Error(`writer-loop.js exited ${code}`));
    });
  });
}

try {
  console.log(`DuckDB reads beside a writer (snapshot copy method: ${cloneAvailable() ? 'copy-on-write clone' : 'plain copy'}; temp files in ${dir})`);
  const file = path.join(dir, 'busy.duckdb');
  await createDatabase(file);
  const options = { snapshotRoot };
  const writer = startWriter(file, seconds * 1000);
  let over = false;
  void writer.finally(() => (over = true));
  const reads = { ok: 0, busy: 0, failed: 0, retried: 0 };
  const note = (outcome) => {
    if (outcome.ok) reads.ok++;
    else if (outcome.problem.kind === 'busy') reads.busy++;
    else {
      reads.failed++;
      if (reads.failed <= 3) console.log(`  read failed: ${outcome.problem.kind}: ${outcome.problem.detail}`);
    }
    if ((outcome.timing.attempts ?? 1) > 1) reads.retried++;
  };
  while (!over) {
    note(await readCatalog(file, options));
    note(await previewTable(file, 'raw', 'orders', { ...options, limit: 100 }));
    note(await runReadOnlyQuery(file, 'SELECT count(*), sum(amount) FROM raw.orders', options));
  }
  const summary = await writer;
  console.log(
    `writer refusals over ${seconds} s: ${summary.refused} refused of ${summary.opens} opens tried (goal: 0 refused); ${summary.batches} batches written` +
      `${summary.errors.length > 0 ? `; writer errors: ${summary.errors.join(' | ')}` : ''}`,
  );
  console.log(
    `reads beside it: ${reads.ok + reads.busy + reads.failed} (${reads.ok} ok, ${reads.retried} needed a second copy, ${reads.busy} reported busy, ${reads.failed} failed); snapshots left: ${fs.readdirSync(snapshotRoot).length}`,
  );

  const dropped = [];
  const returned = [];
  for (let i = 0; i < cancels; i++) {
    const controller = new AbortController();
    const running = runReadOnlyQuery(file, 'SELECT count(*) FROM range(60000000000)', { ...options, signal: controller.signal });
    // Wait until the query runs on its snapshot.
    while (fs.readdirSync(snapshotRoot).length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    controller.abort();
    while (fs.readdirSync(snapshotRoot).length > 0) await new Promise((r) => setImmediate(r));
    dropped.push(performance.now() - started);
    const outcome = await running;
    returned.push(performance.now() - started);
    if (outcome.ok || outcome.problem.kind !== 'cancelled') throw new Error(`cancel ${i}: ${JSON.stringify(outcome)}`);
  }
  console.log(
    `cancel latency, median of ${cancels}: cancel → snapshot deleted ${median(dropped).toFixed(2)} ms (max ${Math.max(...dropped).toFixed(2)} ms, goal < 100 ms);` +
      ` cancel → read returned ${median(returned).toFixed(2)} ms (max ${Math.max(...returned).toFixed(2)} ms)`,
  );
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
