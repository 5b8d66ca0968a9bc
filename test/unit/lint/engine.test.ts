import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyFile } from '../../../src/core/workspace/classify';
import { fileKind, fixText, isContextFile, lintProject, lintText, makeProjectContext, type ProjectContext } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fix';
import type { Rule } from '../../../src/core/lint/types';
import { allRules } from '../../../src/core/rules/index';
import { noGoldenVersions } from '../../../src/core/golden/golden';

/** Flags every occurrence of "bad" in a file, with a fix to "good". */
const flagBad: Rule = {
  id: 'test-word',
  meta: { description: 'test', defaultSeverity: 'warning', fixable: true, kinds: ['compose', 'dbtModel', 'cube', 'python'], messages: { bad: 'found {{word}}' } },
  check(ctx) {
    return [...ctx.text.matchAll(/bad/g)].map((m) => ({
      messageId: 'bad',
      data: { word: m[0] },
      start: m.index,
      end: m.index + 3,
      fix: { title: 'Use good', edits: [{ start: m.index, end: m.index + 3, text: 'good' }] },
    }));
  },
};
const throwing: Rule = {
  id: 'test-throws',
  meta: { description: 'test', defaultSeverity: 'error', fixable: false, kinds: ['compose'], messages: {} },
  check() {
    throw new Error('boom');
  },
};

