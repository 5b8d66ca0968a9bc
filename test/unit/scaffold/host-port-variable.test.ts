// The host-port quick fix on a real fork: a port the user hardcoded again gets the variable the
// fork's .env.example (or .env) already has for that service and port, so their setting applies.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixText, lintText, loadProjectContext } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import { planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { tempDir } from './support';

suite('scaffold: the host-port fix reuses the fork\'s own variable', () => {
  let dir: string;
  let compose: string;
  suiteSetup(async () => {
    dir = path.join(tempDir('host-port'), 'fork');
    const written = await writeScaffold(planScaffold({ dir, ports: { dbt: 8080 } }));
    assert.ok(written.ok);
    compose = path.join(dir, 'docker-compose.yml');
  });
  suiteTeardown(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  function hardcode(from: string, to: string): string {
    const text = fs.readFileSync(compose, 'utf8');
    assert.ok(text.includes(from), `the fork's compose file has ${from}`);
    return text.replace(from, to);
  }

  test('dbt\'s "8080:8080" is fixed to DBT_DOCS_PORT, the name .env.example documents', async () => {
    assert.match(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'), /^DBT_DOCS_PORT=8080$/m);
    const text = hardcode('"${DBT_DOCS_PORT:-8080}:8080"', '"8080:8080"');
    const project = await loadProjectContext(dir);
    const input = { file: compose, text };
    const finding = lintText(input, project, { ruleSet: allRules }).find((f) => f.ruleId === 'compose-host-port-variable');
    assert.ok(finding, 'the hardcoded port is flagged');
    assert.match(finding.message, /\$\{DBT_DOCS_PORT:-8080\}/);
    assert.equal(finding.fix?.title, 'Use ${DBT_DOCS_PORT:-8080}');
    const fixed = fixText(input, project, { ruleSet: allRules.filter((r) => r.id === 'compose-host-port-variable') });
    assert.ok(fixed.includes('"${DBT_DOCS_PORT:-8080}:8080"'), fixed);
    assert.ok(!fixed.includes('DBT_PORT'));
  });

  test('with .env moved to 9090 the fix still names DBT_DOCS_PORT, so the user\'s 9090 applies again', async () => {
    const env = path.join(dir, '.env');
    fs.writeFileSync(env, fs.readFileSync(path.join(dir, '.env.example'), 'utf8').replace(/^DBT_DOCS_PORT=8080$/m, 'DBT_DOCS_PORT=9090'));
    try {
      const text = hardcode('"${DBT_DOCS_PORT:-8080}:8080"', '"8080:8080"');
      const fixed = fixText({ file: compose, text }, await loadProjectContext(dir), { ruleSet: allRules.filter((r) => r.id === 'compose-host-port-variable') });
      assert.ok(fixed.includes('"${DBT_DOCS_PORT:-8080}:8080"'), fixed);
    } finally {
      fs.rmSync(env);
    }
  });

  test('a port no variable of the fork has gets a name derived from the service', async () => {
    const text = hardcode('"${DBT_DOCS_PORT:-8080}:8080"', '"8081:8080"');
    const fixed = fixText({ file: compose, text }, await loadProjectContext(dir), { ruleSet: allRules.filter((r) => r.id === 'compose-host-port-variable') });
    assert.ok(fixed.includes('"${DBT_PORT:-8081}:8080"'), fixed);
  });
});
