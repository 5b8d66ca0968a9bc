// duckstack new's origin record and duckstack update, on real git repositories: a fork made by the
// scaffold from test template v1, committed, with the user's own edits; test template v2 renames a
// variable, changes a port, adds a service and a file, and upgrades Dagster.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import { readOrigin } from '../../../src/core/fork/origin';
import { planUpdate } from '../../../src/core/fork/update';
import { commitAll, runGit, tempDir } from '../git/support';
import { ANSWERS, committedFork, read, recordingIo, render, snapshot, TEMPLATE_V1, TEMPLATE_V2, userEdits } from '../impact/support';

suite('fork origin record and duckstack update (unit)', () => {
  test('duckstack new records the DuckStack and template versions, the answers and the pristine files', async () => {
    const dir = await committedFork();
    const origin = readOrigin(dir);
    assert.ok(origin.ok, origin.ok ? '' : origin.message);
    assert.equal(origin.origin.duckstack, '0.1.0');
    assert.match(origin.origin.template.digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(origin.origin.answers, { projectName: 'acme', without: ['cube'], ports: { dagster: 13000, dbt: 8080, superset: 8088, cube: 4000, jupyter: 8888 } });
    assert.deepEqual(Object.fromEntries([...origin.pristine].map(([p, f]) => [p, f.content])), render(TEMPLATE_V1));
    for (const [p, f] of origin.pristine) assert.equal(read(dir, p), f.content, `${p} is not as generated`);
    assert.equal(ANSWERS.projectName, 'acme');
  });

  test('duckstack new itself writes the origin record of the real templates', async () => {
    const dir = path.join(tempDir('duckstack-new-'), 'fork');
    const out = recordingIo(path.dirname(dir));
    assert.equal(await cli(['new', 'fork', '--name', 'acme', '--without', 'jupyter', '--port', 'superset=18088'], out), 0, out.stderr);
    const origin = readOrigin(dir);
    assert.ok(origin.ok, origin.ok ? '' : origin.message);
    assert.deepEqual(origin.origin.answers, { projectName: 'acme', without: ['jupyter'], ports: { dagster: 3000, dbt: 8080, superset: 18088, cube: 4000, jupyter: 8888 } });
    assert.ok(origin.pristine.has('docker-compose.yml') && !origin.pristine.has('07_notebooks/Dockerfile'));
    for (const [p, f] of origin.pristine) assert.equal(read(dir, p), f.content, `${p} is not as generated`);
    assert.equal(origin.pristine.get('06_superset/bootstrap.sh')?.executable, true);
    assert.equal(origin.pristine.get('06_superset/superset_config.py')?.executable, false);
  });

  test('merges template v2 into the edited fork: updates, a clean merge, a conflict with standard markers, a deletion kept, a file added', async () => {
    const dir = await committedFork();
    userEdits(dir);
    const out = recordingIo(dir);
    assert.equal(await cli(['update', '--templates', TEMPLATE_V2], out), 1, out.stderr);
    const v2 = render(TEMPLATE_V2);
    assert.match(out.stdout, /^Update from the templates of DuckStack 0\.1\.0 \([0-9a-f]{12}\) to 0\.1\.0 \([0-9a-f]{12}\):\n/);
    assert.ok(out.stdout.includes([
      '  kept      .env.example deleted (you deleted it; the template changed it)',
      '  added     03_dagster/dagster.yaml',
      '  updated   03_dagster/requirements.txt',
      '  CONFLICT  README.md (marked <<<<<<< fork / ======= / >>>>>>> template)',
      "  merged    docker-compose.yml (your changes and the template's)",
      '  updated   golden_versions.md',
      '',
    ].join('\n')), out.stdout);

    assert.equal(read(dir, 'docker-compose.yml'), v2['docker-compose.yml'].replace('    image: postgres:16.6\n', '    image: postgres:16.6\n    restart: unless-stopped\n'));
    assert.equal(read(dir, 'README.md'), [
      '# acme',
      '',
      'Dagster: http://localhost:13000 (`DAGSTER_PORT`).',
      '',
      '<<<<<<< fork',
      '## Setup (ours)',
      '=======',
      'Redis caches for Dagster (no UI).',
      '',
      '## Setup',
      '>>>>>>> template',
      '',
      '1. `cp .env.example .env`',
      '2. `docker compose up -d --build`',
      '',
    ].join('\n'));
    assert.ok(!fs.existsSync(path.join(dir, '.env.example')), 'a file the user deleted came back');
    assert.equal(read(dir, '03_dagster/dagster.yaml'), v2['03_dagster/dagster.yaml']);
    assert.equal(read(dir, '03_dagster/requirements.txt'), v2['03_dagster/requirements.txt']);
    assert.equal(read(dir, 'golden_versions.md'), v2['golden_versions.md']);
    assert.equal(read(dir, 'notes.md'), 'Our notes.\n');

    // The new base is template v2: a second update has nothing left to do.
    const origin = readOrigin(dir);
    assert.ok(origin.ok);
    assert.deepEqual(Object.fromEntries([...origin.pristine].map(([p, f]) => [p, f.content])), v2);
    assert.match(origin.origin.created, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(origin.origin.updated, new Date().toISOString().slice(0, 10));
    assert.equal(runGit(dir, 'status', '--porcelain', '--', '.duckstack').split('\n').filter(Boolean).length, 2);

    // It ends with the impact report of what changed.
    const report = out.stdout.slice(out.stdout.indexOf('## Migration'), out.stdout.lastIndexOf('\n1 file(s) have conflicts'));
    assert.equal(report, `## Migration

From the fork before the update to the fork after the update: 1 breaking, 2 warnings, 2 info.

### Services

- **info**: Service \`redis\` is added (image \`redis:7.4.1\`).
  - Migration: Run \`docker compose up -d --build redis\`.
  - Files: \`docker-compose.yml\`

### Ports

- **warning**: Container port of \`dagster\` changes: \`3000\` → \`3070\`.
  - Migration: Anything that reaches \`dagster:3000\` inside the compose network (other services, your scripts) must use \`dagster:3070\`.
  - Files: \`docker-compose.yml\`

### Variables

- **breaking**: Variable \`DAGSTER_PG_DB\` is renamed \`DAGSTER_POSTGRES_DB\`.
  - Migration: Rename the \`DAGSTER_PG_DB\` line of .env to \`DAGSTER_POSTGRES_DB\`: the old line silently stops applying and the default \`dagster\` is used instead.
  - Files: \`.env.example\`

### Golden versions

- **warning**: Dagster is upgraded: 1.9.1 → 1.9.3, pinned in \`03_dagster/requirements.txt\`.
  - Migration: Read the release notes of Dagster 1.9.3 for breaking changes; rebuild and restart the services that use it (\`docker compose build --pull\`, then \`docker compose down && docker compose up -d\`).
  - Files: \`03_dagster/requirements.txt\`, \`golden_versions.md\`
- **info**: Redis 7.4.1 is added to golden_versions.md.
  - Migration: Nothing to do.
  - Files: \`golden_versions.md\`
`);
    assert.match(out.stdout, /1 file\(s\) have conflicts marked <<<<<<< fork \/ ======= \/ >>>>>>> template: README\.md\. Resolve them, then commit\.\n$/);

    commitAll(dir, { 'README.md': read(dir, 'README.md').replace(/<<<<<<< fork\n## Setup \(ours\)\n=======\n/, '').replace('>>>>>>> template\n', '') }, 'update');
    const again = recordingIo(dir);
    assert.equal(await cli(['update', dir, '--templates', TEMPLATE_V2], again), 0, again.stderr);
    assert.match(again.stdout, /the fork already has every template change\./);
    assert.equal(runGit(dir, 'status', '--porcelain'), '');
  });

  test('--dry-run shows the diffs and the impact and writes nothing', async () => {
    const dir = await committedFork();
    userEdits(dir);
    const before = snapshot(dir);
    const out = recordingIo(dir);
    assert.equal(await cli(['update', '--dry-run', '--templates', TEMPLATE_V2], out), 0, out.stderr);
    assert.deepEqual(snapshot(dir), before);
    assert.ok(out.stdout.includes('--- a/README.md\n+++ b/README.md\n@@ -2,7 +2,13 @@\n \n Dagster: http://localhost:13000 (`DAGSTER_PORT`).\n \n+<<<<<<< fork\n ## Setup (ours)\n+=======\n+Redis caches for Dagster (no UI).\n+\n+## Setup\n+>>>>>>> template\n'), out.stdout);
    assert.ok(out.stdout.includes('--- /dev/null\n+++ b/03_dagster/dagster.yaml\n'));
    assert.ok(out.stdout.includes('--- a/.duckstack/pristine.json\n+++ b/.duckstack/pristine.json\n(the current templates as generated: the base of the next update)\n'));
    assert.match(out.stdout, /## Migration\n[\s\S]*\nDry run: nothing was written\.\n$/);
  });

  test('refusals write nothing: a dirty tree, no git, no origin record; --allow-dirty goes ahead', async () => {
    const dir = await committedFork();
    fs.appendFileSync(path.join(dir, 'README.md'), 'uncommitted\n');
    const before = snapshot(dir);
    const dirty = recordingIo(dir);
    assert.equal(await cli(['update', '--templates', TEMPLATE_V2], dirty), 2);
    assert.equal(dirty.stderr, 'duckstack update: the git working tree has uncommitted changes (README.md): commit or stash them first, or allow a dirty tree (--allow-dirty). Nothing was written.\n');
    assert.deepEqual(snapshot(dir), before);

    const plain = path.join(tempDir('duckstack-nogit-'), 'fork');
    fs.cpSync(dir, plain, { recursive: true, filter: (src) => path.basename(src) !== '.git' });
    const noGit = recordingIo(plain);
    assert.equal(await cli(['update', plain, '--templates', TEMPLATE_V2], noGit), 2);
    assert.match(noGit.stderr, /is not in a git repository, so uncommitted work cannot be told apart from the update/);

    // The editor offers "Update Anyway" on these two refusals only: it tells them by their code.
    const codes = await Promise.all([dir, plain].map(async (d) => {
      const r = await planUpdate(d, { templatesDir: TEMPLATE_V2 });
      return r.ok ? 'ok' : r.code;
    }));
    assert.deepEqual(codes, ['unsafe-tree', 'unsafe-tree']);

    fs.rmSync(path.join(plain, '.duckstack'), { recursive: true });
    const missing = await planUpdate(plain, { allowDirty: true, templatesDir: TEMPLATE_V2 });
    assert.equal(missing.ok ? 'ok' : missing.code, 'cannot-update');
    const noOrigin = recordingIo(plain);
    assert.equal(await cli(['update', plain, '--allow-dirty', '--templates', TEMPLATE_V2], noOrigin), 2);
    assert.match(noOrigin.stderr, /\.duckstack\/origin\.json is missing: this fork was not made by duckstack new/);

    const allowed = await planUpdate(dir, { allowDirty: true, templatesDir: TEMPLATE_V2 });
    assert.ok(allowed.ok);
    // README.md: the uncommitted line and the template's Redis line merge cleanly.
    assert.deepEqual(allowed.plan.files.map((f) => `${f.outcome} ${f.path}`), [
      'updated .env.example', 'added 03_dagster/dagster.yaml', 'updated 03_dagster/requirements.txt', 'merged README.md', 'updated docker-compose.yml', 'updated golden_versions.md',
    ]);
    assert.deepEqual(snapshot(dir), before, 'planning writes nothing');
  });

  test('a template that drops a file removes it when the fork never changed it, and keeps it when the fork did', async () => {
    const dir = await committedFork();
    const dropped = path.join(tempDir('duckstack-template-'), 'templates');
    fs.cpSync(TEMPLATE_V1, dropped, { recursive: true });
    fs.rmSync(path.join(dropped, 'other'), { recursive: true });
    fs.rmSync(path.join(dropped, '03_dagster', 'Dockerfile'));
    commitAll(dir, { '03_dagster/Dockerfile': `${read(dir, '03_dagster/Dockerfile')}# ours\n` }, 'ours');
    const result = await planUpdate(dir, { templatesDir: dropped });
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.deepEqual(result.plan.files.map((f) => `${f.outcome} ${f.path}`), ['kept-modified 03_dagster/Dockerfile', 'removed other/Workplan.md']);
    assert.deepEqual(result.plan.changes.map((c) => `${c.path} ${c.after === undefined ? 'deleted' : 'written'}`), ['other/Workplan.md deleted', '.duckstack/origin.json written', '.duckstack/pristine.json written']);
  });
});
