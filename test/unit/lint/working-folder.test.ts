// The same precision from any working folder: `duckstack lint platform` run in the parent folder
// reports exactly what `duckstack lint` run inside platform/ reports. Everything the platform's
// findings depend on lives in platform/: golden_versions.md, .env (values and COMPOSE_FILE),
// .env.example, .duckstack.json, and a compose file that only COMPOSE_FILE names.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';

interface JsonFinding { file: string; ruleId: string; severity: string; line: number; column: number; message: string }

async function lintJson(cwd: string, ...args: string[]): Promise<{ code: number; findings: string[]; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { cwd, env: {}, out: (t) => (out += t), err: (t) => (err += t) };
  const code = await cli(['lint', ...args, '--format', 'json'], io);
  const findings = (JSON.parse(out) as JsonFinding[])
    .map((f) => `${path.resolve(cwd, f.file)}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}`)
    .sort();
  return { code, findings, err };
}

suite('lint from any working folder', () => {
  let parent: string;
  let platform: string;
  suiteSetup(() => {
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-cwd-'));
    platform = path.join(parent, 'platform');
    fs.mkdirSync(path.join(platform, 'dbt'), { recursive: true });
    const write = (file: string, text: string): void => fs.writeFileSync(path.join(platform, file), text);
    write('golden_versions.md', '| Tool | Package / Image | Golden Version |\n|---|---|---|\n| PostgreSQL | postgres | 16 |\n');
    write('.env', 'COMPOSE_FILE=stack.yml\nDB_TAG=15\n');
    write('.env.example', 'COMPOSE_FILE=stack.yml\nDB_TAG=16\n');
    write('.duckstack.json', JSON.stringify({ rules: { 'compose-host-port-variable': 'off', 'compose-obsolete-version': 'error' } }));
    write('stack.yml', [
      'version: "3.8"',
      'services:',
      '  db:',
      '    image: postgres:${DB_TAG:-16}',
      '    ports:',
      '      - "5432:5432"',
      '    environment:',
      '      POSTGRES_PASSWORD: changeme',
      '      WAREHOUSE: ${WAREHOUSE_PATH}',
      '',
    ].join('\n'));
    write('dbt/profiles.yml', 'shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: /srv/shop/dev.duckdb\n');
  });
  suiteTeardown(() => fs.rmSync(parent, { recursive: true, force: true }));

  test('the parent folder gets exactly the findings of the platform folder', async () => {
    const inside = await lintJson(platform);
    const fromParent = await lintJson(parent, 'platform');
    // What the platform's own files decide must show inside, or the comparison proves nothing.
    const rules = new Set(inside.findings.map((f) => f.split(' ')[2]));
    for (const rule of ['compose-image-golden', 'compose-obsolete-version', 'compose-hardcoded-credential', 'compose-undocumented-variable', 'compose-healthcheck', 'dbt-profiles-targets']) {
      assert.ok(rules.has(rule), `linting inside platform/ reports ${rule}: ${inside.findings.join('\n')}`);
    }
    assert.ok(!rules.has('compose-host-port-variable'), 'platform/.duckstack.json turns compose-host-port-variable off');
    assert.deepEqual(fromParent.findings, inside.findings);
    assert.equal(fromParent.code, inside.code);
    assert.equal(fromParent.err, inside.err);
  });
});
