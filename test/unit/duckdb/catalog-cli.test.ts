import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { createDatabase, FIXTURE_SQL, holdLock, tempDir, type Holder } from './support';

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function capture(cwd: string): Captured {
  let out = '';
  let err = '';
  return {
    io: { cwd, env: {}, out: (t) => (out += t), err: (t) => (err += t) },
    out: () => out,
    err: () => err,
  };
}

const COMPOSE = `
services:
  dagster:
    image: example/dagster:1
    environment:
      DUCKDB_DEV_PATH: /app/02_duck_db/02_dev/dev.duckdb
      DUCKDB_PROD_PATH: /app/02_duck_db/03_prod/prod.duckdb
    volumes:
      - ./02_duck_db:/app/02_duck_db
`;

suite('duckstack catalog', () => {
  let root: string;
  let dev: string;
  let holder: Holder | undefined;

  suiteSetup(async () => {
    root = tempDir('duckstack-catalog-cli-');
    fs.writeFileSync(path.join(root, 'docker-compose.yml'), COMPOSE);
    dev = path.join(root, '02_duck_db/02_dev/dev.duckdb');
    await createDatabase(dev, FIXTURE_SQL);
  });

  teardown(async () => {
    await holder?.kill();
    holder = undefined;
  });

  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('prints each database with schemas, tables, views and columns, and what is not created yet', async () => {
    const c = capture(root);
    assert.equal(await cli(['catalog'], c.io), 0, c.err());
    const real = fs.realpathSync(root);
    const lines = c.out().split('\n');
    assert.match(lines[0], new RegExp(`^dev\\.duckdb  \\[dev\\]  \\d+\\.\\d [KM]B  ${escape(path.join(real, '02_duck_db/02_dev/dev.duckdb'))}$`));
    assert.deepEqual(lines.slice(1, 24), [
      '  main  (empty)',
      '  marts',
      '    table customer_revenue  ~10 rows',
      '      customer_id  INTEGER',
      '      revenue      DECIMAL(38,2)  -- Sum of order amounts',
      '  raw',
      '    table customers  ~10 rows',
      '      customer_id  INTEGER NOT NULL',
      '      Full Name    VARCHAR NOT NULL',
      '      tags         VARCHAR[]',
      '    table orders  ~250 rows  -- Orders as loaded from orders.csv',
      '      order_id     INTEGER NOT NULL',
      '      customer_id  INTEGER',
      '      amount       DECIMAL(18,2)  -- Order total in EUR',
      '      ordered_at   TIMESTAMP',
      '  staging',
      '    view  stg_orders  -- Orders with a positive amount',
      '      order_id     INTEGER',
      '      customer_id  INTEGER',
      '      amount       DECIMAL(18,2)',
      `prod.duckdb  [prod]  not created yet  ${path.join(real, '02_duck_db/03_prod/prod.duckdb')}`,
      '  declared by DUCKDB_PROD_PATH of service dagster in docker-compose.yml; created by dagster when it first runs',
      '',
    ]);
    assert.equal(lines[24], '2 databases: 1 read, 1 not created yet, 0 unreadable.');
  });

  test('--json gives the model, and a file argument reads just that file', async () => {
    const c = capture(path.dirname(dev));
    assert.equal(await cli(['catalog', 'dev.duckdb', '--json'], c.io), 0, c.err());
    const parsed = JSON.parse(c.out()) as { databases: { name: string; catalog: { schemas: { name: string }[] }; sources: { kind: string }[] }[] };
    assert.equal(parsed.databases.length, 1);
    assert.equal(parsed.databases[0].name, 'dev.duckdb');
    assert.deepEqual(parsed.databases[0].catalog.schemas.map((s) => s.name), ['main', 'marts', 'raw', 'staging']);
    assert.deepEqual(parsed.databases[0].sources.map((s) => s.kind), ['explicit']);
  });

  test('a database held by a writer is read from a snapshot, names its holder, and exits 0', async () => {
    holder = await holdLock(dev, 'CREATE TABLE raw.loaded_while_held AS SELECT 1 AS id');
    const c = capture(root);
    assert.equal(await cli(['catalog', root], c.io), 0, c.err());
    const lines = c.out().split('\n');
    assert.equal(lines[1], `  in use by node hold-lock.js (PID ${holder.pid}); the catalog below is a snapshot`);
    assert.ok(lines.includes('    table loaded_while_held  ~1 row'), c.out());
    const j = capture(root);
    assert.equal(await cli(['catalog', '--json'], j.io), 0);
    const parsed = JSON.parse(j.out()) as { databases: { holders?: { pid: number; access: string; command: string }[]; timing?: { heldMs: number } }[] };
    assert.deepEqual(parsed.databases[0].holders, [{ pid: holder.pid, access: 'write', command: 'node hold-lock.js' }]);
    assert.equal(parsed.databases[0].timing?.heldMs, 0);
  });

  test('a missing file given directly is unreadable (1); bad arguments are usage errors (2)', async () => {
    const missing = capture(root);
    assert.equal(await cli(['catalog', 'nowhere/prod.duckdb'], missing.io), 1);
    assert.match(missing.out(), /prod\.duckdb does not exist yet\./);
    for (const args of [['catalog', '--yaml'], ['catalog', 'a', 'b'], ['catalog', 'no-such-folder']]) {
      const c = capture(root);
      assert.equal(await cli(args, c.io), 2, args.join(' '));
      assert.ok(c.err().startsWith('duckstack catalog: '), c.err());
    }
    const help = capture(root);
    assert.equal(await cli(['catalog', '--help'], help.io), 0);
    assert.match(help.out(), /^Usage: duckstack catalog/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
