import * as assert from 'node:assert/strict';
import { applyFixes, nonOverlappingFixes } from '../../../src/core/lint/fix';
import type { Fix } from '../../../src/core/lint/types';

const fix = (title: string, ...edits: Array<[number, number, string]>): Fix => ({ title, edits: edits.map(([start, end, text]) => ({ start, end, text })) });

suite('lint fixes: which fixes apply together (unit)', () => {
  test('a replacement starting where an insertion was chosen is left out, in the editor as in --fix', () => {
    // src/lint/convert.ts had its own copy of this choice, which called two edits at one offset a
    // conflict only when the later one was an insertion: it took both fixes here, and the order of
    // the insertion and the replacement in one WorkspaceEdit was left to the editor.
    const insert = fix('insert', [4, 4, 'X']);
    const replace = fix('replace', [4, 6, 'YY']);
    assert.deepEqual(nonOverlappingFixes('abcdefgh', [replace, insert]).map((f) => f.title), ['replace']);
    assert.deepEqual(nonOverlappingFixes('abcdefgh', [insert, replace]).map((f) => f.title), ['insert']);
    assert.equal(applyFixes('abcdefgh', [insert, replace]), 'abcdXefgh');
  });

  test('fixes are chosen whole and in order of position; touching edits do not conflict', () => {
    const first = fix('first', [0, 2, 'A'], [10, 12, 'B']);
    const clash = fix('clash', [11, 13, 'C']);
    const touching = fix('touching', [2, 4, 'D']);
    const later = fix('later', [14, 14, 'E']);
    assert.deepEqual(nonOverlappingFixes('0123456789abcdef', [later, clash, touching, first]).map((f) => f.title), ['first', 'touching', 'later']);
    assert.equal(applyFixes('0123456789abcdef', [later, clash, touching, first]), 'AD456789Bcd' + 'Eef');
  });
});
