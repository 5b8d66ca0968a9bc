import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { previewTable, readCatalog, runReadOnlyQuery } from '../../../src/core/duckdb/reader';
import type { DuckDbCatalog } from '../../../src/core/duckdb/types';
import { createDatabase, FIXTURE_SQL, tempDir, writeNewerFormatCopy } from './support';

const EXPECTED: DuckDbCatalog = {
  databaseName: 'dev',
  schemas: [
    { name: 'main', comment: null, relations: [] },
    {
      name: 'marts',
      comment: null,
      relations: [
        {
          schema: 'marts',
          name: 'customer_revenue',
          kind: 'table',
          comment: null,
          estimatedRowCount: 10,
          columns: [
            { name: 'customer_id', type: 'INTEGER', nullable: true, comment: null },
            { name: 'revenue', type: 'DECIMAL(38,2)', nullable: true, comment: 'Sum of order amounts' },
          ],
        },
      ],
    },
    {
      name: 'raw',
      comment: null,
      relations: [
        {
          schema: 'raw',
          name: 'customers',
          kind: 'table',
          comment: null,
          estimatedRowCount: 10,
          columns: [
            { name: 'customer_id', type: 'INTEGER', nullable: false, comment: null },
            { name: 'Full Name', type: 'VARCHAR', nullable: false, comment: null },
            { name: 'tags', type: 'VARCHAR[]', nullable: true, comment: null },
          ],
        },
        {
          schema: 'raw',
          name: 'orders',
          kind: 'table',
          comment: 'Orders as loaded from orders.csv',
          estimatedRowCount: 250,
          columns: [
            { name: 'order_id', type: 'INTEGER', nullable: false, comment: null },
            { name: 'customer_id', type: 'INTEGER', nullable: true, comment: null },
            { name: 'amount', type: 'DECIMAL(18,2)', nullable: true, comment: 'Order total in EUR' },
            { name: 'ordered_at', type: 'TIMESTAMP', nullable: true, comment: null },
          ],
        },
      ],
    },
    {
      name: 'staging',
      comment: null,
      relations: [
        {
          schema: 'staging',
          name: 'stg_orders',
          kind: 'view',
          comment: 'Orders with a positive amount',
          estimatedRowCount: null,
          columns: [
            { name: 'order_id', type: 'INTEGER', nullable: true, comment: null },
            { name: 'customer_id', type: 'INTEGER', nullable: true, comment: null },
            { name: 'amount', type: 'DECIMAL(18,2)', nullable: true, comment: null },
          ],
        },
      ],
    },
  ],
};

