import * as assert from 'node:assert/strict';
import { parseDotEnv } from '../../../src/core/compose/env';

suite('.env parsing', () => {
  test('reads the syntax compose reads', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED=yes',
      'SPACED = around ',
      'INLINE=abc # comment',
      'HASH=abc#not-a-comment',
      "SINGLE='no ${PLAIN} here'",
      'DOUBLE="line1\\nline2 ${PLAIN}"',
      'MULTI="first',
      'second"',
      'REF=${PLAIN}-${UNSET:-dflt}',
      'EMPTY=',
      'DOLLAR="cost \\$5"',
      'BARE_NAME',
      'CRLF=x\r',
    ].join('\n');
    const env = parseDotEnv(text);
    assert.deepEqual(Object.fromEntries(env), {
      PLAIN: 'value',
      EXPORTED: 'yes',
      SPACED: 'around',
      INLINE: 'abc',
      HASH: 'abc#not-a-comment',
      SINGLE: 'no ${PLAIN} here',
      DOUBLE: 'line1\nline2 value',
      MULTI: 'first\nsecond',
      REF: 'value-dflt',
      EMPTY: '',
      DOLLAR: 'cost $5',
      CRLF: 'x',
    });
  });

  test('the lookup (process environment) wins over earlier file values when interpolating', () => {
    const env = parseDotEnv('A=file\nB=${A}', (n) => (n === 'A' ? 'process' : undefined));
    assert.equal(env.get('B'), 'process');
  });

  test('junk gives an empty or partial map, never an exception', () => {
    assert.equal(parseDotEnv('\u0000\u0001binary=\uFFFD').size, 0);
    assert.equal(parseDotEnv('UNTERMINATED="abc').get('UNTERMINATED'), '"abc');
  });
});
