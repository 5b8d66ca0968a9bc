import * as assert from 'node:assert/strict';
import { interpolate } from '../../../src/core/compose/interpolate';

const vars = new Map([
  ['SET', 'value'],
  ['EMPTY', ''],
  ['PORT', '8181'],
]);
const lookup = (name: string): string | undefined => vars.get(name);

suite('compose interpolation', () => {
  const cases: Array<[string, string]> = [
    ['${SET}', 'value'],
    ['$SET/x', 'value/x'],
    ['${UNSET:-d}', 'd'],
    ['${EMPTY:-d}', 'd'],
    ['${EMPTY-d}', ''],
    ['${UNSET-d}', 'd'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['$${SET}', '${SET}'],
    ['a$$b', 'a$b'],
    ['${UNSET:-x${PORT}y}', 'x8181y'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['"${DAGSTER_PORT:-3000}:3000"', '"3000:3000"'],
    ['cost $5', 'cost $5'],
    ['${SET:?must be set}', 'value'],
  ];
  for (const [input, expected] of cases) {
    test(`${input} → ${expected}`, () => {
      const r = interpolate(input, lookup);
      assert.equal(r.value, expected);
      assert.deepEqual(r.errors, []);
    });
  }

  test('a variable with no default that is unset is reported missing and becomes empty', () => {
    assert.deepEqual(interpolate('${NOPE}:$NOPE2', lookup), { value: ':', missing: ['NOPE', 'NOPE2'], errors: [] });
  });

  test('an unused default does not report its own variables as missing', () => {
    assert.deepEqual(interpolate('${SET:-${NOPE}}', lookup).missing, []);
  });

  test(':? and ? report an error with the message', () => {
    assert.deepEqual(interpolate('${EMPTY:?set EMPTY in .env}', lookup).errors, [{ code: 'required-variable', variable: 'EMPTY', message: 'required variable EMPTY is missing a value: set EMPTY in .env' }]);
    assert.deepEqual(interpolate('${EMPTY?x}', lookup).errors, []);
    assert.equal(interpolate('${UNSET?}', lookup).errors.length, 1);
  });

  test('malformed expressions are errors, not exceptions', () => {
    for (const text of ['${unclosed', '${1BAD}', '${}']) assert.deepEqual(interpolate(text, lookup).errors.map((e) => e.code), ['interpolation-format'], text);
  });
});
