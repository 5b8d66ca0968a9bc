import type { Report, Rule } from '../../lint/types';
import { CREDENTIAL_NAME } from '../python/default-credential';
import { tokenizeJs, type JsToken } from './js-tokens';

const ENV_SECRET = 'process.env.CUBEJS_API_SECRET';

/** `process.env.NAME` ending at index i (the NAME token): returns NAME. */
function envReadEndingAt(tokens: readonly JsToken[], i: number): string | undefined {
  const [p, d1, e, d2, n] = tokens.slice(i - 4, i + 1);
  return p?.text === 'process' && d1?.text === '.' && e?.text === 'env' && d2?.text === '.' && n?.type === 'name' ? n.text : undefined;
}

export const cubeApiSecret: Rule = {
  id: 'cube-api-secret',
  meta: {
    description: "Cube's API secret comes from CUBEJS_API_SECRET in the environment, never a literal in cube.js.",
    defaultSeverity: 'error',
    fixable: true,
    kinds: ['cube'],
    messages: {
      literalSecret: 'apiSecret is a literal; read it from process.env.CUBEJS_API_SECRET.',
      defaultSecret: '{{name}} falls back to a literal secret when unset; require it from the environment.',
    },
  },
  check(ctx) {
    if (!/\.[cm]?[jt]s$/i.test(ctx.file)) return [];
    const tokens = tokenizeJs(ctx.text);
    const reports: Report[] = [];
    tokens.forEach((token, i) => {
      const next = tokens[i + 1];
      const value = tokens[i + 2];
      // apiSecret: 'literal'
      if (token.type === 'name' && token.text === 'apiSecret' && next?.text === ':' && value?.type === 'string' && value.value !== '') {
        const after = tokens[i + 3];
        if (after && after.text !== ',' && after.text !== '}') return;
        reports.push({
          messageId: 'literalSecret',
          start: value.start,
          end: value.end,
          fix: { title: `Use ${ENV_SECRET}`, edits: [{ start: value.start, end: value.end, text: ENV_SECRET }] },
        });
        return;
      }
      // process.env.CUBEJS_API_SECRET || 'literal'
      const name = envReadEndingAt(tokens, i);
      if (name && CREDENTIAL_NAME.test(name) && (next?.text === '||' || next?.text === '??') && value?.type === 'string' && value.value !== '') {
        reports.push({
          messageId: 'defaultSecret',
          data: { name },
          start: value.start,
          end: value.end,
          fix: { title: `Require ${name}`, edits: [{ start: token.end, end: value.end, text: '' }] },
        });
      }
    });
    return reports;
  },
};
