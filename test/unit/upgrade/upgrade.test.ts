// duckstack upgrade on a fork made by the scaffold from test template v1 (in a real git
// repository), with pins added in every kind of file the upgrade edits and text it must not touch.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import { applyChanges } from '../../../src/core/edits/files';
import { planUpgrade } from '../../../src/core/upgrade/upgrade';
import { committedFork, read, recordingIo, snapshot, writeFiles } from '../impact/support';

const EXTRA = {
  'pipelines/pyproject.toml': '[project]\nname = "pipelines"\ndependencies = [\n  "dagster==1.9.1",\n  "dagster-dbt==0.25.1",  # not Dagster\'s row\n]\n\n[tool.poetry.dependencies]\ndagster-webserver = "^1.9.1"\n',
  'ui/package.json': '{\n  "dependencies": {\n    "dagster": "1.9.1",\n    "left-pad": "1.9.1"\n  }\n}\n',
  'compose.override.yml': 'services:\n  dagster-daemon:\n    image: dagster/dagster-k8s:1.9.1\n',
  'docs/notes.txt': 'We run dagster==1.9.1 today.\n',
  '04_dbt/Dockerfile': 'ARG PY=3.11\nFROM python:${PY}-slim AS base\nFROM base\n',
};

const today = (): string => new Date().toISOString().slice(0, 10);

