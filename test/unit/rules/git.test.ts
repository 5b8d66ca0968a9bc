// The git-aware rules on real git repositories in temp folders: table cases against a committed
// platform, then the engine end to end (its own git baseline): no git, the merge base, docs edited.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGitBaseline } from '../../../src/core/git/baseline';
import { lintProject } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import type { GitBaseline } from '../../../src/core/git/baseline';
import { docsFollowChanges } from '../../../src/core/rules/git/docs-follow-changes';
import { goldenVersionsDowngrade } from '../../../src/core/rules/git/golden-versions-downgrade';
import { commitAll, makeRepo, runGit, tempDir, writeFiles } from '../git/support';
import { runRuleTests } from './tester';

const GOLDEN = `# Golden versions

| Tool | Package / Image | Golden Version | Notes |
| --- | --- | --- | --- |
| Python | \`python:3.11-slim\` | 3.11 | Base image |
| Dagster | \`dagster\`, \`dagster-webserver\` | 1.9.1 | Orchestration |
| Apache Superset | \`apache/superset\` | 5.0.0 | BI, upgraded from 4.0.2 |
| Cube | \`cubejs/cube\`, \`@cubejs-backend/server\` | v1.1.9 | Semantic layer |
`;

const COMPOSE = `services:
  postgres:
    image: postgres:16.6
  superset:
    image: apache/superset:5.0.0
    ports:
      - "\${SUPERSET_PORT:-8088}:8088"
`;

const PLATFORM: Record<string, string> = {
  'golden_versions.md': GOLDEN,
  'compose.yaml': COMPOSE,
  Dockerfile: 'FROM python:3.11-slim AS base\nFROM base\n',
  'requirements.txt': 'dagster==1.9.1\ndagster-webserver==1.9.1\npandas>=2\n',
  'pyproject.toml': '[project]\nname = "p"\ndependencies = ["dagster==1.9.1"]\n\n[tool.poetry.dependencies]\ndbt-duckdb = "1.8.4"\n',
  'package.json': '{\n  "dependencies": {\n    "@cubejs-backend/server": "^1.1.9"\n  }\n}\n',
  'README.md': '# Platform\n\nSuperset: http://localhost:${SUPERSET_PORT} (SUPERSET_PORT, default 8088).\n',
  'other/Workplan.md': '# Workplan\n',
};

// The repository is made before any test runs; rules read it through this baseline.
let loaded: GitBaseline | undefined;
const need = (): GitBaseline => {
  if (!loaded) throw new Error('the test repository was not loaded');
  return loaded;
};
const baseline: GitBaseline = {
  get refs() {
    return need().refs;
  },
  textAt: (ref, rel) => need().textAt(ref, rel),
  workingText: (rel) => need().workingText(rel),
};

suiteSetup(async () => {
  const repo = makeRepo(PLATFORM);
  loaded = await loadGitBaseline(repo);
  assert.ok(loaded, 'no git baseline for a committed repository');
});

const git = { git: baseline };
const goldenWith = (from: string, to: string): string => GOLDEN.replace(from, to);

runRuleTests(goldenVersionsDowngrade, 'goldenVersions', {
  valid: [
    { code: GOLDEN, name: 'unchanged', options: { ...git, file: 'golden_versions.md' } },
    { code: goldenWith('| 5.0.0 |', '| 5.0.1 |'), name: 'an upgrade', options: { ...git, file: 'golden_versions.md' } },
    { code: goldenWith('| 3.11 |', '| 3.11.9 |'), name: 'a more precise version of the same', options: { ...git, file: 'golden_versions.md' } },
    { code: goldenWith('| 5.0.0 |', '| 4.0.2 |'), name: 'without git the rule is off', options: { file: 'golden_versions.md' } },
    { code: goldenWith('| 5.0.0 |', '| 4.0.2 |'), name: 'a file that is not committed', options: { ...git, file: 'other/golden_versions.md' } },
  ],
  invalid: [
    {
      code: goldenWith('| 5.0.0 |', '| 4.0.2 |'),
      name: 'Superset down to 4.0.2 (the notes naming 4.0.2 are not the version cell)',
      options: { ...git, file: 'golden_versions.md' },
      errors: [{ messageId: 'golden', line: 6, column: 40, text: '4.0.2' }],
    },
    {
      code: goldenWith('| v1.1.9 |', '| v1.1.10-rc1 |').replace('| 1.9.1 |', '| 1.9.1-rc1 |'),
      name: 'a pre-release of the same version is lower (PEP 440); 1.1.10-rc1 is above 1.1.9',
      options: { ...git, file: 'golden_versions.md' },
      errors: [{ messageId: 'golden', line: 5, column: 45, text: '1.9.1-rc1' }],
    },
  ],
});

