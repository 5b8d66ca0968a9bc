// One workspace layer: a file under a folder the ignore list skips is skipped by every engine
// alike (lint, validate, catalog discovery, the golden file, doctor, impact, upgrade), and the
// walker itself: breadth-first, bounded, naming the folders it cannot read.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadComposeProject } from '../../../src/core/compose/project';
import { serviceDuckdbPaths } from '../../../src/core/doctor/duckdb';
import { findDatabases } from '../../../src/core/duckdb/discovery';
import { findGoldenVersionsFile } from '../../../src/core/golden/golden';
import { impactSince, isPlatformFile, workingSnapshot } from '../../../src/core/impact';
import { lintProject } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import { planUpgrade } from '../../../src/core/upgrade/upgrade';
import { staticChecks } from '../../../src/core/validate/static';
import { IGNORED_DIRS, IGNORED_GLOB, isIgnoredDir, isIgnoredPath } from '../../../src/core/workspace/ignore';
import { walkWorkspace, workspaceFiles } from '../../../src/core/workspace/walk';
import { commitAll, makeRepo, tempDir, writeFiles } from '../git/support';

const GOLDEN = '| Tool | Package / Image | Golden Version | Notes |\n|---|---|---|---|\n| PostgreSQL | postgres | 16.6 | |\n';
// A compose file every engine has something to say about: a hardcoded port and credential, an old tag.
const BAD_COMPOSE = 'services:\n  db:\n    image: postgres:15.4\n    ports:\n      - "5432:5432"\n    environment:\n      POSTGRES_PASSWORD: supersecret\n';
const CLEAN_COMPOSE = 'services:\n  db:\n    image: postgres:16.6\n    volumes:\n      - ./data:/data\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n';

/** The same bad files in each skipped folder kind: dependencies, a venv, build output, logs, a dot folder. */
const SKIPPED_FOLDERS = ['node_modules/pkg', '.venv/lib', 'venv', 'target', 'logs', 'dbt_packages/x', '.devcontainer', 'a/__pycache__', 'a/site-packages'];

function fork(): string {
  const dir = tempDir('duckstack-workspace-');
  const files: Record<string, string> = {
    'compose.yaml': CLEAN_COMPOSE,
    'platform/golden_versions.md': GOLDEN,
    'data/raw.duckdb': '',
  };
  for (const folder of SKIPPED_FOLDERS) {
    files[`${folder}/docker-compose.yml`] = BAD_COMPOSE;
    files[`${folder}/requirements.txt`] = 'psycopg2==2.8\n';
    files[`${folder}/golden_versions.md`] = GOLDEN.replace('16.6', '99.0');
    files[`${folder}/stale.duckdb`] = '';
    files[`data/${folder}/held.duckdb`] = '';
  }
  writeFiles(dir, files);
  return dir;
}

const inSkipped = (dir: string, file: string): boolean => isIgnoredPath(dir, file);

