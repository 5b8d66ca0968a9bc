import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findDatabases, toHostPath } from '../../../src/core/duckdb/discovery';
import { createDatabase, tempDir } from './support';

// The platform's real layout: DuckDB files under ./02_duck_db mounted at /app/02_duck_db, paths in
// compose environments and .env as container paths, dbt profiles with env_var() defaults.
const COMPOSE = `
name: proto
services:
  dagster:
    image: example/dagster:1
    environment:
      DUCKDB_RAW_PATH: /app/02_duck_db/01_raw/raw.duckdb
      DUCKDB_DEV_PATH: \${DUCKDB_DEV_PATH}
      DUCKDB_PROD_PATH: /app/02_duck_db/03_prod/prod.duckdb
      DBT_PROFILES_DIR: /app/04_dbt
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
    volumes:
      - ./02_duck_db:/app/02_duck_db
      - ./04_dbt:/app/04_dbt
      - dagster_storage:/opt/dagster/storage
  superset:
    image: example/superset:1
    environment:
      DUCKDB_PROD_PATH: /app/02_duck_db/03_prod/prod.duckdb
    volumes:
      - ./02_duck_db:/app/02_duck_db:ro
  cube:
    image: example/cube:1
    environment:
      DUCKDB_PROD_PATH: /cube/02_duck_db/03_prod/prod.duckdb
      DUCKDB_ARCHIVE_PATH: /opt/dagster/storage/archive.duckdb
    volumes:
      - ./02_duck_db:/cube/02_duck_db:ro
volumes:
  dagster_storage:
`;

const DOT_ENV = `
POSTGRES_PASSWORD=s3cret-value-never-shown
DUCKDB_DEV_PATH=/app/02_duck_db/02_dev/dev.duckdb
`;

const DOT_ENV_EXAMPLE = `
DUCKDB_DEV_PATH=/app/02_duck_db/02_dev/example-dev.duckdb
DUCKDB_SCRATCH_PATH=./07_notebooks/scratch.duckdb
`;

const PROFILES = `
analytics:
  target: "{{ env_var('DBT_TARGET', 'dev') }}"
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('DUCKDB_DEV_PATH', '/app/02_duck_db/02_dev/dev.duckdb') }}"
      attach:
        - path: "{{ env_var('DUCKDB_RAW_PATH', '/app/02_duck_db/01_raw/raw.duckdb') }}"
          alias: raw
          read_only: true
    test:
      type: duckdb
      path: "{{ env_var('DUCKDB_TEST_PATH', '/app/02_duck_db/02_dev/test.duckdb') }}"
      attach:
        - path: "{{ env_var('DUCKDB_RAW_PATH', '/app/02_duck_db/01_raw/raw.duckdb') }}"
          alias: raw
    ci:
      type: postgres
      path: /not/a/duckdb
    memory:
      type: duckdb
      path: ":memory:"
`;

