// Right answers from anywhere: the README's CI recipe end to end (DuckStack checked out beside the
// fork, `node duckstack/dist/cli.js lint platform --format sarif` run from the folder holding both,
// which has its own golden_versions.md), lint from inside a fork's subfolder, several projects in
// one run, and `validate` on a compose file that does not parse.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareSnapshots, newTally, reportTally, runCli, snapshot, tempProject } from './robust-support';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const BUNDLE = path.join(repo, 'dist', 'cli.js');

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }>;
}
interface SarifLog {
  version: string;
  $schema: string;
  runs: Array<{
    originalUriBaseIds: Record<string, { uri: string }>;
    invocations: Array<{ executionSuccessful: boolean }>;
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: SarifResult[];
  }>;
}
interface JsonFinding { file: string; ruleId: string; line: number; column: number }

const FORK_GOLDEN = '| Tool | Package / Image | Golden Version |\n|---|---|---|\n| PostgreSQL | postgres | 16 |\n| Python | python | 3.11 |\n';
/** What the other checkout and the parent folder say: every pin of the fork would drift from it. */
const OTHER_GOLDEN = '| Tool | Package / Image | Golden Version |\n|---|---|---|\n| PostgreSQL | postgres | 13 |\n| Python | python | 3.9 |\n';
const FORK_COMPOSE = [
  'services:',
  '  db:',
  '    image: postgres:16.4-alpine',
  '    environment:',
  '      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it in .env}',
  '    healthcheck:',
  '      test: ["CMD", "pg_isready"]',
  '  app:',
  '    build: ./services/app',
  '    image: python:3.11.9-slim',
  '    ports: ["8080:80"]',
  '    healthcheck:',
  '      test: ["CMD", "true"]',
  '',
].join('\n');

/** workspace/{duckstack,platform}: the layout of the README's CI recipe. */
function ciWorkspace(): { workspace: string; platform: string } {
  const workspace = tempProject('duckstack-ci-');
  const platform = path.join(workspace, 'platform');
  const duckstack = path.join(workspace, 'duckstack');
  fs.mkdirSync(path.join(duckstack, 'dist'), { recursive: true });
  assert.ok(fs.existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` first (npm test does)`);
  fs.copyFileSync(BUNDLE, path.join(duckstack, 'dist', 'cli.js'));
  // The checkout of DuckStack and the parent folder each have their own golden versions, settings and env files.
  for (const dir of [workspace, duckstack]) {
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), OTHER_GOLDEN);
    fs.writeFileSync(path.join(dir, '.duckstack.json'), JSON.stringify({ rules: { 'compose-host-port-variable': 'error' } }));
    fs.writeFileSync(path.join(dir, '.env.example'), 'UNRELATED=\n');
  }
  fs.mkdirSync(path.join(platform, 'services', 'app'), { recursive: true });
  fs.writeFileSync(path.join(platform, 'golden_versions.md'), FORK_GOLDEN);
  fs.writeFileSync(path.join(platform, '.duckstack.json'), JSON.stringify({ rules: { 'compose-host-port-variable': 'info' } }));
  fs.writeFileSync(path.join(platform, '.env.example'), 'DB_PASSWORD=\n');
  fs.writeFileSync(path.join(platform, 'docker-compose.yml'), FORK_COMPOSE);
  fs.writeFileSync(path.join(platform, 'services', 'app', 'Dockerfile'), 'FROM python:3.12-slim\n');
  return { workspace, platform };
}

const tally = newTally();

