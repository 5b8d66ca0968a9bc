// The written fork is real: compose accepts it, Python compiles, notebooks are nbformat 4,
// Dockerfiles use the golden base image, and the sample data flows source → raw → staging → marts.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { buildDemoDatabases, planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { listFiles, OPTION_SETS, TEMPLATES_DIR, tempDir } from './support';

const execFileAsync = promisify(execFile);

async function writeFork(dir: string, set: (typeof OPTION_SETS)[number]): Promise<void> {
  const plan = planScaffold({ dir, without: set.without, ports: set.ports });
  assert.deepEqual(plan.problems, []);
  const result = await writeScaffold(plan);
  assert.ok(result.ok, result.ok ? '' : result.message);
}

suite('scaffold: the fork works', () => {
  const forks = new Map<string, string>();
  let root: string;

  suiteSetup(async () => {
    root = tempDir('fork');
    for (const set of OPTION_SETS) {
      const dir = path.join(root, set.label.replace(/\W+/g, '-'));
      await writeFork(dir, set);
      forks.set(set.label, dir);
    }
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const set of OPTION_SETS) {
    test(`docker compose config -q accepts it with .env.example as .env: ${set.label}`, async () => {
      const dir = forks.get(set.label) as string;
      fs.copyFileSync(path.join(dir, '.env.example'), path.join(dir, '.env'));
      const version = await execFileAsync('docker', ['compose', 'version'], { cwd: dir }).catch((e: Error) => e);
      assert.ok(!(version instanceof Error), `docker compose v2 is needed: run \`eval "$(scripts/ensure-docker.sh)"\` first (${version instanceof Error ? version.message : ''})`);
      const { stderr } = await execFileAsync('docker', ['compose', 'config', '-q'], { cwd: dir });
      assert.equal(stderr.trim(), '', 'no warnings (every variable is set)');
      const { stdout } = await execFileAsync('docker', ['compose', 'config', '--format', 'json'], { cwd: dir });
      const config = JSON.parse(stdout) as { name: string; services: Record<string, { healthcheck?: unknown; restart?: string; ports?: Array<{ published: string }>; volumes?: Array<{ type: string; source: string; target: string; read_only?: boolean }> }> };
      const expected = ['dagster', 'dbt', 'postgres', 'redis', 'superset', ...(set.without.includes('cube') ? [] : ['cube']), ...(set.without.includes('jupyter') ? [] : ['jupyter'])];
      assert.deepEqual(Object.keys(config.services).sort(), expected.sort());
      for (const [name, service] of Object.entries(config.services)) {
        assert.ok(service.healthcheck, `${name} has a healthcheck`);
        assert.equal(service.restart, 'unless-stopped', `${name} has a restart policy`);
      }
      assert.equal(config.services.dagster.ports?.[0].published, String(set.ports?.dagster ?? 3000));
      for (const bi of ['superset', 'cube', 'jupyter'].filter((s) => s in config.services)) {
        const duck = config.services[bi].volumes?.find((v) => v.target.endsWith('02_duck_db'));
        assert.ok(duck?.read_only, `${bi} mounts the DuckDB folder read-only`);
      }
    });
  }

  test('the compose file has no credential, no version key and only named or relative volumes', () => {
    const text = fs.readFileSync(path.join(forks.get('all services') as string, 'docker-compose.yml'), 'utf8');
    const doc = parseYaml(text) as { version?: unknown; services: Record<string, { environment?: Record<string, string>; volumes?: string[]; depends_on?: Record<string, { condition: string }> }> };
    assert.equal(doc.version, undefined);
    for (const [name, service] of Object.entries(doc.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/PASSWORD|SECRET|TOKEN|API_KEY/.test(key)) assert.match(value, /^\$\{[A-Z_]+(:\?[^}]+)?\}$/, `${name}.${key} comes from .env only`);
      }
      for (const v of service.volumes ?? []) assert.match(v, /^(\.\/|[a-z_]+:)/, `${name}: ${v}`);
      for (const dep of Object.values(service.depends_on ?? {})) assert.equal(dep.condition, 'service_healthy');
    }
  });

  test('every Python file compiles (python3 -m py_compile)', async () => {
    const dir = forks.get('all services') as string;
    const pyFiles = listFiles(dir).filter((f) => f.endsWith('.py'));
    assert.ok(pyFiles.length >= 6, pyFiles.join(', '));
    await execFileAsync('python3', ['-m', 'py_compile', ...pyFiles.map((f) => path.join(dir, f))], {
      env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(root, 'pycache') },
    });
  });

  test('the notebook is valid nbformat 4 JSON that opens the mart read-only', () => {
    const dir = forks.get('all services') as string;
    const notebooks = listFiles(dir).filter((f) => f.endsWith('.ipynb'));
    assert.deepEqual(notebooks, ['07_notebooks/explore_marts.ipynb']);
    const nb = JSON.parse(fs.readFileSync(path.join(dir, notebooks[0]), 'utf8')) as { nbformat: number; nbformat_minor: number; metadata: Record<string, unknown>; cells: Array<{ id: string; cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: unknown }> };
    assert.equal(nb.nbformat, 4);
    assert.ok(nb.nbformat_minor >= 5, 'cell ids need nbformat 4.5');
    assert.ok(nb.metadata.kernelspec);
    const ids = new Set<string>();
    for (const cell of nb.cells) {
      assert.ok(['markdown', 'code'].includes(cell.cell_type));
      assert.match(cell.id, /^[a-zA-Z0-9-_]{1,64}$/);
      assert.ok(!ids.has(cell.id), 'cell ids are unique');
      ids.add(cell.id);
      assert.ok(Array.isArray(cell.source));
      if (cell.cell_type === 'code') {
        assert.deepEqual(cell.outputs, []);
        assert.equal(cell.execution_count, null);
      }
    }
    const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.source.join('')).join('\n');
    assert.match(code, /duckdb\.connect\(DUCKDB_PROD_PATH, read_only=True\)/);
    assert.match(code, /marts\.fct_orders/);
  });

  test('every Dockerfile is on the golden Python base image, or the golden Superset image', () => {
    const dir = forks.get('all services') as string;
    const golden = fs.readFileSync(path.join(dir, 'golden_versions.md'), 'utf8');
    assert.match(golden, /^\| Tool \| Package \/ Image \| Golden Version \| Notes \|$/m);
    assert.match(golden, /^\| Python \| `python:3\.11-slim` \| 3\.11 \|/m);
    const dockerfiles = listFiles(dir).filter((f) => path.basename(f) === 'Dockerfile');
    assert.equal(dockerfiles.length, 4);
    for (const file of dockerfiles) {
      const from = [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
      assert.equal(from.length, 1, file);
      assert.ok(from[0] === 'python:3.11-slim' || (file.startsWith('06_superset/') && from[0] === 'apache/superset:5.0.0'), `${file}: FROM ${from[0]}`);
    }
  });

  test('pinned requirements match golden_versions.md', () => {
    const dir = forks.get('all services') as string;
    const golden = new Map<string, string>();
    for (const m of fs.readFileSync(path.join(dir, 'golden_versions.md'), 'utf8').matchAll(/^\| [^|]+ \| ([^|]+) \| v?([\d.]+) \|/gm)) {
      for (const name of m[1].matchAll(/`([^`]+)`/g)) golden.set(name[1], m[2]);
    }
    const reqFiles = listFiles(dir).filter((f) => f.endsWith('requirements.txt'));
    assert.equal(reqFiles.length, 4);
    for (const file of reqFiles) {
      for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const [name, version] = line.split('==');
        assert.ok(version, `${file}: ${line} is pinned`);
        assert.equal(golden.get(name), version, `${file}: ${name} at the golden version`);
      }
    }
  });

  test('the sample data is the generator\'s output (deterministic)', async () => {
    const out = path.join(root, 'regenerated');
    await execFileAsync('python3', [path.join(TEMPLATES_DIR, 'scripts', 'generate_sample_data.py')], {
      env: { ...process.env, SOURCE_DATA_DIR: out, PYTHONDONTWRITEBYTECODE: '1' },
    });
    for (const name of ['customers.csv', 'orders.csv', 'products.csv']) {
      assert.equal(fs.readFileSync(path.join(out, name), 'utf8'), fs.readFileSync(path.join(TEMPLATES_DIR, '01_source_data', name), 'utf8'), name);
    }
  });

  test('the data flows source → raw → staging → marts and the schema tests hold', async () => {
    const dir = forks.get('without cube and jupyter') as string;
    const built = await buildDemoDatabases(dir);
    assert.ok(built.ok, built.ok ? '' : built.message);
    const rows = Object.fromEntries(built.tables.map((t) => [`${t.database}.${t.schema}.${t.name}`, t.rows]));
    assert.deepEqual(rows, {
      'raw.main.customers': 20,
      'raw.main.orders': 60,
      'raw.main.products': 8,
      'dev.main.order_statuses': 4,
      'dev.staging.stg_customers': 20,
      'dev.staging.stg_orders': 60,
      'dev.staging.stg_products': 8,
      'dev.marts.fct_orders': 60,
      'dev.marts.dim_customers': 20,
    });

    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(built.devPath, { access_mode: 'READ_ONLY' });
    const con = await db.connect();
    const scalar = async (sql: string): Promise<number> => Number((await con.runAndReadAll(sql)).getRows()[0][0]);
    try {
      // Each schema.yml test, as the SQL dbt would run: the count of failing rows must be 0.
      const failing: Record<string, string> = {
        'fct_orders.order_id not_null': 'select count(*) from marts.fct_orders where order_id is null',
        'fct_orders.order_id unique': 'select count(*) from (select order_id from marts.fct_orders group by 1 having count(*) > 1)',
        'fct_orders.amount not_null': 'select count(*) from marts.fct_orders where amount is null',
        'fct_orders.status accepted_values': "select count(*) from marts.fct_orders where status not in ('placed', 'shipped', 'completed', 'returned')",
        'fct_orders.customer_id relationships': 'select count(*) from marts.fct_orders f left join marts.dim_customers c using (customer_id) where c.customer_id is null',
        'dim_customers.customer_id unique': 'select count(*) from (select customer_id from marts.dim_customers group by 1 having count(*) > 1)',
        'dim_customers.lifetime_revenue not_null': 'select count(*) from marts.dim_customers where lifetime_revenue is null',
        'stg_orders.product_id relationships': 'select count(*) from staging.stg_orders o left join staging.stg_products p using (product_id) where p.product_id is null',
        'stg_orders.customer_id relationships': 'select count(*) from staging.stg_orders o left join staging.stg_customers c using (customer_id) where c.customer_id is null',
        'order_statuses.status unique': 'select count(*) from (select status from main.order_statuses group by 1 having count(*) > 1)',
      };
      for (const [name, sql] of Object.entries(failing)) assert.equal(await scalar(sql), 0, name);
      // The marts add up: revenue is quantity × price, and dim_customers agrees with fct_orders.
      assert.equal(await scalar('select count(*) from marts.fct_orders where amount <> quantity * unit_price'), 0);
      assert.equal(await scalar('select sum(order_count) from marts.dim_customers'), 60);
      assert.equal(
        await scalar("select (select sum(lifetime_revenue) from marts.dim_customers) - (select sum(amount) from marts.fct_orders where status <> 'returned')"),
        0,
      );
      assert.equal(await scalar("select count(*) from marts.fct_orders where status_label is null or category is null"), 0);
    } finally {
      con.closeSync();
      db.closeSync();
    }
  });
});