suite('duckstack upgrade (unit)', () => {
  test('changes the row and every pin of it, and nothing else; the Workplan gets the dated checklist', async () => {
    const dir = await committedFork();
    writeFiles(dir, EXTRA);
    fs.writeFileSync(path.join(dir, 'requirements-legacy.txt'), Buffer.from('dagster==1.9.1\n# caf\xe9\n', 'latin1'));
    fs.chmodSync(path.join(dir, '03_dagster', 'requirements.txt'), 0o600);
    const before = snapshot(dir);
    const texts = Object.fromEntries([...before.keys()].map((f) => [f, fs.readFileSync(path.join(dir, f), 'latin1')]));

    const out = recordingIo(dir);
    assert.equal(await cli(['upgrade', 'dagster-webserver', 'v1.9.3'], out), 0, out.stderr);
    const after = snapshot(dir);
    const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
    assert.deepEqual(changed, ['03_dagster/requirements.txt', 'compose.override.yml', 'golden_versions.md', 'other/Workplan.md', 'pipelines/pyproject.toml', 'ui/package.json']);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'no file added or removed, no temp file left');

    assert.equal(read(dir, 'golden_versions.md'), texts['golden_versions.md'].replace('| 1.9.1 |', '| 1.9.3 |'));
    assert.equal(read(dir, '03_dagster/requirements.txt'), texts['03_dagster/requirements.txt'].replace('dagster==1.9.1', 'dagster==1.9.3').replace('dagster-webserver==1.9.1', 'dagster-webserver==1.9.3'));
    assert.equal(fs.statSync(path.join(dir, '03_dagster', 'requirements.txt')).mode & 0o777, 0o600, 'the file keeps its mode');
    assert.equal(read(dir, 'pipelines/pyproject.toml'), EXTRA['pipelines/pyproject.toml'].replace('"dagster==1.9.1"', '"dagster==1.9.3"').replace('"^1.9.1"', '"^1.9.3"'));
    assert.equal(read(dir, 'ui/package.json'), EXTRA['ui/package.json'].replace('"dagster": "1.9.1"', '"dagster": "1.9.3"'));
    assert.equal(read(dir, 'compose.override.yml'), EXTRA['compose.override.yml'].replace('1.9.1', '1.9.3'));
    assert.equal(read(dir, 'other/Workplan.md'), `${texts['other/Workplan.md']}
## ${today()}: Dagster 1.9.1 → 1.9.3

- What: Dagster upgraded from 1.9.1 to 1.9.3 in golden_versions.md and every pin of it (\`03_dagster/requirements.txt\`, \`compose.override.yml\`, \`golden_versions.md\`, \`pipelines/pyproject.toml\`, \`ui/package.json\`).
- Why: (fill in: the fix or feature this upgrade brings).
- Impact: the services \`dagster\`, \`dagster-daemon\` change; a fork made before this change keeps 1.9.1 until it takes this change.
- Migration:
  - [ ] Read the release notes of Dagster 1.9.3 (and of every release since 1.9.1) for breaking changes: https://pypi.org/project/dagster/1.9.3/, https://pypi.org/project/dagster-webserver/1.9.3/, https://hub.docker.com/r/dagster/dagster-k8s/tags, https://www.npmjs.com/package/dagster/v/1.9.3.
  - [ ] Rebuild: \`docker compose build --pull dagster\`.
  - [ ] Pull: \`docker compose pull dagster-daemon\`.
  - [ ] Full restart: \`docker compose down && docker compose up -d\`.
  - [ ] Verify: every service healthy (\`docker compose ps\`), the data flow source → raw → staging → marts, every UI answers.
`);
    assert.match(out.stdout, /^Upgraded Dagster 1\.9\.1 → 1\.9\.3: 7 edit\(s\) in 5 file\(s\), and an entry in other\/Workplan\.md\./);
  });

  test('--dry-run prints the exact diff and writes nothing', async () => {
    const dir = await committedFork();
    writeFiles(dir, { '04_dbt/Dockerfile': EXTRA['04_dbt/Dockerfile'] });
    const before = snapshot(dir);
    const out = recordingIo(dir);
    assert.equal(await cli(['upgrade', 'Python', '3.12', '--dry-run'], out), 0, out.stderr);
    assert.deepEqual(snapshot(dir), before);
    const workplan = read(dir, 'other/Workplan.md');
    assert.equal(out.stdout, `--- a/03_dagster/Dockerfile
+++ b/03_dagster/Dockerfile
@@ -1,3 +1,3 @@
-FROM python:3.11-slim
+FROM python:3.12-slim
 COPY requirements.txt /tmp/requirements.txt
 RUN pip install --no-cache-dir -r /tmp/requirements.txt
--- a/04_dbt/Dockerfile
+++ b/04_dbt/Dockerfile
@@ -1,3 +1,3 @@
-ARG PY=3.11
+ARG PY=3.12
 FROM python:\${PY}-slim AS base
 FROM base
--- a/golden_versions.md
+++ b/golden_versions.md
@@ -2,7 +2,7 @@
 
 | Tool | Package / Image | Golden Version | Notes |
 | --- | --- | --- | --- |
-| Python | \`python:3.11-slim\` | 3.11 | Base image |
+| Python | \`python:3.12-slim\` | 3.12 | Base image |
 | Dagster | \`dagster\`, \`dagster-webserver\` | 1.9.1 | Orchestration |
 | PostgreSQL | \`postgres\` | 16.6 | Metadata |
 | Cube | \`cubejs/cube\` | v1.1.9 | Semantic layer |
--- a/other/Workplan.md
+++ b/other/Workplan.md
@@ -3,3 +3,14 @@
 ## Fork created
 
 - What: the platform at the versions in golden_versions.md.
+
+## ${today()}: Python 3.11 → 3.12
+
+- What: Python upgraded from 3.11 to 3.12 in golden_versions.md and every pin of it (\`03_dagster/Dockerfile\`, \`04_dbt/Dockerfile\`, \`golden_versions.md\`).
+- Why: (fill in: the fix or feature this upgrade brings).
+- Impact: the services \`dagster\` change; a fork made before this change keeps 3.11 until it takes this change.
+- Migration:
+  - [ ] Read the release notes of Python 3.12 (and of every release since 3.11) for breaking changes: https://hub.docker.com/_/python.
+  - [ ] Rebuild: \`docker compose build --pull dagster\`.
+  - [ ] Full restart: \`docker compose down && docker compose up -d\`.
+  - [ ] Verify: every service healthy (\`docker compose ps\`), the data flow source → raw → staging → marts, every UI answers.

Dry run: Python 3.11 → 3.12: 4 edit(s) in 3 file(s), and an entry in other/Workplan.md. Nothing was written.
`);
    assert.equal(read(dir, 'other/Workplan.md'), workplan);
  });

  test('refusals write nothing: a downgrade, a pin already higher, an unknown row, the same version, not a version', async () => {
    const dir = await committedFork();
    writeFiles(dir, { 'compose.override.yml': 'services:\n  pg2:\n    image: postgres:17.2\n' });
    const before = snapshot(dir);
    const cases: Array<[string[], number, RegExp]> = [
      [['upgrade', 'postgres', '16.4'], 1, /refused: 16\.4 is lower than PostgreSQL's golden version 16\.6\. The platform guide, Upgrading a Service Version: "NEVER downgrade to fix issues"\. Nothing was written\./],
      [['upgrade', 'Dagster', '1.9.1rc1'], 1, /refused: 1\.9\.1rc1 is lower than Dagster's golden version 1\.9\.1/],
      [['upgrade', 'PostgreSQL', '16.8'], 1, /refused: 16\.8 would lower pins that are already higher: compose\.override\.yml:3 pins postgres 17\.2\./],
      [['upgrade', 'superset', '5.0.1'], 2, /golden_versions\.md has no row for 'superset'\. Rows: Python, Dagster, PostgreSQL, Cube\./],
      [['upgrade', 'dagster', '1.9.1'], 2, /Dagster is already at 1\.9\.1\./],
      [['upgrade', 'dagster', 'latest'], 2, /'latest' is not a version/],
      [['upgrade', 'dagster'], 2, /give a tool and a version/],
    ];
    for (const [args, code, message] of cases) {
      const out = recordingIo(dir);
      assert.equal(await cli(args, out), code, args.join(' '));
      assert.match(out.stderr, message);
      assert.equal(out.stdout, '');
    }
    assert.deepEqual(snapshot(dir), before);
  });

  test('a file edited after the plan was made stops the write before anything is written', async () => {
    const dir = await committedFork();
    const planned = planUpgrade(dir, 'dagster', '1.9.3', '2026-01-01');
    assert.ok(planned.ok);
    fs.appendFileSync(path.join(dir, '03_dagster', 'requirements.txt'), 'pandas==2.2.3\n');
    const before = snapshot(dir);
    const applied = await applyChanges(dir, planned.plan.changes);
    assert.deepEqual(applied, { ok: false, message: 'Nothing was written: 1 file(s) changed since the plan was made: 03_dagster/requirements.txt.' });
    assert.deepEqual(snapshot(dir), before);
  });
});