suite('lint engine', () => {
  let root: string;
  let project: ProjectContext;
  suiteSetup(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-engine-'));
    project = makeProjectContext(root, noGoldenVersions, new Set(), { dockerfiles: [] });
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  const lint = (file: string, text: string, rules: Rule[] = [flagBad], settings?: Record<string, 'off' | 'info' | 'warning' | 'error'>) =>
    lintText({ file, text }, project, { ruleSet: rules, ...(settings ? { rules: settings } : {}) });

  test('classifies paths into file kinds; nothing in a folder the ignore list skips has one', () => {
    const cases: Array<[string, string | undefined]> = [
      ['compose.yaml', 'compose'],
      ['docker-compose.prod.yml', 'compose'],
      ['docker-compose-dev.yaml', 'compose'],
      ['services/dagster/Dockerfile', 'dockerfile'],
      ['Dockerfile.superset', 'dockerfile'],
      ['requirements-dev.txt', 'requirements'],
      ['pyproject.toml', 'pyproject'],
      ['cube/package.json', 'packageJson'],
      ['node_modules/x/package.json', undefined],
      ['.venv/lib/python3.11/site-packages/x/requirements.txt', undefined],
      ['logs/compose.yml', undefined],
      ['dbt/target/compiled/profiles.yml', undefined],
      ['dagster/defs.py', 'python'],
      ['dbt/profiles.yml', 'dbtProfiles'],
      ['dbt/dbt_project.yml', 'dbtProject'],
      ['dbt/models/marts/orders.sql', 'dbtModel'],
      ['dagster/dagster.yaml', 'dagsterYaml'],
      ['cube/cube.js', 'cube'],
      ['cube/model/orders.yml', 'cube'],
      ['golden_versions.md', 'goldenVersions'],
      ['.env.example', 'env'],
      ['README.md', undefined],
      ['other.yml', undefined],
      // Names that say what the file is without the usual name (seen in public data stacks).
      ['dbt/profiles.yml.template', 'dbtProfiles'],
      ['credentials/profiles.yml.tmpl', 'dbtProfiles'],
      ['docker-compose.yml.example', 'compose'],
      ['monitoring.compose.yaml', 'compose'],
      ['Dockerfile-dbt', 'dockerfile'],
      ['Containerfile', 'dockerfile'],
      ['docker/streamlit.Dockerfile', 'dockerfile'],
      ['dagster_home/dagster.prod.yaml', 'dagsterYaml'],
      ['dagster-dev.yml', 'dagsterYaml'],
      ['dagster.yaml.template', 'dagsterYaml'],
      ['orchestration/dagster_cloud.yaml', undefined],
      ['dbt_profiles.yml', undefined],
    ];
    for (const [file, kind] of cases) assert.equal(fileKind(project, path.join(root, file)), kind, file);
    // The root's own folders never count: a workspace may live under a folder named logs.
    assert.equal(fileKind({ root: path.join(root, 'logs', 'stack'), composeFiles: new Set() }, path.join(root, 'logs', 'stack', 'compose.yml')), 'compose');
    assert.equal(classifyFile(path.join(root, 'stack.yml'), new Set([path.join(root, 'stack.yml')])), 'compose');
  });

  test('the files whose change re-lints every file of the project: the ones the project context reads, outside skipped folders', () => {
    const cases: Array<[string, boolean]> = [
      ['golden_versions.md', true],
      ['.env', true],
      ['.env.example', true],
      ['.env.sample', true],
      ['services/dagster/Dockerfile', true],
      ['docker/streamlit.Dockerfile', true],
      // The context reads dbt profiles for the DuckDB files they name (compose-bi-readonly-duckdb).
      ['04_dbt/profiles.yml', true],
      ['compose.yaml', false],
      ['dagster/defs.py', false],
      ['.venv/lib/python3.11/site-packages/x/Dockerfile', false],
      ['logs/.env', false],
    ];
    for (const [file, expected] of cases) assert.equal(isContextFile(root, path.join(root, file)), expected, file);
  });

  test('positions are 0-based lines and columns of the report offsets, message filled from data', () => {
    const [f] = lint('compose.yaml', 'services:\n  x:\n    image: bad\n');
    assert.deepEqual([f.ruleId, f.message, f.line, f.column, f.endLine, f.endColumn, f.severity], ['test-word', 'found bad', 2, 11, 2, 14, 'warning']);
  });

  test('malformed YAML is one finding at the parse error, and rules do not run', () => {
    const findings = lint('compose.yaml', 'services:\n  web:\n    image: "unclosed\n    bad: x\n');
    assert.ok(findings.length >= 1);
    assert.ok(findings.every((f) => f.ruleId === 'yaml-syntax' && f.severity === 'error'));
    assert.equal(findings[0].line >= 2, true);
    const duplicate = lint('compose.yaml', 'services:\n  web: {}\n  web: {}\n');
    assert.deepEqual(duplicate.map((f) => [f.ruleId, f.line, f.column]), [['yaml-syntax', 2, 2]]);
  });

  test('an alias bomb is a finding in bounded time', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    const started = Date.now();
    const findings = lint('compose.yaml', text);
    assert.ok(Date.now() - started < 5000, 'bounded time');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].ruleId, 'yaml-syntax');
    assert.match(findings[0].message, /alias/i);
    assert.equal(findings[0].line, 1);
    // Hundreds of ordinary merge keys are not a bomb.
    let merges = 'x-defaults: &defaults\n  restart: unless-stopped\nservices:\n';
    for (let i = 0; i < 500; i++) merges += `  s${i}:\n    <<: *defaults\n    image: bad\n`;
    const ordinary = lint('compose.yaml', merges);
    assert.equal(ordinary.filter((f) => f.ruleId === 'yaml-syntax').length, 0);
    assert.equal(ordinary.length, 500);
  });

  test('empty, binary and 5 MB files never throw', function () {
    this.timeout(60_000);
    assert.deepEqual(lint('compose.yaml', ''), []);
    assert.deepEqual(lint('compose.yaml', '\u0000\u0001\u0002\uFFFD\u0007bad'), []);
    const big = `services:\n${Array.from({ length: 60_000 }, (_, i) => `  s${i}:\n    image: "app:${i}"\n`).join('')}`;
    assert.ok(big.length > 1_500_000);
    const huge = big + `# ${'x'.repeat(5 * 1024 * 1024 - big.length)}\n`;
    assert.ok(huge.length >= 5 * 1024 * 1024);
    // Every registered rule runs on it: each service lacks only a healthcheck.
    const findings = lintText({ file: 'compose.yaml', text: huge }, project, { ruleSet: allRules });
    assert.equal(findings.length, 60_000);
    assert.ok(findings.every((f) => f.ruleId === 'compose-healthcheck'));
  });

  test('odd shapes (`services:` as a list, wrong types everywhere) never make a registered rule throw', () => {
    const odd = [
      'services:\n  - web\n  - db\n',
      'services: 5\nvolumes: [a]\n',
      '- a\n- b\n',
      'just text\n',
      'services:\n  web: [1, 2]\n  db: "x"\n  x:\n    ports: 5\n    volumes: {a: 1}\n    depends_on: 7\n    environment: [1, {a: b}]\n    image: [x]\n    healthcheck: yes\n  y:\n    ports: [{published: [1]}, [2], ~]\n    volumes: [~, {type: bind}, 3]\n    depends_on: {a: [1], b: 2}\n    environment: {A_PASSWORD: [1], B_TOKEN: ~}\n',
    ];
    for (const text of odd) {
      const findings = lintText({ file: 'compose.yaml', text }, project, { ruleSet: allRules });
      assert.deepEqual(findings.filter((f) => f.ruleId === 'internal-error').map((f) => f.message), [], text);
    }
  });

  test('a rule that throws is an internal finding and the other rules still report', () => {
    const findings = lint('compose.yaml', 'x: bad\n', [throwing, flagBad]);
    assert.deepEqual(findings.map((f) => f.ruleId).sort(), ['internal-error', 'test-word']);
    assert.match(findings.find((f) => f.ruleId === 'internal-error')?.message ?? '', /test-throws.*boom/);
  });

  test('severity settings: off silences, others override the default', () => {
    assert.deepEqual(lint('compose.yaml', 'x: bad\n', [flagBad], { 'test-word': 'off' }), []);
    assert.equal(lint('compose.yaml', 'x: bad\n', [flagBad], { 'test-word': 'error' })[0].severity, 'error');
    assert.equal(lint('compose.yaml', 'x: bad\n', [flagBad], { 'test-word': 'info' })[0].severity, 'info');
  });

  test('suppression comments in each comment syntax the file kind has', () => {
    const compose = '# duckstack-disable-next-line test-word\nx: bad\ny: bad\n';
    assert.deepEqual(lint('compose.yaml', compose).map((f) => f.line), [2]);
    assert.deepEqual(lint('compose.yaml', '# duckstack-disable-file test-word\nx: bad\ny: bad\n'), []);
    assert.deepEqual(lint('compose.yaml', '# duckstack-disable-file\nx: bad\n'), []);
    assert.equal(lint('compose.yaml', '# duckstack-disable-next-line other-rule\nx: bad\n').length, 1);
    assert.deepEqual(lint('models/m.sql', '-- duckstack-disable-next-line test-word\nselect bad\n{# duckstack-disable-next-line test-word #}\nselect bad\nselect bad\n').map((f) => f.line), [4]);
    assert.deepEqual(lint('cube/cube.js', '// duckstack-disable-next-line test-word\nconst bad = 1;\n'), []);
    // A syntax the kind does not have is not a suppression.
    assert.deepEqual(lint('dags/x.py', '// duckstack-disable-next-line test-word\nbad = 1\n').map((f) => f.line), [1]);
  });

  test('applyFixes applies non-overlapping fixes and re-linting finds nothing', () => {
    const text = 'a: bad\nb: bad\n';
    const fixed = applyFixes(text, lint('compose.yaml', text).flatMap((f) => (f.fix ? [f.fix] : [])));
    assert.equal(fixed, 'a: good\nb: good\n');
    assert.deepEqual(lint('compose.yaml', fixed), []);
    const overlapping = applyFixes('abcdef', [
      { title: 'one', edits: [{ start: 1, end: 4, text: 'X' }] },
      { title: 'two', edits: [{ start: 2, end: 5, text: 'Y' }] },
      { title: 'three', edits: [{ start: 5, end: 6, text: 'Z' }] },
    ]);
    assert.equal(overlapping, 'aXeZ');
  });

  test('fixText applies every fix of the registered rules, in a second pass where fixes overlapped', () => {
    const text = 'services:\n  app:\n    image: x:1\n    healthcheck: {test: [CMD, "true"]}\n    volumes:\n      - /a\n      - /b\n';
    const fixed = fixText({ file: 'compose.yaml', text }, project, { ruleSet: allRules });
    assert.equal(fixed, 'services:\n  app:\n    image: x:1\n    healthcheck: {test: [CMD, "true"]}\n    volumes:\n      - "app_a:/a"\n      - "app_b:/b"\nvolumes:\n  app_a:\n  app_b:\n');
    assert.deepEqual(lintText({ file: 'compose.yaml', text: fixed }, project, { ruleSet: allRules }), []);
  });

  test('lintProject walks the root, skips node_modules, reports unreadable paths as errors', async () => {
    fs.mkdirSync(path.join(root, 'node_modules', 'p'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'p', 'compose.yaml'), 'x: bad\n');
    fs.mkdirSync(path.join(root, 'stack'));
    fs.writeFileSync(path.join(root, 'stack', 'compose.yaml'), 'x: bad\n');
    fs.writeFileSync(path.join(root, 'custom.yml'), 'x: bad\n');
    fs.writeFileSync(path.join(root, 'README.md'), 'bad\n');
    fs.writeFileSync(path.join(root, '.env'), 'COMPOSE_FILE=custom.yml\n');
    const all = await lintProject(root, { ruleSet: [flagBad] });
    assert.deepEqual(all.findings.map((f) => path.relative(root, f.file)).sort(), ['custom.yml', path.join('stack', 'compose.yaml')]);
    assert.deepEqual(all.errors, []);
    const some = await lintProject(root, { ruleSet: [flagBad], paths: ['stack', 'missing.yml', 'README.md'] });
    assert.equal(some.findings.length, 1);
    assert.equal(some.errors.length, 2, some.errors.join('; '));
    assert.match(some.errors.join('\n'), /missing\.yml: no such file/);
  });

  test("files pulled in by the root compose file's include: are linted as compose files", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-lint-include-'));
    try {
      fs.mkdirSync(path.join(dir, 'stacks'));
      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'include:\n  - stacks/bi.yml\n  - path: [stacks/orchestration.yml]\nservices: {}\n');
      fs.writeFileSync(path.join(dir, 'stacks', 'bi.yml'), 'x: bad\n');
      fs.writeFileSync(path.join(dir, 'stacks', 'orchestration.yml'), 'x: bad\n');
      fs.writeFileSync(path.join(dir, 'stacks', 'unrelated.yml'), 'x: bad\n');
      const result = await lintProject(dir, { ruleSet: [flagBad] });
      assert.deepEqual(result.findings.map((f) => path.relative(dir, f.file)).sort(), [path.join('stacks', 'bi.yml'), path.join('stacks', 'orchestration.yml')]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
