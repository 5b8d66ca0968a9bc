import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { createDatabase, FIXTURE_SQL, hashFile, holdLock, tempDir, type Holder } from './support';

function capture(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { cwd, env: {}, out: (t) => (out += t), err: (t) => (err += t) }, out: () => out, err: () => err };
}

async function query(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture(cwd);
  const code = await cli(['query', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

suite('duckstack query', () => {
  let root: string;
  let dev: string;
  let holder: Holder | undefined;

  suiteSetup(async () => {
    root = tempDir('duckstack-query-cli-');
    dev = path.join(root, 'warehouse', 'dev.duckdb');
    await createDatabase(dev, FIXTURE_SQL);
  });

  teardown(async () => {
    await holder?.kill();
    holder = undefined;
  });

  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('table, json and csv output; a folder with one database is enough', async () => {
    const table = await query(root, 'warehouse/dev.duckdb', 'SELECT customer_id, "Full Name" FROM raw.customers ORDER BY 1 LIMIT 2');
    assert.equal(table.code, 0, table.err);
    assert.equal(table.out, ['customer_id  Full Name', '-----------  ----------', '1            Customer 1', '2            Customer 2', '(2 rows)', ''].join('\n'));

    const json = await query(root, '.', 'SELECT 1 AS one, NULL AS nothing', '--format', 'json');
    assert.equal(json.code, 0, json.err);
    const parsed = JSON.parse(json.out) as { database: string; columns: unknown; rows: unknown; truncated: boolean };
    assert.equal(parsed.database, fs.realpathSync(dev));
    assert.deepEqual(parsed.columns, [{ name: 'one', type: 'INTEGER' }, { name: 'nothing', type: 'INTEGER' }]);
    assert.deepEqual(parsed.rows, [['1', null]]);

    const csv = await query(root, dev, `SELECT 'a,b' AS x, 'say "hi"' AS y, NULL AS z`, '--format=csv');
    assert.equal(csv.code, 0, csv.err);
    assert.equal(csv.out, 'x,y,z\r\n"a,b","say ""hi""",\r\n');
  });

  test('a result above the limit says how many rows it cut', async () => {
    const table = await query(root, dev, 'SELECT * FROM raw.orders', '--limit', '5');
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /\(5 rows shown\)\n245 more rows not shown \(limit 5; --limit n shows more\)\.\n$/);
    const csv = await query(root, dev, 'SELECT * FROM raw.orders', '--limit', '5', '--format', 'csv');
    assert.equal(csv.out.split('\r\n').length, 7, 'header, 5 rows, and the final line break');
    assert.equal(csv.err, 'duckstack query: 245 more rows not shown (limit 5; --limit n shows more).\n');
  });

  test('SQL from --file; control characters in values are escaped in the table', async () => {
    const file = path.join(root, 'q.sql');
    fs.writeFileSync(file, "SELECT 'red' || chr(27) || '[31m' AS v;\n");
    const result = await query(root, dev, '--file', 'q.sql');
    assert.equal(result.code, 0, result.err);
    assert.ok(result.out.includes('red\\x1b[31m'), result.out);
    assert.ok(!result.out.includes('\u001b'));
  });

  test('statements that write, attach, install or reach files or the network are refused (exit 1), and nothing changes', async () => {
    const before = hashFile(dev);
    const refused: Array<[string, RegExp]> = [
      ['INSERT INTO raw.orders (order_id) VALUES (9999)', /read-only mode/],
      ['CREATE TABLE raw.scratch (i INTEGER)', /read-only mode/],
      ['DROP TABLE raw.orders', /read-only mode/],
      [`ATTACH '${path.join(root, 'other.duckdb')}' AS other`, /file system operations are disabled/],
      ['INSTALL httpfs', /disabled by configuration/],
      ['LOAD httpfs', /disabled through configuration/],
      [`COPY raw.orders TO '${path.join(root, 'out.csv')}'`, /file system operations are disabled/],
      ["SELECT * FROM read_csv('/etc/passwd')", /file system operations are disabled/],
      ["SELECT * FROM 'https://example.com/data.parquet'", /file system operations are disabled/],
      ['SET enable_external_access = true', /Cannot enable external access/],
    ];
    for (const [sql, message] of refused) {
      const result = await query(root, dev, sql);
      assert.equal(result.code, 1, `${sql}: ${result.err}`);
      assert.match(result.err, message, sql);
      assert.equal(result.out, '');
    }
    assert.equal(hashFile(dev), before);
    for (const created of ['other.duckdb', 'out.csv']) assert.equal(fs.existsSync(path.join(root, created)), false, created);
  });

  test('a query that never ends exits 124 at the timeout, and the writer opens the file at once after', async () => {
    const started = Date.now();
    const result = await query(root, dev, 'SELECT count(*) FROM range(60000000000)', '--timeout', '1');
    assert.equal(result.code, 124, result.err);
    assert.ok(Date.now() - started < 4000, `took ${Date.now() - started} ms`);
    assert.equal(result.err, 'duckstack query: The statement on dev.duckdb ran longer than 1 s and was stopped. Narrow it (WHERE, LIMIT), or raise the timeout (duckstack.duckdb.queryTimeoutSeconds, --timeout).\n');
    const writer = await DuckDBInstance.create(dev);
    writer.closeSync();
  });

  test('a database held by a writer is queried from a snapshot, WAL included', async () => {
    holder = await holdLock(dev, 'CREATE TABLE raw.held AS SELECT 7 AS x');
    const result = await query(root, dev, 'SELECT x FROM raw.held', '--format', 'csv');
    assert.equal(result.code, 0, result.err);
    assert.equal(result.out, 'x\r\n7\r\n');
  });

  test('usage and I/O errors exit 2 with the reason', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /name a database file or folder/],
      [[dev], /give the SQL to run/],
      [[dev, 'SELECT 1', '--format', 'xml'], /--format must be table, json or csv/],
      [[dev, 'SELECT 1', '--limit', '-3'], /--limit needs a whole number/],
      [[dev, 'SELECT 1', '--timeout', 'soon'], /--timeout needs a number of seconds/],
      [[dev, '--file', 'missing.sql'], /missing\.sql: not a readable file/],
      [['nowhere.duckdb', 'SELECT 1'], /nowhere\.duckdb: no such file or folder/],
      [[path.join(root, 'warehouse'), ' '], /the SQL is empty/],
      [[dev, 'SELECT 1', '--bogus'], /unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const result = await query(root, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
      assert.match(result.err, message);
    }
    const notDuckDb = path.join(root, 'notes.duckdb');
    fs.writeFileSync(notDuckDb, 'just text, long enough to not be empty'.repeat(200));
    const io = await query(root, notDuckDb, 'SELECT 1');
    assert.equal(io.code, 2);
    assert.match(io.err, /notes\.duckdb is not a DuckDB database file\./);
    fs.rmSync(notDuckDb);
    const empty = tempDir('duckstack-query-empty-');
    try {
      const none = await query(empty, '.', 'SELECT 1');
      assert.equal(none.code, 2);
      assert.match(none.err, /no existing DuckDB database/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
    const help = await query(root, '--help');
    assert.equal(help.code, 0);
    assert.match(help.out, /^Usage: duckstack query/);
  });
});
