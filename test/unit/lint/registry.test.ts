// Every registered rule is documented in docs/rules.md (heading = rule id, the anchor diagnostics
// link to), has a one-line description, and is exercised by a unit test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_FINDINGS } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';

const REPO = path.resolve(__dirname, '../../../..');

function testSources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return testSources(full);
    return d.name.endsWith('.test.ts') ? [fs.readFileSync(full, 'utf8')] : [];
  });
}

suite('rule registry', () => {
  const docs = fs.readFileSync(path.join(REPO, 'docs', 'rules.md'), 'utf8');
  const headings = new Set([...docs.matchAll(/^#{2,3} ([a-z0-9-]+)\s*$/gm)].map((m) => m[1]));
  const tests = testSources(path.join(REPO, 'test', 'unit')).join('\n');

  test('rule ids are unique kebab-case and differ from the engine findings', () => {
    const ids = allRules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[a-z]+(-[a-z0-9]+)+$/);
    for (const id of Object.keys(ENGINE_FINDINGS)) assert.ok(!ids.includes(id), id);
  });

  for (const rule of allRules) {
    test(`${rule.id}: documented, described in one line, tested`, () => {
      assert.ok(headings.has(rule.id), `docs/rules.md has no "## ${rule.id}" section`);
      assert.ok(rule.meta.description.trim().length > 10, 'description');
      assert.ok(!rule.meta.description.includes('\n'), 'the description is one line');
      assert.ok(Object.keys(rule.meta.messages).length > 0, 'messages');
      assert.ok(rule.meta.kinds.length > 0, 'kinds');
      // A test names the rule by id or by its registry identifier, the id in camelCase.
      const identifier = rule.id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
      const mentioned = tests.includes(`'${rule.id}'`) || new RegExp(`\\b${identifier}\\b`).test(tests);
      assert.ok(mentioned, `no test under test/unit names ${rule.id}`);
    });
  }

  test('the engine findings are documented', () => {
    for (const id of Object.keys(ENGINE_FINDINGS)) assert.ok(headings.has(id), id);
  });
});
