// The runtime checks against a real engine, on stacks of the local busybox image that stand in for
// the platform (test/fixtures/validate): a healthy one (Dagster and Cube answering, Cube listing two
// cubes) passes everything after a full restart; a broken one (a failing healthcheck, a Dagster that
// logs errors and serves nothing, a Cube with no cubes) fails each check with its evidence.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { validatePlatform, type ValidationReport } from '../../../src/core/validate';
import { composeDown, copyHealthyPlatform, stackEnv } from '../../harness/platformStack';
import { requireEngine } from '../docker/support';
import { check, expectStatus, FIXTURES, tempDir } from './support';

suite('validate: stacks on a real engine', function () {
  this.timeout(120_000);
  let root: string;
  let healthyDir: string;
  let healthyEnv: NodeJS.ProcessEnv;
  const brokenDir = path.join(FIXTURES, 'broken');
  let brokenEnv: NodeJS.ProcessEnv;

  suiteSetup(async () => {
    await requireEngine();
    root = tempDir('stack');
    healthyDir = path.join(root, 'healthy');
    await copyHealthyPlatform(healthyDir);
    healthyEnv = await stackEnv('dsval', ['DAGSTER_PORT', 'CUBE_PORT']);
    brokenEnv = await stackEnv('dsval', ['WEB_PORT', 'DAGSTER_PORT', 'CUBE_PORT']);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    await Promise.all([composeDown(healthyDir, healthyEnv), composeDown(brokenDir, brokenEnv)]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('healthy stack: the full restart, every service, log, UI and Cube pass; the whole report is ok', async () => {
    const steps: string[] = [];
    const report = await validatePlatform(healthyDir, { restart: true, env: healthyEnv, onProgress: (s) => steps.push(s) });
    assert.match(expectStatus(report, 'restart', 'pass').reason, /^down, then up -d --wait succeeded in \d+\.\d s\.$/);
    for (const s of ['dagster', 'cube', 'postgres']) {
      assert.match(expectStatus(report, `service:${s}`, 'pass').reason, /^healthy/);
      assert.match(expectStatus(report, `logs:${s}`, 'pass').reason, /^no error lines in the last \d+ lines/);
    }
    const dagsterUi = expectStatus(report, 'ui:dagster', 'pass');
    assert.equal(dagsterUi.title, 'Dagster answers over HTTP');
    assert.match(dagsterUi.evidence[0], new RegExp(`^GET http://localhost:${healthyEnv.DAGSTER_PORT}/ → HTTP 200 in \\d+ ms$`));
    expectStatus(report, 'ui:cube', 'pass');
    assert.equal(report.checks.some((c) => c.id === 'ui:postgres'), false);
    const cube = expectStatus(report, 'cube-meta', 'pass');
    assert.equal(cube.reason, 'Cube lists 2 cubes.');
    assert.deepEqual(cube.evidence.slice(1), ['orders', 'customers']);
    for (const layer of ['raw', 'staging', 'marts']) expectStatus(report, `data:${layer}`, 'pass');
    assert.equal(report.ok, true, report.checks.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`).join('\n'));
    assert.ok(steps.includes('Full restart: docker compose down, then up -d --wait…'), steps.join('\n'));
  });

  test('healthy stack: the CLI exits 0 and prints the table', async () => {
    let stdout = '';
    const io: CliIo = { cwd: healthyDir, env: healthyEnv, out: (t) => (stdout += t), err: () => undefined };
    assert.equal(await cli(['validate'], io), 0, stdout);
    assert.match(stdout, /✓ {2}Cube lists its cubes/);
    assert.match(stdout, /– {2}Full restart \(down, then up --wait\) succeeds/);
  });

  test('broken stack before it starts: every service fails as not created', async () => {
    const report = await validatePlatform(brokenDir, { env: brokenEnv });
    for (const s of ['web', 'sick', 'dagster', 'cube']) {
      assert.equal(expectStatus(report, `service:${s}`, 'fail').reason, 'not created: start it (duckstack up, or docker compose up -d).');
      expectStatus(report, `logs:${s}`, 'not-checked');
    }
    assert.equal(expectStatus(report, 'cube-meta', 'fail').reason, 'cube is not created, so Cube cannot be asked.');
  });

  let broken: ValidationReport;
  test('broken stack: the restart fails on the unhealthy service, which fails its check; the rest still run', async () => {
    broken = await validatePlatform(brokenDir, { restart: true, env: brokenEnv });
    const restart = expectStatus(broken, 'restart', 'fail');
    assert.equal(restart.reason, 'Not every service became healthy: sick is unhealthy. Diagnose sick: its exit, healthcheck output and logs say why.');
    assert.equal(restart.evidence[0], 'sick: unhealthy');
    assert.match(fs.readFileSync(restart.file ?? '', 'utf8').split('\n')[restart.line ?? -1], /^\s+sick:\s*$/, 'the row points at sick in the compose file');
    assert.match(expectStatus(broken, 'service:sick', 'fail').reason, /^its healthcheck fails \(.*sick-1\)\.$/);
    expectStatus(broken, 'service:web', 'pass');
    assert.match(expectStatus(broken, 'service:dagster', 'pass').reason, /^running \(no healthcheck declared\)/);
    assert.equal(broken.ok, false);
  });

  test('broken stack: error lines are found with the per-service patterns and shown', () => {
    const logs = expectStatus(broken, 'logs:dagster', 'fail');
    assert.equal(logs.reason, '2 error lines in the last 200 (ERROR, dagster error, code location failed).');
    assert.deepEqual(logs.evidence, [
      'ERROR could not open /app/02_duck_db/01_raw/raw.duckdb',
      'dagster._core.errors.DagsterUserCodeLoadError: Error loading repository location pipeline',
    ]);
    expectStatus(broken, 'logs:web', 'pass');
  });

  test('broken stack: a published port nothing serves fails its UI check; a web server passes', () => {
    const ui = expectStatus(broken, 'ui:dagster', 'fail');
    assert.match(ui.reason, new RegExp(`^http://localhost:${brokenEnv.DAGSTER_PORT}/: `));
    const web = expectStatus(broken, 'ui:web', 'pass');
    assert.equal(web.title, `web (HTTP ${brokenEnv.WEB_PORT}) answers over HTTP`);
  });

  test('broken stack: a Cube that lists no cubes fails', () => {
    const cube = expectStatus(broken, 'cube-meta', 'fail');
    assert.equal(cube.reason, 'Cube answers but lists no cubes: check its model folder and DuckDB connection.');
    assert.match(check(broken, 'cube-meta').evidence[0], new RegExp(`/cubejs-api/v1/meta → HTTP 200`));
  });
});
