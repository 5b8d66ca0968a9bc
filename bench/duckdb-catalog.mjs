// Prints how long reading a whole DuckDB catalog takes, as a ratio to DuckDB's own floor on the same
// file in the same run: a bare read-only open of the original + `SELECT * FROM duckdb_columns()` +
// close. DuckStack's read includes the snapshot (copy or clone of the file and its .wal into a
// private folder, then removal) and never opens the original: the original is held 0 ms. Also the
// cost of a WAL left beside the file (the open replays it), and expanding a schema of 1,000 tables
// in the tree model from the cache.
// Goals (issues 5 and 10): at most 1.3x the floor including the copy; tree expansion under 20 ms.
// Printed, not asserted.
// Run after `npx tsc -p .`:  node bench/duckdb-catalog.mjs [--runs=N]
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
const { readCatalog } = require(outReader);
const { cloneAvailable } = require(path.join(root, 'out', 'src', 'core', 'duckdb', 'snapshot.js'));
const { DuckDbCatalogService } = require(path.join(root, 'out', 'src', 'core', 'duckdb', 'service.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const runsArg = process.argv.find((a) => a.startsWith('--runs='));
const runs = runsArg ? Number(runsArg.slice(7)) : 5;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-duckdb-'));

async function withConnection(file, fn, options) {
  const instance = await DuckDBInstance.create(file, options);
  const connection = await instance.connect();
  try {
    return await fn(connection);
  } finally {
    connection.disconnectSync();
    instance.closeSync();
  }
}

function tableSql(schema, table) {
  const columns = Array.from({ length: 10 }, (_, i) => `c${i} ${['INTEGER', 'VARCHAR', 'DOUBLE', 'TIMESTAMP', 'DECIMAL(18,2)'][i % 5]}`);
  return `CREATE TABLE ${schema}.${table} (${columns.join(', ')});`;
}

async function generate(file, schemas, tablesPerSchema) {
  const started = performance.now();
  await withConnection(file, async (c) => {
    await c.run('BEGIN');
    for (let s = 0; s < schemas; s++) {
      let sql = `CREATE SCHEMA s${s};`;
      for (let t = 0; t < tablesPerSchema; t++) sql += tableSql(`s${s}`, `t${t}`);
      await c.run(sql);
    }
    await c.run('COMMIT');
    await c.run('CHECKPOINT');
  });
  return performance.now() - started;
}

/** Adds tables that stay in the WAL: checkpoints off, as if the writer had been killed. */
async function addWal(file, tables) {
  await withConnection(file, async (c) => {
    await c.run("SET checkpoint_threshold = '10GB'; PRAGMA disable_checkpoint_on_shutdown");
    let sql = 'CREATE SCHEMA in_wal;';
    for (let t = 0; t < tables; t++) sql += tableSql('in_wal', `t${t}`);
    await c.run(sql);
  });
  return fs.statSync(`${file}.wal`).size;
}

async function bare(file) {
  const started = performance.now();
  await withConnection(file, (c) => c.runAndReadAll('SELECT * FROM duckdb_columns()'), { access_mode: 'READ_ONLY' });
  return performance.now() - started;
}

async function ours(file) {
  const read = await readCatalog(file);
  if (!read.ok) throw new Error(`${file}: ${read.problem.cause}`);
  return read.timing;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

async function compare(label, file, n) {
  const floor = [];
  const total = [];
  const held = [];
  const copy = [];
  await bare(file); // warm the page cache and the native module once for both sides
  for (let i = 0; i < n; i++) {
    // Alternate so that machine noise hits both sides alike.
    floor.push(await bare(file));
    const t = await ours(file);
    total.push(t.totalMs);
    held.push(t.heldMs);
    copy.push(t.copyMs ?? 0);
  }
  const f = median(floor);
  console.log(
    `${label.padEnd(40)} floor ${ms(f).padStart(10)} | read ${ms(median(total)).padStart(10)} (${(median(total) / f).toFixed(2)}x, goal <= 1.3x)` +
      ` | of which copy ${ms(median(copy)).padStart(8)} | original held ${ms(median(held))}`,
  );
  return f;
}

try {
  const big = path.join(dir, 'big.duckdb');
  const small = path.join(dir, 'small.duckdb');
  const wide = path.join(dir, 'wide.duckdb');
  console.log(`DuckDB catalog benchmark (${runs} runs each, medians; temp files in ${dir})`);
  console.log(`snapshot copy method on this machine: ${cloneAvailable() ? 'copy-on-write clone (FICLONE)' : 'plain copy (the file system has no copy-on-write clone)'}`);
  console.log(`generate 100 schemas x 100 tables x 10 columns: ${ms(await generate(big, 100, 100))}, ${(fs.statSync(big).size / 1e6).toFixed(0)} MB`);
  await generate(small, 1, 50);
  await generate(wide, 1, 1000);

  const bigFloor = await compare('10,000 tables (100 x 100)', big, runs);
  const smallFloor = await compare('50 tables', small, runs * 2);

  const smallWal = path.join(dir, 'small-wal.duckdb');
  fs.copyFileSync(small, smallWal);
  const smallWalBytes = await addWal(smallWal, 50);
  const smallWalFloor = await compare(`50 tables + WAL of 50 (${(smallWalBytes / 1024).toFixed(0)} KB)`, smallWal, runs * 2);

  const bigWal = path.join(dir, 'big-wal.duckdb');
  fs.copyFileSync(big, bigWal);
  const bigWalBytes = await addWal(bigWal, 1000);
  const bigWalFloor = await compare(`10,000 tables + WAL of 1,000 (${(bigWalBytes / 1024).toFixed(0)} KB)`, bigWal, runs);
  console.log(
    `WAL replay cost on the floor: small +${ms(smallWalFloor - smallFloor)} (${(smallWalFloor / smallFloor).toFixed(2)}x),` +
      ` large +${ms(bigWalFloor - bigFloor)} (${(bigWalFloor / bigFloor).toFixed(2)}x)`,
  );

  const service = new DuckDbCatalogService();
  service.setDatabases([{ path: wide, name: 'wide.duckdb', role: 'dev', exists: true, sizeBytes: null, sources: [] }]);
  await service.load(wide);
  const [db] = service.children();
  const schemaNode = service.children(db).find((n) => n.schema.name === 's0');
  const expand = [];
  for (let i = 0; i < 51; i++) {
    const started = performance.now();
    const nodes = service.children(schemaNode);
    expand.push(performance.now() - started);
    if (nodes.length !== 1000) throw new Error(`expected 1000 tables, got ${nodes.length}`);
  }
  const first = expand[0];
  console.log(`expand a schema of 1,000 tables from the cache: first ${ms(first)}, median ${ms(median(expand.slice(1)))} (goal < 20 ms)`);
  service.dispose();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
