import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';

const GOLDEN = '| Tool | Package / Image | Golden Version | Notes |\n|---|---|---|---|\n| PostgreSQL | postgres | 16 | |\n';
const BAD_COMPOSE = [
  'version: "3.8"',
  'services:',
  '  db:',
  '    image: postgres:15',
  '    environment:',
  '      POSTGRES_PASSWORD: changeme',
  '    healthcheck:',
  '      test: ["CMD", "pg_isready"]',
  '',
].join('\n');
const CLEAN_COMPOSE = 'services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n';

async function runCli(cwd: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { cwd, env: {}, out: (t) => (out += t), err: (t) => (err += t) };
  const code = await cli(['lint', ...args], io);
  return { code, out, err };
}

interface JsonFinding { file: string; ruleId: string; severity: string; line: number; column: number; fixable: boolean }

suite('duckstack lint (CLI)', () => {
  let dir: string;
  setup(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-cli-lint-'));
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
  });
  teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a clean project exits 0 with no output', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), CLEAN_COMPOSE);
    assert.deepEqual(await runCli(dir), { code: 0, out: '', err: '' });
  });

  test('stylish: findings by file with 1-based positions; an error-level finding exits 1', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), BAD_COMPOSE);
    const { code, out } = await runCli(dir);
    assert.equal(code, 1);
    assert.match(out, /^compose\.yaml\n/);
    assert.match(out, /\n {2}1:1 +warning +The `version` key is obsolete.* compose-obsolete-version\n/);
    assert.match(out, /\n {2}6:26 +error +POSTGRES_PASSWORD .* compose-hardcoded-credential\n/);
    assert.match(out, /3 problems \(1 error, 2 warning, 0 info\)\n3 can be fixed with --fix\n$/);
  });

  test('json: the same findings, and .duckstack.json turns a rule off', async () => {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), BAD_COMPOSE);
    const before = JSON.parse((await runCli(dir, '--format', 'json')).out) as JsonFinding[];
    assert.deepEqual(
      before.map((f) => [f.file, f.ruleId, f.severity, f.line, f.column, f.fixable]),
      [
        ['compose.yaml', 'compose-obsolete-version', 'warning', 1, 1, true],
        ['compose.yaml', 'compose-image-golden', 'warning', 4, 12, true],
        ['compose.yaml', 'compose-hardcoded-credential', 'error', 6, 26, true],
      ],
    );
    fs.writeFileSync(path.join(dir, '.duckstack.json'), JSON.stringify({ rules: { 'compose-hardcoded-credential': 'off' } }));
    const after = await runCli(dir, '--format=json');
    assert.equal(after.code, 0);
    assert.deepEqual((JSON.parse(after.out) as JsonFinding[]).map((f) => f.ruleId), ['compose-obsolete-version', 'compose-image-golden']);
  });

  test('sarif: 2.1.0 shape with rules, levels and 1-based regions', async () => {
    fs.mkdirSync(path.join(dir, 'stack'));
    fs.writeFileSync(path.join(dir, 'stack', 'docker-compose.yml'), BAD_COMPOSE);
    const { code, out } = await runCli(dir, 'stack', '--format', 'sarif');
    assert.equal(code, 1);
    const log = JSON.parse(out) as {
      version: string;
      $schema: string;
      runs: Array<{
        tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string } }> } };
        results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }>;
      }>;
    };
    assert.equal(log.version, '2.1.0');
    assert.match(log.$schema, /sarif-2\.1\.0/);
    const [run] = log.runs;
    assert.equal(run.tool.driver.name, 'DuckStack');
    // The version DuckStack is released as, read from package.json, never a copy of it.
    assert.equal(run.tool.driver.version, (JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { version: string }).version);
    assert.ok(run.tool.driver.rules.every((r) => r.id && r.shortDescription.text));
    const credential = run.results.find((r) => r.ruleId === 'compose-hardcoded-credential');
    assert.ok(credential);
    assert.equal(credential.level, 'error');
    assert.equal(run.tool.driver.rules[credential.ruleIndex].id, 'compose-hardcoded-credential');
    assert.deepEqual(credential.locations[0].physicalLocation.artifactLocation.uri, 'stack/docker-compose.yml');
    assert.deepEqual(credential.locations[0].physicalLocation.region, { startLine: 6, startColumn: 26, endLine: 6, endColumn: 34 });
    assert.equal(run.results.find((r) => r.ruleId === 'compose-obsolete-version')?.level, 'warning');
  });

  test('--fix rewrites the file and reports what is left', async () => {
    const file = path.join(dir, 'compose.yaml');
    fs.writeFileSync(file, `${BAD_COMPOSE}  app:\n    image: postgres:16\n    ports: ["5433:5432"]\n    depends_on: [db]\n    healthcheck:\n      test: ["CMD", "true"]\n`);
    const { code, out } = await runCli(dir, '--fix');
    assert.equal(code, 0, out);
    assert.equal(
      fs.readFileSync(file, 'utf8'),
      [
        'services:',
        '  db:',
        '    image: postgres:16',
        '    environment:',
        '      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"',
        '    healthcheck:',
        '      test: ["CMD", "pg_isready"]',
        '  app:',
        '    image: postgres:16',
        '    ports: ["${APP_PORT:-5433}:5432"]',
        '    depends_on:',
        '      db:',
        '        condition: service_healthy',
        '    healthcheck:',
        '      test: ["CMD", "true"]',
        '',
      ].join('\n'),
    );
    // POSTGRES_PASSWORD is required but not in .env.example: reported, not fixable.
    assert.match(out, /compose-undocumented-variable/);
    assert.doesNotMatch(out, /can be fixed/);
  });

  test('usage and I/O errors exit 2', async () => {
    assert.equal((await runCli(dir, '--format', 'xml')).code, 2);
    assert.equal((await runCli(dir, '--nope')).code, 2);
    const missing = await runCli(dir, 'missing.yml');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /missing\.yml/);
    fs.writeFileSync(path.join(dir, '.duckstack.json'), '{ not json');
    assert.equal((await runCli(dir)).code, 2);
    assert.match((await runCli(dir, '--help')).out, /Usage: duckstack lint/);
  });
});