suite('duckdb reader', () => {
  let dir: string;
  let dev: string;

  suiteSetup(async () => {
    dir = tempDir();
    dev = path.join(dir, 'dev.duckdb');
    await createDatabase(dev, FIXTURE_SQL);
  });

  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the catalog of a raw/staging/marts database matches it exactly', async () => {
    const read = await readCatalog(dev);
    assert.ok(read.ok, JSON.stringify(read));
    assert.deepEqual(read.catalog, EXPECTED);
    assert.equal(read.timing.heldMs, 0, 'the original is never opened');
    assert.ok(read.timing.source === 'copy' || read.timing.source === 'clone', String(read.timing.source));
    assert.equal(read.timing.copiedBytes, fs.statSync(dev).size);
  });

  test('the file is released when the read returns: a writer can open it at once', async () => {
    assert.ok((await readCatalog(dev)).ok);
    const writer = await DuckDBInstance.create(dev);
    writer.closeSync();
    const query = await runReadOnlyQuery(dev, 'SELECT 1');
    assert.ok(query.ok);
    const again = await DuckDBInstance.create(dev);
    again.closeSync();
  });

  test('a WAL beside the file is replayed read-only and left in place', async () => {
    const file = path.join(dir, 'wal.duckdb');
    await createDatabase(file, 'CREATE TABLE kept (id INTEGER)');
    // Checkpoints off, then the process "dies": the new table lives only in the WAL.
    const instance = await DuckDBInstance.create(file);
    const connection = await instance.connect();
    await connection.run("SET checkpoint_threshold = '10GB'; PRAGMA disable_checkpoint_on_shutdown");
    await connection.run('CREATE TABLE only_in_wal AS SELECT 42 AS answer');
    connection.disconnectSync();
    instance.closeSync();
    const walBytes = fs.statSync(`${file}.wal`).size;
    assert.ok(walBytes > 0, 'the setup must leave a WAL');

    const read = await readCatalog(file);
    assert.ok(read.ok, JSON.stringify(read));
    assert.deepEqual(
      read.catalog.schemas.flatMap((s) => s.relations.map((r) => `${s.name}.${r.name}`)),
      ['main.kept', 'main.only_in_wal'],
    );
    assert.equal(fs.statSync(`${file}.wal`).size, walBytes, 'a read-only open must not checkpoint the WAL');
    const rows = await previewTable(file, 'main', 'only_in_wal');
    assert.ok(rows.ok);
    assert.deepEqual(rows.result.rows, [['42']]);
  });

  test('a missing file is a problem value', async () => {
    const read = await readCatalog(path.join(dir, 'nope', 'prod.duckdb'));
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'missing');
    assert.equal(read.problem.cause, 'prod.duckdb does not exist yet.');
    assert.equal(read.timing.heldMs, 0);
    assert.ok(!fs.existsSync(path.join(dir, 'nope')), 'a read must never create the file or its folder');
  });

  test('an empty file is reported as empty, and stays empty', async () => {
    const file = path.join(dir, 'empty.duckdb');
    fs.writeFileSync(file, '');
    const read = await readCatalog(file);
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'empty');
    assert.match(read.problem.cause, /empty \(0 bytes\)/);
    assert.equal(fs.statSync(file).size, 0);
  });

  test('random bytes are not a DuckDB file, in plain words', async () => {
    const file = path.join(dir, 'random.duckdb');
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 251;
    fs.writeFileSync(file, bytes);
    const read = await readCatalog(file);
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'not-duckdb');
    assert.equal(read.problem.cause, 'random.duckdb is not a DuckDB database file.');
    assert.match(read.problem.detail, /not a valid DuckDB database file/);
  });

  test('a SQLite file is named as such, without DuckDB reaching for its extension', async () => {
    const file = path.join(dir, 'legacy.duckdb');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096)]));
    const read = await readCatalog(file);
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'not-duckdb');
    assert.equal(read.problem.cause, 'legacy.duckdb is a SQLite database, not a DuckDB one.');
  });

  test('a file from a newer DuckDB says so, with the versions', async () => {
    const file = path.join(dir, 'newer.duckdb');
    writeNewerFormatCopy(dev, file);
    const read = await readCatalog(file);
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'incompatible');
    assert.match(read.problem.cause, /^newer\.duckdb was written by a newer DuckDB \(storage version 200\); this DuckDB reads versions \d+ to \d+\.$/);
  });

  test('a damaged block is reported as corrupt', async () => {
    const file = path.join(dir, 'damaged.duckdb');
    const bytes = fs.readFileSync(dev);
    bytes.fill(7, 4096, 8192);
    fs.writeFileSync(file, bytes);
    const read = await readCatalog(file);
    assert.ok(!read.ok);
    assert.equal(read.problem.kind, 'corrupt');
    assert.equal(read.problem.cause, "damaged.duckdb is damaged: a block's checksum does not match its contents.");
  });

  test('preview returns typed columns and display strings, cut and limited', async () => {
    const preview = await previewTable(dev, 'raw', 'orders', { limit: 3 });
    assert.ok(preview.ok, JSON.stringify(preview));
    assert.deepEqual(preview.result.columns, [
      { name: 'order_id', type: 'INTEGER' },
      { name: 'customer_id', type: 'INTEGER' },
      { name: 'amount', type: 'DECIMAL(18,2)' },
      { name: 'ordered_at', type: 'TIMESTAMP' },
    ]);
    assert.deepEqual(preview.result.rows, [
      ['1', '2', '1.50', '2024-01-01 01:00:00'],
      ['2', '3', '3.00', '2024-01-01 02:00:00'],
      ['3', '4', '4.50', '2024-01-01 03:00:00'],
    ]);
    assert.equal(preview.result.truncated, true);

    const quoted = await previewTable(dev, 'raw', 'customers', { limit: 1 });
    assert.ok(quoted.ok);
    assert.deepEqual(quoted.result.rows, [['1', 'Customer 1', "['a', 'b']"]]);

    const long = await runReadOnlyQuery(dev, "SELECT repeat('x', 500) AS long_text, NULL AS nothing", { maxValueLength: 200 });
    assert.ok(long.ok);
    assert.equal(long.result.rows[0][0], `${'x'.repeat(200)}…`);
    assert.equal(long.result.rows[0][1], null);
    assert.equal(long.result.truncated, false);
  });

  test('a query cannot write, and says why; a bad statement is a query problem', async () => {
    const write = await runReadOnlyQuery(dev, 'DROP TABLE raw.orders');
    assert.ok(!write.ok);
    assert.equal(write.problem.kind, 'query');
    assert.match(write.problem.cause, /read-only mode\.$/);
    const bad = await runReadOnlyQuery(dev, 'SELECT * FROM raw.nope');
    assert.ok(!bad.ok);
    assert.equal(bad.problem.kind, 'query');
    assert.equal(bad.problem.cause, 'Table with name nope does not exist.');
    const still = await readCatalog(dev);
    assert.ok(still.ok);
    assert.deepEqual(still.catalog, EXPECTED);
  });

  test('several statements run and the last one returns rows; external files stay out of reach', async () => {
    const multi = await runReadOnlyQuery(dev, "SET VARIABLE n = 2; SELECT getvariable('n') * 21 AS answer");
    assert.ok(multi.ok, JSON.stringify(multi));
    assert.deepEqual(multi.result.rows, [['42']]);
    const external = await runReadOnlyQuery(dev, `SELECT * FROM read_csv('${path.join(dir, 'x.csv')}')`);
    assert.ok(!external.ok);
    assert.match(external.problem.detail, /disabled/);
  });
});