runRuleTests(goldenVersionsDowngrade, 'compose', {
  valid: [
    { code: COMPOSE, options: git },
    { code: COMPOSE.replace('postgres:16.6', 'postgres:17.2').replace('superset:5.0.0', 'superset:latest'), name: 'an upgrade, a tag that is no version', options: git },
  ],
  invalid: [
    {
      code: COMPOSE.replace('postgres:16.6', 'postgres:16.4-alpine'),
      options: git,
      errors: [{ messageId: 'pin', line: 2, column: 20, text: '16.4-alpine' }],
    },
  ],
});

runRuleTests(goldenVersionsDowngrade, 'dockerfile', {
  valid: [{ code: 'FROM python:3.12-slim AS base\nFROM base\n', options: git }],
  invalid: [
    { code: 'FROM python:3.10-slim AS base\nFROM base\n', options: git, errors: [{ messageId: 'pin', line: 0, column: 12, text: '3.10-slim' }] },
    {
      code: 'ARG PY=3.9\nFROM python:${PY}-slim AS base\nFROM base\n',
      name: 'the ARG a FROM takes its tag from',
      options: git,
      errors: [{ messageId: 'pin', line: 0, column: 7, text: '3.9' }],
    },
  ],
});

runRuleTests(goldenVersionsDowngrade, 'requirements', {
  valid: [{ code: 'dagster==1.9.2\ndagster-webserver==1.9.1.post1\npandas>=1\n', name: 'upgrades; a range is no pin', options: git }],
  invalid: [
    {
      code: 'Dagster == 1.9.1rc1\ndagster_webserver==1.9.1\n',
      name: 'PEP 503 names, a release candidate below its release',
      options: git,
      errors: [{ messageId: 'pin', line: 0, column: 11, text: '1.9.1rc1' }],
    },
  ],
});

runRuleTests(goldenVersionsDowngrade, 'pyproject', {
  valid: [{ code: PLATFORM['pyproject.toml'], options: git }],
  invalid: [
    {
      code: PLATFORM['pyproject.toml'].replace('"1.8.4"', '"^1.8.3"'),
      options: git,
      errors: [{ messageId: 'pin', line: 5, column: 15, text: '1.8.3' }],
    },
  ],
});

runRuleTests(goldenVersionsDowngrade, 'packageJson', {
  valid: [{ code: PLATFORM['package.json'].replace('^1.1.9', '1.1.10'), options: git }],
  invalid: [
    {
      code: PLATFORM['package.json'].replace('^1.1.9', '^1.1.9-beta.1'),
      options: git,
      errors: [{ messageId: 'pin', line: 2, column: 32, text: '1.1.9-beta.1' }],
    },
  ],
});

runRuleTests(docsFollowChanges, 'goldenVersions', {
  valid: [
    { code: GOLDEN, name: 'golden_versions.md unchanged', options: { ...git, file: 'golden_versions.md' } },
    { code: goldenWith('| 5.0.0 |', '| 5.0.1 |'), name: 'without git the rule is off', options: { file: 'golden_versions.md' } },
  ],
  invalid: [
    {
      code: goldenWith('| 5.0.0 |', '| 5.0.1 |'),
      name: 'a version changed, README.md and other/Workplan.md did not',
      options: { ...git, file: 'golden_versions.md' },
      errors: [{ messageId: 'golden', line: 6, column: 0 }],
    },
  ],
});