suite('workspace: one walker, one ignore list (unit)', () => {
  let dir: string;
  suiteSetup(() => {
    dir = fork();
  });
  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the list: dependency, venv, build, cache and log folders and every dot folder; dot files stay', () => {
    for (const name of [...IGNORED_DIRS, '.git', '.venv', '.duckstack']) assert.ok(isIgnoredDir(name), name);
    for (const name of ['models', 'data', 'dagster_home', 'env']) assert.ok(!isIgnoredDir(name), name);
    assert.ok(!isIgnoredPath(dir, path.join(dir, '.env')), 'a dot file is read');
    assert.ok(isIgnoredPath(dir, path.join(dir, '.venv', 'lib', 'requirements.txt')));
    // The editor's exclude glob is the same list.
    for (const name of IGNORED_DIRS) assert.ok(IGNORED_GLOB.includes(name), name);
    assert.ok(IGNORED_GLOB.includes(',.*}'), IGNORED_GLOB);
  });

  test('lint (what validate, the CLI, mcp and the editor read) never lints a file in a skipped folder', async () => {
    const lint = await lintProject(dir, { ruleSet: allRules });
    assert.deepEqual(lint.files.map((f) => path.relative(dir, f.file)).sort(), ['compose.yaml', 'platform/golden_versions.md']);
    assert.deepEqual(lint.findings.filter((f) => inSkipped(dir, f.file)), []);
    // A path named on the command line in a skipped folder says why it is not linted.
    const explicit = await lintProject(dir, { ruleSet: allRules, paths: ['logs/docker-compose.yml'] });
    assert.deepEqual(explicit.errors, ['logs/docker-compose.yml: in a folder DuckStack skips (dependencies, build output, logs, dot folders)']);
  });

  test('validate: the configuration checks pass, as nothing outside the skipped folders is wrong', async () => {
    const project = await loadComposeProject(dir, { processEnv: {} });
    const checks = await staticChecks(dir, project, () => undefined);
    for (const id of ['config-hardcoded', 'golden-versions']) {
      const check = checks.find((c) => c.id === id);
      assert.equal(check?.status, 'pass', `${id}: ${check?.reason} ${check?.evidence.join('; ')}`);
    }
  });

  test('catalog discovery finds the database outside the skipped folders only', async () => {
    const databases = await findDatabases(dir, { processEnv: {} });
    const paths = databases.map((d) => path.relative(dir, d.path)).sort();
    assert.deepEqual(paths.filter((p) => inSkipped(dir, path.join(dir, p))), []);
    assert.ok(paths.includes('data/raw.duckdb'), paths.join(', '));
  });

  test('the golden file is the shallowest one outside the skipped folders (lint, hover, upgrade and the editor command open it)', () => {
    assert.equal(findGoldenVersionsFile(dir), path.join(dir, 'platform', 'golden_versions.md'));
  });

  test('doctor: the DuckDB files under a bind mount leave out the skipped folders', async () => {
    const project = await loadComposeProject(dir, { processEnv: {} });
    const db = project.services.find((s) => s.name === 'db');
    assert.ok(db);
    assert.deepEqual(serviceDuckdbPaths(db, dir).map((p) => p.declared), ['/data/raw.duckdb']);
  });

  test('impact and upgrade read the platform files outside the skipped folders only', () => {
    const snapshot = workingSnapshot(dir);
    assert.deepEqual([...snapshot.files.keys()].sort(), ['compose.yaml', 'platform/golden_versions.md']);
    const planned = planUpgrade(dir, 'PostgreSQL', '16.8', '2026-01-01');
    assert.ok(planned.ok, planned.ok ? '' : planned.message);
    assert.deepEqual([...new Set(planned.plan.edits.map((e) => e.file))].sort(), ['compose.yaml', 'platform/golden_versions.md']);
  });

  test('impact: a committed compose file in a skipped folder is not read from git either, so it never looks removed', async () => {
    const repo = makeRepo({ 'compose.yaml': CLEAN_COMPOSE, 'golden_versions.md': GOLDEN, '.devcontainer/docker-compose.yml': 'services:\n  devbox:\n    image: busybox:1\n' });
    try {
      assert.equal(isPlatformFile('.devcontainer/docker-compose.yml'), false);
      const result = await impactSince(repo, 'HEAD');
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.deepEqual(result.report.items.map((i) => i.change), []);
      commitAll(repo, { 'logs/compose.yaml': BAD_COMPOSE }, 'a log folder');
      const again = await impactSince(repo, 'HEAD');
      assert.ok(again.ok && again.report.items.length === 0, JSON.stringify(again));
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

suite('workspace: the walker (unit)', () => {
  test('breadth-first, name order within a folder, bounded by depth and by entries, symbolic links listed but never followed', () => {
    const dir = tempDir('duckstack-walk-');
    try {
      writeFiles(dir, { 'b.txt': '', 'a/z.txt': '', 'a/b/deep.txt': '', 'c/y.txt': '', 'node_modules/n.txt': '', '.hidden/h.txt': '' });
      fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'link'));
      const all = [...walkWorkspace(dir)].map((e) => `${e.depth} ${e.type} ${path.relative(dir, e.path)}`);
      assert.deepEqual(all, ['0 file b.txt', '0 symlink link', '1 file a/z.txt', '1 file c/y.txt', '2 file a/b/deep.txt']);
      assert.deepEqual([...walkWorkspace(dir, { maxDepth: 0 })].map((e) => e.name), ['b.txt', 'link']);
      // Entries count folders too: a, b.txt, c, link, .hidden, node_modules are six.
      assert.ok([...walkWorkspace(dir, { maxEntries: 3 })].length < all.length);
      assert.deepEqual(workspaceFiles(dir).map((f) => path.relative(dir, f)), ['a/b/deep.txt', 'a/z.txt', 'b.txt', 'c/y.txt']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a folder that cannot be read is named, and the walk goes on (an unreadable one as another user: faults/anywhere.test.ts)', () => {
    const dir = tempDir('duckstack-walk-errors-');
    try {
      const errors: string[] = [];
      assert.deepEqual(workspaceFiles(path.join(dir, 'missing'), errors), []);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /missing: the folder cannot be read: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
