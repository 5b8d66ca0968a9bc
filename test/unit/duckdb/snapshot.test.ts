import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { previewTable, readCatalog, runReadOnlyQuery, type ReadOptions } from '../../../src/core/duckdb/reader';
import { cloneAvailable, sweepSnapshots, takeSnapshot } from '../../../src/core/duckdb/snapshot';
import type { DuckDbProblem } from '../../../src/core/duckdb/types';
import { createDatabase, FIXTURE_SQL, hashFile, holdLock, startWriter, tempDir, type Holder } from './support';

// Reads beside real writer processes: every read goes through a snapshot, so the writer is never
// refused, and the original's bytes never change. Each test uses its own snapshot folder, so "no
// copy is left" is checked exactly even while other processes read databases on this machine.

const LONG_QUERY = 'SELECT count(*) FROM range(60000000000)';

interface LoopCounts {
  reads: number;
  retried: number;
  busy: number;
  failures: string[];
}

/** Catalog, preview and query in a loop until `until` resolves. */
async function readInLoop(file: string, options: ReadOptions, until: Promise<unknown>): Promise<LoopCounts> {
  let over = false;
  void until.finally(() => (over = true));
  const counts: LoopCounts = { reads: 0, retried: 0, busy: 0, failures: [] };
  const note = (outcome: { ok: true; timing: { attempts?: number } } | { ok: false; problem: DuckDbProblem; timing: { attempts?: number } }, what: string): void => {
    counts.reads++;
    if ((outcome.timing.attempts ?? 1) > 1) counts.retried++;
    if (outcome.ok) return;
    // A torn copy that the retries could not resolve is reported plainly, never as a lock.
    if (outcome.problem.kind === 'busy') counts.busy++;
    else counts.failures.push(`${what}: ${outcome.problem.kind}: ${outcome.problem.detail}`);
  };
  while (!over) {
    note(await readCatalog(file, options), 'catalog');
    const hasEvents = await runReadOnlyQuery(file, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'events'", options);
    note(hasEvents, 'query');
    if (hasEvents.ok && hasEvents.result.rows[0][0] === '1') {
      note(await previewTable(file, 'main', 'events', { ...options, limit: 20 }), 'preview');
      note(await runReadOnlyQuery(file, 'SELECT count(*), max(id) FROM events', options), 'count');
    }
  }
  return counts;
}

suite('duckdb snapshot reads beside writers (real processes)', () => {
  let dir: string;
  let root: string;
  let holder: Holder | undefined;

  setup(() => {
    dir = tempDir('duckstack-snapshot-');
    root = path.join(dir, 'snapshots');
  });

  teardown(async () => {
    await holder?.kill();
    holder = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const left = (): string[] => (fs.existsSync(root) ? fs.readdirSync(root) : []);

  for (const mode of ['cycle', 'hold'] as const) {
    test(`a writer that ${mode === 'cycle' ? 'opens, inserts, checkpoints and closes in a tight loop' : 'holds the file and writes the whole time'} is refused 0 times in 20 s of reads`, async () => {
      const file = path.join(dir, 'busy.duckdb');
      await createDatabase(file, FIXTURE_SQL);
      const writer = await startWriter(file, 20_000, mode);
      const counts = await readInLoop(file, { snapshotRoot: root }, writer.done);
      const summary = await writer.done;
      assert.deepEqual(summary.errors, []);
      assert.equal(summary.refused, 0, `the writer was refused ${summary.refused} of ${summary.opens} opens`);
      assert.ok(summary.batches > 20, `the writer wrote only ${summary.batches} batches`);
      if (mode === 'cycle') assert.ok(summary.opens > 20, `the writer opened the file only ${summary.opens} times`);
      assert.deepEqual(counts.failures, []);
      assert.ok(counts.reads > 40, `only ${counts.reads} reads ran beside the writer`);
      assert.ok(counts.busy <= counts.reads / 10, `${counts.busy} of ${counts.reads} reads met a torn copy the retries did not resolve`);
      assert.deepEqual(left(), [], 'a snapshot was left behind');
      // eslint-disable-next-line no-console
      console.log(`      ${mode}: ${counts.reads} reads (${counts.retried} retried a torn copy, ${counts.busy} reported busy); writer ${summary.opens} opens, ${summary.batches} batches, 0 refused`);
    });
  }

  test('reads leave the original and its .wal byte for byte unchanged, and no copy behind: after success, error, timeout and cancel', async () => {
    const file = path.join(dir, 'held.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    // A holder whose last table lives only in the WAL, as a killed or running writer leaves it.
    holder = await holdLock(file, 'CREATE TABLE raw.only_in_wal AS SELECT 42 AS answer');
    assert.ok(fs.statSync(`${file}.wal`).size > 0, 'the setup must leave a WAL');
    const before = [hashFile(file), hashFile(`${file}.wal`)];
    const options = { snapshotRoot: root };

    const catalog = await readCatalog(file, options);
    assert.ok(catalog.ok, JSON.stringify(catalog));
    assert.ok(catalog.catalog.schemas.find((s) => s.name === 'raw')?.relations.some((r) => r.name === 'only_in_wal'));
    assert.deepEqual(left(), []);

    const preview = await previewTable(file, 'raw', 'only_in_wal', options);
    assert.ok(preview.ok);
    assert.deepEqual(preview.result.rows, [['42']]);
    assert.deepEqual(left(), []);

    const error = await runReadOnlyQuery(file, 'SELECT * FROM raw.nope', options);
    assert.ok(!error.ok);
    assert.equal(error.problem.kind, 'query');
    assert.doesNotMatch(error.problem.detail, new RegExp(root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'messages name the original, not the copy');
    assert.deepEqual(left(), []);

    const write = await runReadOnlyQuery(file, 'DROP TABLE raw.orders', options);
    assert.ok(!write.ok);
    assert.match(write.problem.cause, /read-only mode\.$/);

    const timeout = await runReadOnlyQuery(file, LONG_QUERY, { ...options, timeoutMs: 300 });
    assert.ok(!timeout.ok);
    assert.equal(timeout.problem.kind, 'timeout');
    assert.deepEqual(left(), []);

    const controller = new AbortController();
    const cancelled = runReadOnlyQuery(file, LONG_QUERY, { ...options, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(left().length, 1, 'the running query reads a snapshot');
    controller.abort();
    assert.deepEqual(left(), [], 'cancel removes the snapshot at once, before DuckDB has even returned');
    const outcome = await cancelled;
    assert.ok(!outcome.ok);
    assert.equal(outcome.problem.kind, 'cancelled');

    assert.deepEqual([hashFile(file), hashFile(`${file}.wal`)], before, 'a read changed the original or its WAL');
  });

  test('a query that never ends: the timeout ends it, and a writer can open the file at once after', async () => {
    const file = path.join(dir, 'long.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    const started = Date.now();
    const outcome = await runReadOnlyQuery(file, LONG_QUERY, { snapshotRoot: root, timeoutMs: 1000 });
    const took = Date.now() - started;
    assert.ok(!outcome.ok);
    assert.equal(outcome.problem.kind, 'timeout');
    assert.equal(outcome.problem.cause, 'The statement on long.duckdb ran longer than 1 s and was stopped.');
    assert.ok(took >= 1000 && took < 3000, `returned after ${took} ms`);
    assert.deepEqual(left(), []);
    // The writer opens read-write right away: nothing of ours holds the file.
    const writer = await DuckDBInstance.create(file);
    writer.closeSync();
  });

  test('even while the query runs, a writer opens the file: the query reads its own copy', async () => {
    const file = path.join(dir, 'beside.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    const controller = new AbortController();
    const running = runReadOnlyQuery(file, LONG_QUERY, { snapshotRoot: root, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const writer = await DuckDBInstance.create(file);
    const connection = await writer.connect();
    await connection.run('CREATE TABLE written_meanwhile AS SELECT 1 AS x');
    connection.disconnectSync();
    writer.closeSync();
    controller.abort();
    const outcome = await running;
    assert.ok(!outcome.ok);
    assert.equal(outcome.problem.kind, 'cancelled');
  });

  /** Calls `onCopy(n)` each time a new snapshot folder appears (its copy is complete by then: the copy is synchronous). */
  function onEachSnapshot(onCopy: (n: number) => void): () => void {
    const seen = new Set<string>();
    let running = true;
    const poll = (): void => {
      if (!running) return;
      for (const name of fs.existsSync(root) ? fs.readdirSync(root) : []) {
        if (seen.has(name)) continue;
        seen.add(name);
        onCopy(seen.size);
      }
      setImmediate(poll);
    };
    poll();
    return () => (running = false);
  }

  test('a torn copy (a writer changed the file while it was copied) is taken again, and the retry reads the new state', async () => {
    const file = path.join(dir, 'torn.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    const good = fs.readFileSync(file);
    const torn = Buffer.from(good);
    torn.fill(7, 4096, 8192);
    fs.writeFileSync(file, torn);
    // As a checkpoint would: the file is whole again right after the first copy was taken.
    const stop = onEachSnapshot((n) => {
      if (n === 1) fs.writeFileSync(file, good);
    });
    try {
      const read = await readCatalog(file, { snapshotRoot: root });
      assert.ok(read.ok, JSON.stringify(read));
      assert.equal(read.timing.attempts, 2);
      assert.equal(read.catalog.schemas.length, 4);
    } finally {
      stop();
    }
    assert.deepEqual(left(), []);
  });

  test('copies torn every time while the file keeps changing: reported as busy, never as damaged', async () => {
    const file = path.join(dir, 'churn.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    const torn = fs.readFileSync(file);
    torn.fill(7, 4096, 8192);
    fs.writeFileSync(file, torn);
    // A writer that rewrites the (still torn) file after every copy.
    const stop = onEachSnapshot((n) => {
      torn[torn.length - 1] = n;
      fs.writeFileSync(file, torn);
    });
    try {
      const read = await readCatalog(file, { snapshotRoot: root });
      assert.ok(!read.ok);
      assert.equal(read.problem.kind, 'busy');
      assert.equal(read.problem.cause, 'churn.duckdb changed while it was copied, 3 times in a row: a writer is busy with it.');
      assert.equal(read.timing.attempts, 3);
    } finally {
      stop();
    }
    assert.deepEqual(left(), []);
    // The same damage on a file nobody changes is the file's own: reported as damaged, after the same retries.
    const still = await readCatalog(file, { snapshotRoot: root });
    assert.ok(!still.ok);
    assert.equal(still.problem.kind, 'corrupt');
  });

  test('above the copy limit with no clone: the catalog is read from the original only when quiet and unheld; queries never run on it', async () => {
    assert.equal(cloneAvailable(), false, 'this test needs a temp folder without copy-on-write clones (ext4, tmpfs)');
    const file = path.join(dir, 'large.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    const options = { snapshotRoot: root, maxCopyBytes: 1 };
    // Just written: not quiet for 10 s yet.
    const recent = await readCatalog(file, options);
    assert.ok(!recent.ok);
    assert.equal(recent.problem.kind, 'too-large');
    assert.match(recent.problem.cause, /^large\.duckdb \(\d+(\.\d)? (KiB|MiB)\) is above the copy limit of 1 B; it is read directly only when no process holds it and it has been unchanged for 10 s, and it changed \d+ s ago\.$/);
    // Unchanged for a minute and held by nobody: a short direct read of the catalog.
    const minuteAgo = new Date(Date.now() - 60_000);
    fs.utimesSync(file, minuteAgo, minuteAgo);
    const quiet = await readCatalog(file, options);
    assert.ok(quiet.ok, JSON.stringify(quiet));
    assert.equal(quiet.timing.source, 'original');
    assert.ok(quiet.timing.heldMs > 0);
    assert.equal(quiet.catalog.schemas.length, 4);
    const query = await runReadOnlyQuery(file, 'SELECT 1', options);
    assert.ok(!query.ok);
    assert.equal(query.problem.kind, 'too-large');
    assert.match(query.problem.cause, /is not queried: a query on the original could refuse a writer\.$/);
    assert.deepEqual(left(), []);
  });

  test('a snapshot copies the file and its WAL; sweeping removes folders of dead processes only', async () => {
    const file = path.join(dir, 'copied.duckdb');
    await createDatabase(file, 'CREATE TABLE t (id INTEGER)');
    fs.writeFileSync(`${file}.wal`, 'wal bytes');
    const snapshot = await takeSnapshot(file, { root });
    assert.equal(path.basename(snapshot.file), 'copied.duckdb');
    assert.equal(fs.readFileSync(`${snapshot.file}.wal`, 'utf8'), 'wal bytes');
    assert.equal(snapshot.bytes, fs.statSync(file).size + 9);
    assert.equal(snapshot.settled, true);
    assert.equal((fs.statSync(root).mode & 0o777).toString(8), '700');

    // A crashed process's leftover (a PID that cannot be running) and a live one's.
    const dead = path.join(root, '4194305-crashed');
    fs.mkdirSync(dead);
    fs.writeFileSync(path.join(dead, 'x.duckdb'), 'x');
    assert.equal(sweepSnapshots(root), 1);
    assert.equal(fs.existsSync(dead), false);
    assert.equal(fs.existsSync(snapshot.dir), true, 'a live process keeps its snapshot');
    snapshot.drop();
    snapshot.drop();
    assert.deepEqual(left(), []);
  });
});