runRuleTests(docsFollowChanges, 'compose', {
  valid: [
    { code: COMPOSE, options: git },
    {
      code: `${COMPOSE}  worker:\n    image: busybox:1.36\n`,
      name: 'a new service without published ports has no UI',
      options: git,
    },
    {
      code: `${COMPOSE}  web:\n    image: nginx:1.27\n    ports:\n      - "8088:80"\n`,
      name: 'a new service whose port README.md names',
      options: git,
    },
  ],
  invalid: [
    {
      code: `${COMPOSE}  dagster:\n    image: dagster:1\n    ports:\n      - "\${DAGSTER_PORT:-3000}:3000"\n      - published: 3070\n        target: 3070\n`,
      name: 'a new service whose UI port README.md does not name',
      options: git,
      errors: [{ messageId: 'service', line: 7, column: 2, text: 'dagster' }],
    },
  ],
});

suite('git-aware rules through the engine (unit)', () => {
  const ids = new Set(['golden-versions-downgrade', 'docs-follow-changes']);
  const gitFindings = async (dir: string): Promise<string[]> =>
    (await lintProject(dir, { ruleSet: allRules })).findings.filter((f) => ids.has(f.ruleId)).map((f) => `${path.relative(dir, f.file)}:${f.line + 1} ${f.ruleId}: ${f.message}`);

  test('without a repository the rules say nothing', async () => {
    const dir = tempDir('duckstack-nogit-');
    writeFiles(dir, { ...PLATFORM, 'golden_versions.md': goldenWith('| 5.0.0 |', '| 4.0.2 |') });
    assert.deepEqual(await gitFindings(dir), []);
  });

  test('the editor in an untrusted workspace reads no git: the rules say nothing', async () => {
    const dir = makeRepo(PLATFORM);
    writeFiles(dir, { 'golden_versions.md': goldenWith('| 5.0.0 |', '| 4.0.2 |') });
    assert.equal((await gitFindings(dir)).length, 2, 'with git: the downgrade and the undocumented change');
    const untrusted = (await lintProject(dir, { ruleSet: allRules, git: false })).findings.filter((f) => ids.has(f.ruleId));
    assert.deepEqual(untrusted, []);
  });

  test('a downgrade committed on a branch is still one against the merge base with main', async () => {
    const dir = makeRepo(PLATFORM);
    runGit(dir, 'checkout', '-q', '-b', 'feature');
    commitAll(dir, { 'requirements.txt': 'dagster==1.8.0\ndagster-webserver==1.9.1\npandas>=2\n', 'other/Workplan.md': '# Workplan\n\nDagster down.\n' }, 'down');
    assert.deepEqual(await gitFindings(dir), [
      'requirements.txt:1 golden-versions-downgrade: dagster goes down to 1.8.0 from 1.9.1 in the merge base with main: the platform guide says NEVER downgrade to fix issues.',
    ]);
  });

  test('a CI checkout (detached HEAD, only origin/main fetched) compares with the merge base with origin/main', async () => {
    const upstream = makeRepo(PLATFORM);
    runGit(upstream, 'checkout', '-q', '-b', 'feature');
    commitAll(upstream, { 'compose.yaml': COMPOSE.replace('postgres:16.6', 'postgres:15.10') }, 'down');
    const ci = tempDir('duckstack-ci-');
    runGit(ci, 'init', '-q');
    runGit(ci, 'fetch', '-q', upstream, 'main:refs/remotes/origin/main');
    runGit(ci, 'fetch', '-q', upstream, 'feature');
    runGit(ci, 'checkout', '-q', '--detach', 'FETCH_HEAD');
    assert.deepEqual(await gitFindings(ci), [
      'compose.yaml:3 golden-versions-downgrade: postgres goes down to 15.10 from 16.6 in the merge base with origin/main: the platform guide says NEVER downgrade to fix issues.',
    ]);
  });

  test('golden_versions.md changed with other/Workplan.md: documented; a project in a subfolder of the repository', async () => {
    const top = makeRepo(Object.fromEntries(Object.entries(PLATFORM).map(([rel, text]) => [`platform/${rel}`, text])));
    const dir = path.join(top, 'platform');
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), goldenWith('| 5.0.0 |', '| 5.0.1 |'));
    assert.deepEqual(await gitFindings(dir), [
      'golden_versions.md:7 docs-follow-changes: golden_versions.md changed against HEAD (Apache Superset 5.0.0 → 5.0.1), but neither README.md nor other/Workplan.md did: document the change and its migration.',
    ]);
    fs.appendFileSync(path.join(dir, 'other', 'Workplan.md'), '\n## Superset 5.0.1\n');
    assert.deepEqual(await gitFindings(dir), []);
  });
});
