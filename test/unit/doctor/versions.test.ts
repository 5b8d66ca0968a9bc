// duckstack doctor's version conflicts (the platform guide's "version conflicts"): images, FROM and
// requirement pins against golden_versions.md, lock files (poetry.lock, uv.lock,
// package-lock.json, a compiled requirements.txt) that disagree with the pins, and a Python that
// differs from the platform's. test/fixtures/doctor/versions has one service per conflict; none
// is started (the rest of the report runs on the real engine as always).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import { diagnose, type DoctorReport, type Finding } from '../../../src/core/doctor';
import { planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { requireEngine } from '../docker/support';
import { tempDir } from '../validate/support';

const VERSIONS = path.resolve(__dirname, '../../../../test/fixtures/doctor/versions');

const PIN_OLDER = 'Raise the pins to the golden versions (`duckstack lint --fix` writes them), then rebuild it.';
const RELOCK = 'Regenerate the lock file from the pins (`poetry lock`, `uv lock`, `npm install`, `pip-compile`), then rebuild it.';
const PIN_GOLDEN_RELOCK = 'Pin the golden version (pyproject.toml, package.json or requirements), regenerate the lock file, then rebuild it.';
const GOLDEN_PYTHON = "the platform's Python is 3.11 (golden_versions.md, Python)";

function versionsOf(report: DoctorReport, service: string): Finding | undefined {
  return report.services.find((s) => s.service === service)?.findings.find((f) => f.area === 'versions');
}

suite('doctor: version conflicts against golden_versions.md, lock files and the platform Python', function () {
  this.timeout(180_000);
  let env: NodeJS.ProcessEnv;

  suiteSetup(async () => {
    await requireEngine();
    env = { ...process.env, COMPOSE_PROJECT_NAME: `dsver${process.pid}` };
  });

  test('one service per conflict, each finding exactly', async () => {
    const report = await diagnose(VERSIONS, { env });
    assert.deepEqual(report.notes, []);
    assert.deepEqual(report.services.map((s) => s.service), ['db', 'cache', 'superset', 'dagster', 'dbt', 'cube', 'jupyter', 'tool']);
    for (const s of report.services) assert.equal(s.findings.at(-1)?.area, 'versions', `${s.service}: versions is the last area`);
    const expected: Record<string, Finding> = {
      db: {
        area: 'versions',
        status: 'found',
        reason: '1 pin is older than golden_versions.md.',
        evidence: ['image postgres:16.4, golden 16.6 (PostgreSQL): older'],
        action: PIN_OLDER,
      },
      cache: { area: 'versions', status: 'fine', reason: 'The one version checked agrees with golden_versions.md.', evidence: [] },
      superset: {
        area: 'versions',
        status: 'found',
        reason: '1 pin is newer than golden_versions.md.',
        evidence: ['image apache/superset:5.0.1, golden 5.0.0 (Apache Superset): newer'],
        action: 'Never lower a version: once the newer one is tested, raise its golden_versions.md row (`duckstack upgrade`).',
      },
      dagster: {
        area: 'versions',
        status: 'found',
        reason: "1 pin is older than golden_versions.md; its Python differs from the platform's 3.11.",
        evidence: [
          'dagster/requirements.txt:1: dagster==1.8.0, golden 1.9.1 (Dagster): older',
          `dagster/Dockerfile:1: Python 3.10 (FROM python:3.10-slim); ${GOLDEN_PYTHON}`,
          'read dagster/Dockerfile, dagster/requirements.txt',
        ],
        action: `${PIN_OLDER} Use Python 3.11 in its base image (\`FROM python:3.11-slim\`), then rebuild it.`,
      },
      // pyproject pins dbt-core exactly and dbt-duckdb as a range (^1.8): the lock says what the range became.
      dbt: {
        area: 'versions',
        status: 'found',
        reason: '1 locked version disagrees with the pins; 1 locked version differs from golden_versions.md.',
        evidence: [
          'dbt/poetry.lock:5: locks dbt-core 1.8.7, but dbt/pyproject.toml:7 pins 1.8.8',
          'dbt/poetry.lock:12: locks dbt-duckdb 1.8.1, golden 1.8.4 (dbt DuckDB adapter)',
          'read dbt/Dockerfile, dbt/.python-version, dbt/poetry.lock, dbt/pyproject.toml',
        ],
        action: `${RELOCK} ${PIN_GOLDEN_RELOCK}`,
      },
      cube: {
        area: 'versions',
        status: 'found',
        reason: '1 locked version disagrees with the pins.',
        evidence: ['cube/package-lock.json: locks @cubejs-client/core 1.1.8, but cube/package.json:5 pins 1.1.9', 'read cube/Dockerfile, cube/package-lock.json, cube/package.json'],
        action: RELOCK,
      },
      jupyter: {
        area: 'versions',
        status: 'found',
        reason: "1 locked version differs from golden_versions.md; its Python differs from the platform's 3.11.",
        evidence: [
          'jupyter/uv.lock:6: locks jupyterlab 4.2.0, golden 4.3.1 (JupyterLab)',
          `jupyter/Dockerfile:1: Python 3.12 (FROM python:3.12-slim); ${GOLDEN_PYTHON}`,
          'read jupyter/Dockerfile, jupyter/pyproject.toml, jupyter/uv.lock',
        ],
        action: `${PIN_GOLDEN_RELOCK} One Python for the platform: once Python 3.12 is tested, raise the platform's (\`duckstack upgrade python 3.12\`) and move the other services to it; never lower this one.`,
      },
      tool: {
        area: 'versions',
        status: 'not-checked',
        reason: 'golden_versions.md pins none of its image, base images or packages, and it has no lock file that disagrees with a pin.',
        evidence: [],
      },
    };
    for (const [service, finding] of Object.entries(expected)) assert.deepEqual(versionsOf(report, service), finding, service);
    // A version conflict alone makes the service a problem.
    assert.equal(report.services.find((s) => s.service === 'cube')?.problem, true);
  });

  test('duckstack doctor <service> --json carries the same finding; the text report marks it', async () => {
    let out = '';
    let err = '';
    const io = { cwd: VERSIONS, env, out: (t: string) => (out += t), err: (t: string) => (err += t) };
    assert.equal(await cli(['doctor', 'cube', VERSIONS, '--json'], io), 1, err);
    const report = JSON.parse(out) as DoctorReport;
    assert.deepEqual(report.services.map((s) => s.service), ['cube']);
    assert.equal(versionsOf(report, 'cube')?.reason, '1 locked version disagrees with the pins.');
    out = '';
    assert.equal(await cli(['doctor', 'cube', VERSIONS], io), 1, err);
    assert.match(out, /^ {2}✗ versions {5}1 locked version disagrees with the pins\.\n {6}cube\/package-lock\.json: locks @cubejs-client\/core 1\.1\.8, but cube\/package\.json:5 pins 1\.1\.9$/m);
  });

  test('no golden Python: the platform Python is the one most services use; a compiled requirements.txt against requirements.in', async () => {
    const dir = tempDir('doctor-versions');
    try {
      fs.writeFileSync(path.join(dir, 'golden_versions.md'), '| Tool | Package | Version |\n| --- | --- | --- |\n| Dagster | `dagster` | 1.9.1 |\n');
      for (const [name, from] of [['a', 'python:3.11-slim'], ['b', 'python:3.11.9-slim']]) {
        fs.mkdirSync(path.join(dir, name));
        fs.writeFileSync(path.join(dir, name, 'Dockerfile'), `FROM ${from}\n`);
      }
      fs.writeFileSync(path.join(dir, 'a', 'requirements.in'), 'dagster==1.9.1\n');
      fs.writeFileSync(path.join(dir, 'a', 'requirements.txt'), '# compiled by pip-compile\ndagster==1.9.0\n');
      fs.writeFileSync(
        path.join(dir, 'compose.yaml'),
        'services:\n  a:\n    build: ./a\n  b:\n    build: ./b\n  c:\n    image: python:3.10-slim\n',
      );
      const report = await diagnose(dir, { env });
      assert.deepEqual(versionsOf(report, 'a'), {
        area: 'versions',
        status: 'found',
        reason: '1 pin is older than golden_versions.md; 1 locked version disagrees with the pins.',
        evidence: [
          'a/requirements.txt:2: dagster==1.9.0, golden 1.9.1 (Dagster): older',
          'a/requirements.txt:2: dagster==1.9.0, but a/requirements.in:1 pins 1.9.1',
          'read a/Dockerfile, a/requirements.in, a/requirements.txt',
        ],
        action: `${PIN_OLDER} ${RELOCK}`,
      });
      // b's 3.11.9 is a 3.11, so two services run 3.11: that is the platform's Python.
      assert.deepEqual(versionsOf(report, 'b'), { area: 'versions', status: 'fine', reason: "The one version checked agrees with the platform's Python 3.11.", evidence: ['read b/Dockerfile'] });
      assert.deepEqual(versionsOf(report, 'c'), {
        area: 'versions',
        status: 'found',
        reason: "Its Python differs from the platform's 3.11.",
        evidence: ["Python 3.10 (image python:3.10-slim); the platform's Python is 3.11 (the version most services use: a, b)"],
        action: 'Use Python 3.11 in its base image (`FROM python:3.11-slim`), then rebuild it.',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a fork scaffolded from the templates: every service agrees with its golden_versions.md', async () => {
    const parent = tempDir('doctor-versions-fork');
    const dir = path.join(parent, 'fork');
    try {
      assert.ok((await writeScaffold(planScaffold({ dir }))).ok);
      const report = await diagnose(dir, { env: { ...env, COMPOSE_PROJECT_NAME: `dsverf${process.pid}` } });
      const versions = report.services.map((s) => [s.service, versionsOf(report, s.service)?.status]);
      assert.deepEqual(versions, ['postgres', 'redis', 'dagster', 'dbt', 'superset', 'cube', 'jupyter'].map((s) => [s, 'fine']));
      assert.deepEqual(versionsOf(report, 'dagster'), {
        area: 'versions',
        status: 'fine',
        reason: "The 9 versions checked agree with golden_versions.md and the platform's Python 3.11.",
        evidence: ['read 03_dagster/Dockerfile, 03_dagster/requirements.txt'],
      });
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });
});