suite('right answers from anywhere', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  suiteTeardown(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("the README's CI recipe: lint a fork from the folder beside DuckStack's checkout gives the fork's answers as upload-ready SARIF", () => {
    const { workspace, platform } = ciWorkspace();
    dirs.push(workspace);
    const before = snapshot(platform);
    // The recipe's own command line, with the bundled CLI of the checkout beside the fork.
    const run = runCli(tally, 'CI recipe', workspace, ['lint', 'platform', '--format', 'sarif'], { bundle: path.join(workspace, 'duckstack', 'dist', 'cli.js'), ci: true });
    compareSnapshots(tally, 'CI recipe', before, snapshot(platform));
    assert.equal(run.err, '');
    const log = JSON.parse(run.out) as SarifLog;
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const [sarifRun] = log.runs;
    // The fork's golden versions: postgres:16.4-alpine and python:3.11.9-slim agree with 16 and 3.11;
    // only the Dockerfile's 3.12 differs. Its .env.example documents DB_PASSWORD; its .duckstack.json
    // makes the hardcoded port info (the checkout beside it says error).
    const results = sarifRun.results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri} ${r.ruleId} ${r.level}`).sort();
    assert.deepEqual(results, ['docker-compose.yml compose-host-port-variable note', 'services/app/Dockerfile dockerfile-python-version warning']);
    assert.equal(run.code, 0, 'no error-level finding');
    // URIs relative to the fork's root, which originalUriBaseIds gives; never ../ out of it.
    assert.deepEqual(sarifRun.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(`${platform}${path.sep}`).href } });
    for (const r of sarifRun.results) {
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
      assert.doesNotMatch(artifactLocation.uri, /^(\.\.|\/|platform\/)/);
      assert.ok(fs.existsSync(path.join(platform, decodeURIComponent(artifactLocation.uri))), artifactLocation.uri);
      assert.equal(sarifRun.tool.driver.rules[r.ruleIndex ?? -1]?.id, r.ruleId, 'ruleIndex points at the rule');
      assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endLine >= region.startLine);
      assert.ok(['error', 'warning', 'note'].includes(r.level));
      assert.ok(r.message.text.length > 0);
    }
    assert.equal(sarifRun.invocations[0].executionSuccessful, true);
  });

  test('inside a fork, from its subfolder or naming one of its files from elsewhere, the fork is the project', () => {
    const { workspace, platform } = ciWorkspace();
    dirs.push(workspace);
    // On a developer's machine (CI unset) the fork's own .env.example is why its compose file needs a .env.
    const expected = ['docker-compose.yml compose-env-missing', 'docker-compose.yml compose-host-port-variable', 'services/app/Dockerfile dockerfile-python-version'];
    const fromSub = runCli(tally, 'from a subfolder', path.join(platform, 'services'), ['lint', '--format', 'json', '..']);
    assert.equal(fromSub.err, '');
    assert.deepEqual((JSON.parse(fromSub.out) as JsonFinding[]).map((f) => `${path.relative(platform, path.resolve(platform, 'services', f.file))} ${f.ruleId}`).sort(), expected);
    const inSub = runCli(tally, 'inside a subfolder', path.join(platform, 'services', 'app'), ['lint', '--format', 'json']);
    assert.deepEqual((JSON.parse(inSub.out) as JsonFinding[]).map((f) => `${f.file} ${f.ruleId}`), ['Dockerfile dockerfile-python-version']);
    const file = runCli(tally, 'one file from the parent', workspace, ['lint', '--format', 'json', 'platform/docker-compose.yml']);
    assert.deepEqual((JSON.parse(file.out) as JsonFinding[]).map((f) => `${f.file} ${f.ruleId}`).sort(), ['platform/docker-compose.yml compose-env-missing', 'platform/docker-compose.yml compose-host-port-variable']);
  });

  test('two projects in one run: each with its own files, each SARIF URI relative to its own root', () => {
    const { workspace, platform } = ciWorkspace();
    dirs.push(workspace);
    const other = path.join(workspace, 'other');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'golden_versions.md'), OTHER_GOLDEN);
    fs.writeFileSync(path.join(other, 'compose.yaml'), 'services:\n  db:\n    image: postgres:13\n    healthcheck:\n      test: ["CMD", "true"]\n');
    const run = runCli(tally, 'two projects', workspace, ['lint', 'platform', 'other', '--format', 'sarif'], { ci: true });
    const [sarifRun] = (JSON.parse(run.out) as SarifLog).runs;
    assert.deepEqual(sarifRun.originalUriBaseIds, {
      '%SRCROOT%': { uri: pathToFileURL(`${platform}${path.sep}`).href },
      ROOT2: { uri: pathToFileURL(`${other}${path.sep}`).href },
    });
    assert.deepEqual(
      sarifRun.results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uriBaseId} ${r.locations[0].physicalLocation.artifactLocation.uri} ${r.ruleId}`).sort(),
      ['%SRCROOT% docker-compose.yml compose-host-port-variable', '%SRCROOT% services/app/Dockerfile dockerfile-python-version'],
      'postgres:13 agrees with the other project\'s own golden table',
    );
  });

  test('validate on a compose file that does not parse fails the lint-based checks with the parse error as evidence, at real lines', () => {
    const dir = tempProject('duckstack-validate-broken-');
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), FORK_GOLDEN);
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  db:\n    image: postgres:16\n    ports: ["5432:5432"\n    environment:\n      A: b\n');
    const run = runCli(tally, 'validate broken compose', dir, ['validate', '--format', 'json'], { timeoutMs: 120_000 });
    assert.equal(run.code, 1, run.err);
    const report = JSON.parse(run.out) as { checks: Array<{ id: string; status: string; evidence: string[]; line?: number }> };
    const byId = new Map(report.checks.map((c) => [c.id, c]));
    for (const id of ['config-hardcoded', 'env-documented', 'golden-versions']) {
      const check = byId.get(id);
      assert.equal(check?.status, 'fail', `${id}: ${JSON.stringify(check)}`);
      assert.match(check.evidence[0], /^docker-compose\.yml:5:\d+ yaml-syntax: /, id);
      assert.equal(check.line, 4, `${id}: the 0-based line of the parse error`);
    }
    const compose = byId.get('compose-config');
    assert.equal(compose?.status, 'fail');
    assert.ok(compose.evidence.length > 0);
    for (const e of compose.evidence) {
      assert.doesNotMatch(e, /:0:0:/, 'a real position, not :0:0');
      assert.match(e, /docker-compose\.yml:[1-9]\d*:[1-9]\d*: /);
    }
  });

  test('no input crashed, hung, or changed a file', () => {
    reportTally('right answers from anywhere', tally);
  });
});
