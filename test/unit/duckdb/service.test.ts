import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCatalog } from '../../../src/core/duckdb/reader';
import { DuckDbCatalogService, type CatalogNode } from '../../../src/core/duckdb/service';
import { cloneAvailable } from '../../../src/core/duckdb/snapshot';
import type { DuckDbDatabase } from '../../../src/core/duckdb/types';
import { createDatabase, FIXTURE_SQL, holdLock, tempDir, waitForChange, type Holder } from './support';

function database(file: string): DuckDbDatabase {
  return { path: file, name: path.basename(file), role: 'dev', exists: true, sizeBytes: null, sources: [] };
}

function relationNames(service: DuckDbCatalogService, file: string): string[] {
  return (service.state(file)?.catalog?.schemas ?? []).flatMap((s) => s.relations.map((r) => `${s.name}.${r.name}`));
}

suite('duckdb catalog service', () => {
  let dir: string;
  let service: DuckDbCatalogService | undefined;
  let holder: Holder | undefined;

  suiteSetup(() => {
    dir = tempDir('duckstack-service-');
  });

  teardown(async () => {
    service?.dispose();
    service = undefined;
    await holder?.kill();
    holder = undefined;
  });

  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a writer holding the file: the catalog is read from a snapshot (its WAL included), the holder is named, and goes when it exits', async () => {
    const file = path.join(dir, 'held.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    service = new DuckDbCatalogService({ holderPollMs: 100 });
    service.setDatabases([database(file)]);
    await service.refresh();
    assert.equal(relationNames(service, file).length, 4);
    assert.equal(service.state(file)?.holders, undefined);

    // The second process writes a table it never checkpoints, then holds the file like a dbt run.
    holder = await holdLock(file, 'CREATE TABLE raw.loaded_while_held AS SELECT 1 AS id');
    const direct = await readCatalog(file);
    assert.ok(direct.ok, JSON.stringify(direct));
    assert.equal(direct.timing.heldMs, 0);
    assert.ok(direct.catalog.schemas.some((s) => s.relations.some((r) => r.name === 'loaded_while_held')), 'the held WAL is in the snapshot');

    service.watch();
    await service.refresh(file);
    const held = service.state(file);
    assert.equal(held?.problem, undefined, 'being written is information, not a problem');
    assert.equal(held?.stale, false);
    assert.ok(relationNames(service, file).includes('raw.loaded_while_held'));
    assert.deepEqual(held?.holders?.map((h) => ({ pid: h.pid, access: h.access, command: h.command })), [{ pid: holder.pid, access: 'write', command: 'node hold-lock.js' }]);

    const released = waitForChange(service, (c) => c.path === file && service?.state(file)?.holders === undefined);
    await holder.kill();
    await released;
  });

  test('a large file that cannot be copied is not read while a writer holds it; retries back off', async () => {
    assert.equal(cloneAvailable(), false, 'this test needs a temp folder without copy-on-write clones (ext4, tmpfs)');
    const file = path.join(dir, 'backoff.duckdb');
    await createDatabase(file, 'CREATE TABLE t (id INTEGER)');
    holder = await holdLock(file);
    service = new DuckDbCatalogService({ retryInitialMs: 50, retryMaxMs: 200, read: () => ({ maxCopyBytes: 1 }) });
    service.setDatabases([database(file)]);
    const delays: number[] = [];
    const done = waitForChange(service, () => {
      delays.push(service?.state(file)?.retryInMs ?? -1);
      return delays.length === 4;
    });
    await service.refresh();
    await done;
    assert.deepEqual(delays, [50, 100, 200, 200]);
    const state = service.state(file);
    assert.equal(state?.problem?.kind, 'too-large');
    assert.match(state?.problem?.cause ?? '', new RegExp(`in use by node hold-lock\\.js \\(PID ${holder.pid}\\)`));
    assert.equal(state?.catalog, undefined);
    assert.equal(state?.stale, false, 'nothing to be stale about before a first good read');
  });

  test('while watching, a change is read once, after the file has been quiet', async () => {
    const file = path.join(dir, 'watched.duckdb');
    await createDatabase(file, 'CREATE TABLE first (id INTEGER)');
    const quietMs = 600;
    service = new DuckDbCatalogService({ quietMs });
    service.setDatabases([database(file)]);
    await service.refresh();
    service.watch();

    const changes: number[] = [];
    service.onDidChange((c) => {
      if (c.path === file) changes.push(Date.now());
    });
    const settled = waitForChange(service, () => relationNames(service!, file).includes('main.third'));
    // A burst of writes, each sooner than quietMs after the last.
    await createDatabase(file, 'CREATE TABLE second (id INTEGER)');
    await createDatabase(file, 'CREATE TABLE third (id INTEGER)');
    const lastWrite = Date.now();
    await settled;
    assert.equal(changes.length, 1, 'one read for the whole burst');
    assert.ok(changes[0] - lastWrite >= quietMs - 20, `read ${changes[0] - lastWrite} ms after the last write`);
    assert.deepEqual(relationNames(service, file), ['main.first', 'main.second', 'main.third']);
  });

  test('a database created after watching started is picked up', async () => {
    const file = path.join(dir, 'later', 'prod.duckdb');
    service = new DuckDbCatalogService({ quietMs: 100, pollMs: 100 });
    service.setDatabases([{ ...database(file), exists: false }]);
    await service.refresh();
    assert.equal(service.state(file)?.problem?.kind, 'missing');
    service.watch();
    const created = waitForChange(service, () => service?.state(file)?.catalog !== undefined);
    await createDatabase(file, 'CREATE TABLE appeared (id INTEGER)');
    await created;
    assert.deepEqual(relationNames(service, file), ['main.appeared']);
    assert.equal(service.state(file)?.database.exists, true);
  });

  test('the tree answers from the cache: databases, schemas, tables and views, columns, parents', async () => {
    const file = path.join(dir, 'tree.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    service = new DuckDbCatalogService();
    service.setDatabases([database(file)]);
    const [db] = service.children();
    assert.equal(db.kind, 'database');
    assert.deepEqual(service.children(db), [], 'nothing before the first read');
    await service.load(file);
    const schemas = service.children(db);
    assert.deepEqual(schemas.map((s) => s.kind === 'schema' && s.schema.name), ['main', 'marts', 'raw', 'staging']);
    const staging = schemas[3];
    const relations = service.children(staging);
    assert.deepEqual(relations.map((r) => r.kind === 'relation' && `${r.relation.kind} ${r.relation.name}`), ['view stg_orders']);
    const columns = service.children(relations[0]);
    assert.deepEqual(columns.map((c) => c.kind === 'column' && c.column.name), ['order_id', 'customer_id', 'amount']);
    assert.deepEqual(service.children(columns[0]), []);

    const up = (n: CatalogNode): string[] => {
      const p = service!.parent(n);
      return p ? [p.id, ...up(p)] : [];
    };
    assert.deepEqual(up(columns[2]), [relations[0].id, staging.id, db.id]);
    assert.equal(new Set([db, ...schemas, ...relations, ...columns].map((n) => n.id)).size, 1 + 4 + 1 + 3, 'ids are unique');
  });

  test('a listener that throws does not stop the others; dispose stops everything', async () => {
    const file = path.join(dir, 'listeners.duckdb');
    await createDatabase(file, 'CREATE TABLE t (id INTEGER)');
    service = new DuckDbCatalogService();
    service.onDidChange(() => {
      throw new Error('adapter bug');
    });
    let calls = 0;
    service.onDidChange(() => calls++);
    service.setDatabases([database(file)]);
    await service.refresh();
    assert.equal(calls, 2);
    service.dispose();
    await service.refresh();
    service.setDatabases([]);
    assert.equal(calls, 2);
  });
});
