// The static and data checks on real forks, with no Docker engine answering (so every runtime
// check is "not checked", which is not a failure): a scaffolded fork with demo databases passes;
// a broken one fails each check with the findings as evidence; DuckDB files that are missing,
// empty give fail / fail; a database held by a writer is read from a snapshot like any other.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { buildDemoDatabases, DEV_DATABASE } from '../../../src/core/scaffold';
import { validatePlatform, type ValidationReport } from '../../../src/core/validate';
import { createDatabase, holdLock } from '../duckdb/support';
import { check, expectStatus, FIXTURES, noDockerEnv, parseXml, scaffoldFork, tempDir } from './support';

const PROD_DATABASE = '02_duck_db/03_prod/prod.duckdb';

function edit(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const next = text.replace(from, to);
  assert.notEqual(next, text, `${from} not found in ${file}`);
  fs.writeFileSync(file, next);
}

function cliIo(cwd: string): CliIo & { stdout: string; stderr: string } {
  const state = {
    cwd,
    env: noDockerEnv(),
    stdout: '',
    stderr: '',
    out(t: string) {
      state.stdout += t;
    },
    err(t: string) {
      state.stderr += t;
    },
  };
  return state;
}

suite('validate: forks without a running stack', function () {
  this.timeout(60_000);
  let root: string;
  let clean: string;
  let cleanReport: ValidationReport;

  suiteSetup(async () => {
    root = tempDir('forks');
    clean = path.join(root, 'clean');
    await scaffoldFork(clean);
    const demo = await buildDemoDatabases(clean);
    assert.ok(demo.ok, JSON.stringify(demo));
    // dbt's prod target builds the same models into prod.duckdb.
    fs.mkdirSync(path.dirname(path.join(clean, PROD_DATABASE)), { recursive: true });
    fs.copyFileSync(path.join(clean, DEV_DATABASE), path.join(clean, PROD_DATABASE));
    cleanReport = await validatePlatform(clean, { env: noDockerEnv() });
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a cancelled run returns a report: the checks not run are "not checked: Cancelled.", nothing fails for it', async () => {
    const abort = new AbortController();
    abort.abort();
    const report = await validatePlatform(clean, { env: noDockerEnv(), signal: abort.signal });
    const cancelled = report.checks.find((c) => c.id === 'cancelled:data');
    assert.ok(cancelled, report.checks.map((c) => c.id).join(', '));
    assert.equal(cancelled.status, 'not-checked');
    assert.equal(cancelled.reason, 'Cancelled.');
    assert.equal(report.checks.some((c) => c.id.startsWith('data:')), false, 'data checks ran after the cancel');
    assert.equal(report.ok, true, report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`).join('; '));
  });

  test('a scaffolded fork with its demo data passes every static and data check', () => {
    for (const id of ['compose-config', 'config-hardcoded', 'env-documented', 'golden-versions', 'superset-duckdb', 'readme', 'duckdb-databases', 'data:raw', 'data:staging', 'data:marts']) {
      expectStatus(cleanReport, id, 'pass');
    }
    assert.match(check(cleanReport, 'superset-duckdb').evidence[0], /^06_superset\/superset_config\.py:\d+: duckdb:\/\/\/\{DUCKDB_PROD_PATH\}\?access_mode=read_only$/);
    assert.match(check(cleanReport, 'readme').evidence.join('\n'), /Dagster \(port 3000\)[\s\S]*Superset \(port 8088\)[\s\S]*Cube \(port 4000\)[\s\S]*Jupyter \(port 8888\)/);
    assert.ok(check(cleanReport, 'data:marts').evidence.some((e) => /^prod\.duckdb marts\.fct_orders: [1-9]\d* rows$/.test(e)));
    assert.ok(check(cleanReport, 'data:raw').evidence.some((e) => /^raw\.duckdb main\.customers: [1-9]\d* rows$/.test(e)));
    assert.match(check(cleanReport, 'duckdb-databases').reason, /raw\.duckdb, dev\.duckdb, prod\.duckdb exist; not built yet: test\.duckdb\./);
  });

  test('with Docker unreachable the runtime checks are not checked, with the reason, and the report is ok', () => {
    for (const id of ['services', 'logs', 'ui', 'cube-meta']) {
      assert.match(expectStatus(cleanReport, id, 'not-checked').reason, /^Docker is not reachable: No Docker engine is listening at unix:\/\/\/nonexistent/);
    }
    assert.match(expectStatus(cleanReport, 'restart', 'not-checked').reason, /^Not asked for: run with --restart/);
    assert.equal(cleanReport.ok, true);
    assert.equal(cleanReport.summary.failed, 0);
  });

  test('the CLI exits 0 on the clean fork, with text, JSON and JUnit reports that agree', async () => {
    const text = cliIo(root);
    assert.equal(await cli(['validate', 'clean'], text), 0, text.stdout + text.stderr);
    assert.match(text.stdout, /✓ {2}marts holds tables with rows/);
    assert.match(text.stdout, /– {2}Every service is running and healthy/);
    assert.match(text.stderr, /Linting the configuration…/);

    const json = cliIo(clean);
    assert.equal(await cli(['validate', '--format', 'json'], json), 0);
    assert.equal(json.stderr, '');
    const parsed = JSON.parse(json.stdout) as ValidationReport;
    assert.equal(parsed.dir, clean);
    assert.deepEqual(parsed.checks.map((c) => [c.id, c.status]), cleanReport.checks.map((c) => [c.id, c.status]));

    const junit = cliIo(clean);
    assert.equal(await cli(['validate', '--format=junit'], junit), 0);
    const xml = parseXml(junit.stdout);
    assert.equal(Number(xml.attributes.tests), parsed.checks.length);
    assert.equal(Number(xml.attributes.skipped), parsed.summary.notChecked);
    assert.equal(xml.attributes.failures, '0');
  });

  test('Cube not in the stack: its check is not checked, saying so', async () => {
    const dir = path.join(root, 'no-cube');
    await scaffoldFork(dir, ['cube']);
    const report = await validatePlatform(dir, { env: noDockerEnv() });
    assert.equal(expectStatus(report, 'cube-meta', 'not-checked').reason, 'Cube is not in the stack.');
  });

  test('Superset not in the stack: its check is not checked', async () => {
    const report = await validatePlatform(path.join(FIXTURES, 'broken'), { env: noDockerEnv() });
    assert.equal(expectStatus(report, 'superset-duckdb', 'not-checked').reason, 'Superset is not in the stack.');
  });

  test('a broken fork fails each static check, pointing at the file and line, with findings as evidence', async () => {
    const dir = path.join(root, 'broken');
    await scaffoldFork(dir);
    const compose = path.join(dir, 'docker-compose.yml');
    edit(compose, '"${DAGSTER_PORT:-3000}:3000"', '"3000:3000"');
    edit(compose, 'image: postgres:16.6', 'image: postgres:15.4');
    edit(compose, /(\n {6}POSTGRES_PASSWORD: )\$\{POSTGRES_PASSWORD:\?set POSTGRES_PASSWORD in \.env\}/, '$1supersecret');
    edit(compose, '    image: redis:7.4.1\n', '    image: redis:7.4.1\n    environment:\n      REDIS_EXTRA: ${REDIS_EXTRA_SETTING}\n');
    edit(path.join(dir, '06_superset/superset_config.py'), '?access_mode=read_only"', '"');
    edit(path.join(dir, 'README.md'), /^## Setup.*$/m, '## Notes');
    edit(path.join(dir, 'README.md'), /^\| Cube playground.*\n/m, '');

    const report = await validatePlatform(dir, { env: noDockerEnv() });
    const hardcoded = expectStatus(report, 'config-hardcoded', 'fail');
    assert.equal(hardcoded.file, compose);
    assert.equal(typeof hardcoded.line, 'number');
    assert.match(hardcoded.evidence.join('\n'), /compose-host-port-variable: Host port 3000 of dagster is hardcoded/);
    assert.match(hardcoded.evidence.join('\n'), /compose-hardcoded-credential/);
    assert.doesNotMatch(JSON.stringify(report), /supersecret/);

    const undocumented = expectStatus(report, 'env-documented', 'fail');
    assert.match(undocumented.evidence.join('\n'), /docker-compose\.yml:\d+:\d+ compose-undocumented-variable: REDIS_EXTRA_SETTING has no default/);

    const golden = expectStatus(report, 'golden-versions', 'fail');
    assert.match(golden.evidence.join('\n'), /compose-image-golden: Image postgres:15\.4 differs from the golden version 16\.6/);

    const superset = expectStatus(report, 'superset-duckdb', 'fail');
    assert.equal(superset.file, path.join(dir, '06_superset/superset_config.py'));
    assert.match(superset.reason, /read-write/);

    const readme = expectStatus(report, 'readme', 'fail');
    assert.equal(readme.file, path.join(dir, 'README.md'));
    assert.equal(readme.reason, 'The README has no setup or quick start heading, no URL for Cube (port 4000).');

    // No databases were built in this fork.
    assert.match(expectStatus(report, 'duckdb-databases', 'fail').reason, /The raw database raw\.duckdb does not exist.*none of .*exists/);
    for (const layer of ['raw', 'staging', 'marts']) assert.match(expectStatus(report, `data:${layer}`, 'fail').reason, /no database exists/);

    const out = cliIo(dir);
    assert.equal(await cli(['validate'], out), 1);
    assert.match(out.stdout, /✗ {2}No hardcoded path, port or credential/);
  });

  test('an empty marts table fails its layer; a database held by a writer is checked from a snapshot all the same', async () => {
    const dir = path.join(root, 'data');
    await scaffoldFork(dir);
    assert.ok((await buildDemoDatabases(dir)).ok);
    const dev = path.join(dir, DEV_DATABASE);
    await createDatabase(dev, 'CREATE TABLE marts.fct_empty (id INTEGER)');
    const emptyReport = await validatePlatform(dir, { env: noDockerEnv() });
    const marts = expectStatus(emptyReport, 'data:marts', 'fail');
    assert.equal(marts.reason, 'Empty table: marts.fct_empty.');
    assert.ok(marts.evidence.includes('dev.duckdb marts.fct_empty: 0 rows'));
    expectStatus(emptyReport, 'data:staging', 'pass');

    const holder = await holdLock(dev);
    try {
      const held = await validatePlatform(dir, { env: noDockerEnv() });
      assert.equal(expectStatus(held, 'data:marts', 'fail').reason, 'Empty table: marts.fct_empty.');
      expectStatus(held, 'data:staging', 'pass');
      expectStatus(held, 'data:raw', 'pass');
    } finally {
      await holder.kill();
    }
  });

  test('without golden_versions.md the version check is not checked, with the reason; in the editor the restart row speaks VS Code', async () => {
    const dir = tempDir('nogolden');
    try {
      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
      const report = await validatePlatform(dir, { env: noDockerEnv(), host: 'editor' });
      const golden = expectStatus(report, 'golden-versions', 'not-checked');
      assert.equal(golden.reason, 'There is no golden_versions.md in the fork, so no version was compared with it; images and base images were only checked for a pinned tag.');
      const restart = expectStatus(report, 'restart', 'not-checked');
      assert.match(restart.reason, /^Not asked for: run DuckStack: Validate Platform again and choose “Full restart, then validate”/);
      assert.doesNotMatch(restart.reason, /--restart/);

      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:latest\n');
      const moving = expectStatus(await validatePlatform(dir, { env: noDockerEnv(), staticOnly: true }), 'golden-versions', 'fail');
      assert.match(moving.reason, /There is no golden_versions\.md in the fork, so no version was compared with it\.$/);

      fs.writeFileSync(path.join(dir, 'golden_versions.md'), '# Golden versions\n\nNothing pinned yet.\n');
      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  web:\n    image: nginx:1.27\n');
      const empty = expectStatus(await validatePlatform(dir, { env: noDockerEnv(), staticOnly: true }), 'golden-versions', 'not-checked');
      assert.equal(empty.reason, 'golden_versions.md lists no versions, so none was compared with it; images and base images were only checked for a pinned tag.');
      assert.equal(empty.file, path.join(dir, 'golden_versions.md'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