suite('duckdb discovery', () => {
  let root: string;

  suiteSetup(async () => {
    root = tempDir('duckstack-discovery-');
    const write = (rel: string, text: string): void => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('docker-compose.yml', COMPOSE);
    write('.env', DOT_ENV);
    write('.env.example', DOT_ENV_EXAMPLE);
    write('04_dbt/profiles.yml', PROFILES);
    write('01_source_data/orders.csv', 'id\n1\n');
    fs.mkdirSync(path.join(root, '02_duck_db/01_raw'), { recursive: true });
    fs.mkdirSync(path.join(root, '02_duck_db/03_prod'), { recursive: true });
    await createDatabase(path.join(root, '02_duck_db/02_dev/dev.duckdb'), 'CREATE TABLE t (id INTEGER)');
    await createDatabase(path.join(root, '07_notebooks/scratch.duckdb'), 'CREATE TABLE s (id INTEGER)');
    // Not the workspace's own: skipped by the walk.
    write('node_modules/some-package/fixture.duckdb', '');
    write('.git/objects/stray.duckdb', '');
    write('a/b/c/d/e/f/too-deep.duckdb', '');
    // A link to the dev file is the same database.
    fs.mkdirSync(path.join(root, 'links'));
    fs.symlinkSync(path.join(root, '02_duck_db/02_dev/dev.duckdb'), path.join(root, 'links/dev-link.duckdb'));
  });

  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('finds every declared and present database, on host paths, deduplicated, with roles', async () => {
    const databases = await findDatabases(root, { processEnv: {}, databases: ['02_duck_db/03_prod/prod.duckdb', '  '] });
    const rel = (p: string): string => path.relative(fs.realpathSync(root), p);
    assert.deepEqual(
      databases.map((d) => ({ path: rel(d.path), role: d.role, exists: d.exists, sources: d.sources.map((s) => s.label), missing: d.missingReason })),
      [
        {
          path: '02_duck_db/01_raw/raw.duckdb',
          role: 'raw',
          exists: false,
          sources: [
            'DUCKDB_RAW_PATH of service dagster in docker-compose.yml',
            'dbt profile analytics, attached as raw by targets dev, test (04_dbt/profiles.yml)',
          ],
          missing: 'declared by DUCKDB_RAW_PATH of service dagster in docker-compose.yml; created by dagster when it first runs',
        },
        {
          path: '02_duck_db/02_dev/dev.duckdb',
          role: 'dev',
          exists: true,
          sources: [
            'DUCKDB_DEV_PATH in .env',
            'DUCKDB_DEV_PATH of service dagster in docker-compose.yml',
            'dbt profile analytics, target dev (04_dbt/profiles.yml)',
            // The walk is breadth-first: the link one level down comes before the file two down.
            'found in the workspace (links/dev-link.duckdb)',
            'found in the workspace (02_duck_db/02_dev/dev.duckdb)',
          ],
          missing: undefined,
        },
        {
          path: '02_duck_db/02_dev/test.duckdb',
          role: 'test',
          exists: false,
          sources: ['dbt profile analytics, target test (04_dbt/profiles.yml)'],
          missing: 'declared by dbt profile analytics, target test (04_dbt/profiles.yml); created by dbt when it first runs',
        },
        {
          path: '02_duck_db/03_prod/prod.duckdb',
          role: 'prod',
          exists: false,
          sources: [
            'DUCKDB_PROD_PATH of service dagster in docker-compose.yml',
            'DUCKDB_PROD_PATH of service superset in docker-compose.yml',
            'DUCKDB_PROD_PATH of service cube in docker-compose.yml',
            'the duckstack.databases setting',
          ],
          missing: 'declared by DUCKDB_PROD_PATH of service dagster in docker-compose.yml; created by dagster when it first runs',
        },
        {
          path: path.relative(fs.realpathSync(root), '/opt/dagster/storage/archive.duckdb'),
          role: 'unknown',
          exists: false,
          sources: ['DUCKDB_ARCHIVE_PATH of service cube in docker-compose.yml'],
          missing:
            'declared by DUCKDB_ARCHIVE_PATH of service cube in docker-compose.yml; /opt/dagster/storage/archive.duckdb is not on this machine and no compose bind mount maps it here',
        },
        {
          path: '07_notebooks/scratch.duckdb',
          role: 'unknown',
          exists: true,
          sources: ['DUCKDB_SCRATCH_PATH in .env.example', 'found in the workspace (07_notebooks/scratch.duckdb)'],
          missing: undefined,
        },
      ],
    );
    const dev = databases[1];
    assert.equal(dev.sizeBytes, fs.statSync(path.join(root, '02_duck_db/02_dev/dev.duckdb')).size);
    assert.equal(dev.sources[0].declaredPath, '/app/02_duck_db/02_dev/dev.duckdb');
    assert.equal(dev.sources[0].file, path.join(root, '.env'));
    assert.ok(!JSON.stringify(databases).includes('s3cret-value-never-shown'), 'secrets from .env must not leak into the model');
  });

  test('the process environment feeds compose interpolation and env_var(), as in compose', async () => {
    const databases = await findDatabases(root, {
      processEnv: { DUCKDB_DEV_PATH: '/app/02_duck_db/02_dev/other.duckdb' },
      maxDepth: 0,
    });
    const viaCompose = databases.find((d) => d.sources.some((s) => s.kind === 'compose' && s.variable === 'DUCKDB_DEV_PATH'));
    assert.equal(viaCompose?.path, path.join(fs.realpathSync(root), '02_duck_db/02_dev/other.duckdb'));
    assert.ok(databases.every((d) => d.sources.every((s) => s.kind !== 'workspace' && s.kind !== 'dbt-profile')), 'maxDepth 0 walks only the root');
  });

  test('a folder with nothing DuckDB in it yields no databases', async () => {
    const empty = tempDir('duckstack-discovery-empty-');
    try {
      assert.deepEqual(await findDatabases(empty, { processEnv: {} }), []);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('container paths map through the longest matching bind mount', () => {
    const mounts = [
      { type: 'bind' as const, source: '/host/proj/02_duck_db', target: '/app/02_duck_db', readOnly: false },
      { type: 'bind' as const, source: '/host/fast-disk/prod', target: '/app/02_duck_db/03_prod/', readOnly: false },
      { type: 'volume' as const, source: 'data', target: '/data', readOnly: false },
    ];
    assert.equal(toHostPath('/app/02_duck_db/02_dev/dev.duckdb', '/host/proj', mounts), '/host/proj/02_duck_db/02_dev/dev.duckdb');
    assert.equal(toHostPath('/app/02_duck_db/03_prod/prod.duckdb', '/host/proj', mounts), '/host/fast-disk/prod/prod.duckdb');
    assert.equal(toHostPath('/app/02_duck_dbx/a.duckdb', '/host/proj', mounts), '/app/02_duck_dbx/a.duckdb');
    assert.equal(toHostPath('/data/x.duckdb', '/host/proj', mounts), '/data/x.duckdb');
    assert.equal(toHostPath('./db/x.duckdb', '/host/proj', mounts), '/host/proj/db/x.duckdb');
  });
});
