import * as assert from 'node:assert/strict';
import { compareGolden, comparePep440, compareSemver, compareTags, parsePep440 } from '../../../src/core/versions/compare';

/** Each list is in strictly increasing order; every pair is compared both ways. */
function assertOrder(compare: (a: string, b: string) => number | undefined, ordered: string[]): void {
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      assert.equal(compare(ordered[i], ordered[j]), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
    }
  }
}

suite('version comparison (unit)', () => {
  test('PEP 440: the order of the specification\'s summary example', () => {
    // https://peps.python.org/pep-0440/#summary-of-permitted-suffixes-and-relative-ordering
    assertOrder(comparePep440, [
      '1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2',
      '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5',
      '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1',
    ]);
  });

  test('PEP 440: normal forms, epochs and spellings', () => {
    assert.equal(comparePep440('1.0', '1.0.0'), 0);
    assert.equal(comparePep440('1.0alpha1', '1.0a1'), 0);
    assert.equal(comparePep440('1.0-post1', '1.0.post1'), 0);
    assert.equal(comparePep440('1.0-1', '1.0.post1'), 0);
    assert.equal(comparePep440('1.0c1', '1.0rc1'), 0);
    assert.equal(comparePep440('v1.9.1', '1.9.1'), 0);
    assert.equal(comparePep440('1!0.1', '2.0'), 1);
    assert.equal(comparePep440('1.9.10', '1.9.9'), 1);
    assert.equal(comparePep440('latest', '1.0'), undefined);
    assert.deepEqual(parsePep440('1.0.post'), { epoch: 0, release: [1, 0], post: 0 });
  });

  test('SemVer: pre-releases below their release, identifiers compared as the spec says', () => {
    assertOrder(compareSemver, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0', '2.0.0']);
    assert.equal(compareSemver('^1.1.9', '1.1.9'), 0);
    assert.equal(compareSemver('1.0.0+build.1', '1.0.0'), 0);
    assert.equal(compareSemver('1.0', '1.0.0'), undefined);
  });

  test('image tags: the leading version, a less precise tag covering a more precise one', () => {
    assert.equal(compareTags('3.11-slim', '3.12-slim'), -1);
    assert.equal(compareTags('3.11.9-slim', '3.11'), 0);
    assert.equal(compareTags('16.6', '16.4-alpine'), 1);
    assert.equal(compareTags('v1.1.9', '1.1.10'), -1);
    assert.equal(compareTags('latest', '1.0'), undefined);
    assert.equal(compareTags('slim', 'slim'), undefined);
  });

  test('golden rows: wildcards and dotted numbers as tags, the rest as PEP 440', () => {
    assert.equal(compareGolden('1.1.x', '1.0.9'), 1);
    assert.equal(compareGolden('1.9.1', '1.9.1rc1'), 1);
    assert.equal(compareGolden('3.11', '3.11.9'), 0);
    assert.equal(compareGolden('4.0.2', '5.0.0'), -1);
  });
});
