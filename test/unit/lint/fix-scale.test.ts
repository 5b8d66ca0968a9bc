// "Fix all" at scale: fixes apply in one linear pass where they can (line insertions at one place
// included), so a large file is fixed in a bounded number of lint passes, and never into invalid YAML.
import * as assert from 'node:assert/strict';
import { noGoldenVersions } from '../../../src/core/golden/golden';
import { fixText, lintText, makeProjectContext } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fix';
import type { Fix, Rule } from '../../../src/core/lint/types';
import { composeAnonymousVolume } from '../../../src/core/rules/compose/anonymous-volume';

const project = makeProjectContext('/project', noGoldenVersions, new Set(), { dockerfiles: [] });

/** The rule, counting how many times the engine ran it (one lint pass each). */
function counted(rule: Rule): { rule: Rule; passes: () => number } {
  let calls = 0;
  return {
    rule: { ...rule, check: (ctx) => (calls++, rule.check(ctx)) },
    passes: () => calls,
  };
}

function services(count: number, named = false): string {
  return Array.from({ length: count }, (_, i) => `  s${i}:\n    image: x:1\n    volumes:\n      - ${named ? `"s${i}_data:/data"` : '/data'}\n`).join('');
}
const declared = (count: number): string => Array.from({ length: count }, (_, i) => `  s${i}_data:\n`).join('');

suite('fix all at scale', () => {
  test('2,000 anonymous volumes in a file without a top-level volumes key: one volumes block, every volume named, in one fix pass', () => {
    const { rule, passes } = counted(composeAnonymousVolume);
    const fixed = fixText({ file: 'compose.yaml', text: `services:\n${services(2000)}` }, project, { ruleSet: [rule] });
    assert.equal(fixed, `services:\n${services(2000, true)}volumes:\n${declared(2000)}`);
    assert.deepEqual(lintText({ file: 'compose.yaml', text: fixed }, project, { ruleSet: [composeAnonymousVolume] }), []);
    // The lint before fixing and the one after: the 2,000 `volumes:` blocks the fixes add merge into one.
    assert.equal(passes(), 2);
  });

  test('with a top-level volumes key already there, every new entry goes into it in one pass', () => {
    const { rule, passes } = counted(composeAnonymousVolume);
    const fixed = fixText({ file: 'compose.yaml', text: `services:\n${services(500)}volumes:\n  kept: {}\nnetworks: {}\n` }, project, { ruleSet: [rule] });
    assert.equal(fixed, `services:\n${services(500, true)}volumes:\n  kept: {}\n${declared(500)}networks: {}\n`);
    assert.equal(passes(), 2, 'the lint before fixing and the one after');
  });

  test('line insertions at one place: entries of the block that ends there first, new blocks after, one block per key', () => {
    const text = 'a:\n  x: 1\n';
    const at = text.length;
    const insert = (t: string): Fix => ({ title: t, edits: [{ start: at, end: at, text: t }] });
    const fixes = [insert('volumes:\n  v1:\n'), insert('  y: 2\n'), insert('volumes:\n  v2:\n'), insert('networks:\n  n:\n'), insert('  z: 3\n')];
    assert.equal(applyFixes(text, fixes, { mergeLineInsertions: true }), 'a:\n  x: 1\n  y: 2\n  z: 3\nvolumes:\n  v1:\n  v2:\nnetworks:\n  n:\n');
    // Without merging, one insertion per place and pass, as before.
    assert.equal(applyFixes(text, fixes), 'a:\n  x: 1\nvolumes:\n  v1:\n');
    // Replacements at one place still conflict; the later one waits.
    const replace = (t: string): Fix => ({ title: t, edits: [{ start: 3, end: 9, text: t }] });
    assert.equal(applyFixes(text, [replace('  x: 2'), replace('  x: 3')], { mergeLineInsertions: true }), 'a:\n  x: 2\n');
  });

  test('100,000 fixes on a 2 MB text apply in one pass', () => {
    const line = 'key: bad value here\n';
    const text = line.repeat(100_000);
    const fixes: Fix[] = Array.from({ length: 100_000 }, (_, i) => ({ title: 'good', edits: [{ start: i * line.length + 5, end: i * line.length + 8, text: 'good' }] }));
    const fixed = applyFixes(text, fixes.reverse());
    assert.equal(fixed, 'key: good value here\n'.repeat(100_000));
  });

  test('a merge that would break the YAML (one key inserted twice) is redone one insertion per pass', () => {
    // Reports the missing `labels` twice per service (two reasons), each fix inserting it.
    const twice: Rule = {
      id: 'test-labels',
      meta: { description: 'test', defaultSeverity: 'warning', fixable: true, kinds: ['compose'], messages: { m: 'm' } },
      check(ctx) {
        if (ctx.text.includes('labels:')) return [];
        const at = ctx.text.length;
        const fix: Fix = { title: 'labels', edits: [{ start: at, end: at, text: '    labels: {}\n' }] };
        return [{ messageId: 'm', start: 0, end: 1, fix }, { messageId: 'm', start: 1, end: 2, fix: { ...fix } }];
      },
    };
    const fixed = fixText({ file: 'compose.yaml', text: 'services:\n  a:\n    image: x:1\n' }, project, { ruleSet: [twice] });
    assert.equal(fixed, 'services:\n  a:\n    image: x:1\n    labels: {}\n');
  });
});
