// Patterns met in public data stacks (compose + DuckDB + dbt + Dagster, Superset, Cube), each
// reproduced by a small fixture of our own in test/fixtures/real-world/<name>/. A fixture's
// README.md says what it reproduces and where it was seen; expected.txt lists every finding the
// full rule set must report on it ("file:line rule-id", 1-based lines), and nothing else may be
// reported. Precision and recall both fail here: a false alarm is an unexpected line, a miss a
// missing one. See docs/precision.md.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintProject } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/real-world');

function fixtures(): string[] {
  return fs.readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
}

function expected(dir: string): string[] {
  return fs.readFileSync(path.join(dir, 'expected.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).sort();
}

suite('real-world fixtures', () => {
  test('there are fixtures, and each states what it reproduces', () => {
    const names = fixtures();
    assert.ok(names.length >= 8, `only ${names.length} fixtures in ${FIXTURES}`);
    for (const name of names) {
      const readme = fs.readFileSync(path.join(FIXTURES, name, 'README.md'), 'utf8');
      assert.match(readme, /^Reproduces: \S/m, `${name}/README.md must say "Reproduces: …"`);
      assert.match(readme, /^Right outcome: \S/m, `${name}/README.md must say "Right outcome: …"`);
      assert.ok(fs.existsSync(path.join(FIXTURES, name, 'expected.txt')), `${name}/expected.txt is missing`);
    }
  });

  for (const name of fixtures()) {
    test(`${name}: exactly the expected findings`, async () => {
      const dir = path.join(FIXTURES, name);
      const result = await lintProject(dir, { ruleSet: allRules });
      assert.deepEqual(result.errors, []);
      const got = result.findings.map((f) => `${path.relative(dir, f.file).split(path.sep).join('/')}:${f.line + 1} ${f.ruleId}`).sort();
      assert.deepEqual(got, expected(dir));
    });
  }
});
