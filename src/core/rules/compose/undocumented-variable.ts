import { isScalar, visit } from 'yaml';
import { providedByShell } from '../../compose/host-variables';
import { closingBrace } from '../../compose/interpolate';
import type { Report, Rule } from '../../lint/types';

export const composeUndocumentedVariable: Rule = {
  id: 'compose-undocumented-variable',
  meta: {
    description: 'A `${VAR}` with no default is not documented in .env.example, so a fresh fork does not know to set it.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['compose'],
    messages: { undocumented: '{{name}} has no default and is not documented in .env.example; add it there (or give it a default).' },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    // One finding per variable, at its first use: a variable used by 1,000 services is one thing to document.
    const first = new Map<string, Report>();
    visit(doc, {
      Scalar(key, node) {
        // Compose interpolates values only, never keys.
        if (key === 'key' || !isScalar(node) || typeof node.value !== 'string' || !node.value.includes('$') || !node.range) return;
        const source = ctx.text.slice(node.range[0], node.range[1]);
        for (const ref of requiredVariables(source)) {
          // The shell provides HOME, PWD, USER…: nothing for a fork to set (a path built on one is compose-absolute-bind's business).
          if (ctx.envExample.has(ref.name) || providedByShell(ref.name)) continue;
          const start = node.range[0] + ref.start;
          const seen = first.get(ref.name);
          if (seen === undefined || start < seen.start) first.set(ref.name, { messageId: 'undocumented', data: { name: ref.name }, start, end: start + ref.length });
        }
      },
    });
    return [...first.values()].sort((a, b) => a.start - b.start);
  },
};

/** $VAR, ${VAR}, ${VAR:?e}, ${VAR?e} in a source text: the references that need a value from outside. */
export function requiredVariables(source: string): Array<{ name: string; start: number; length: number }> {
  const out: Array<{ name: string; start: number; length: number }> = [];
  for (let i = source.indexOf('$'); i >= 0; i = source.indexOf('$', i + 1)) {
    const next = source[i + 1];
    if (next === '$') {
      i++;
      continue;
    }
    if (next === '{') {
      const close = closingBrace(source, i + 2);
      if (close < 0) return out;
      const m = /^([_a-zA-Z][_a-zA-Z0-9]*)(?::?([-+?]))?/.exec(source.slice(i + 2, close));
      if (m && (m[2] === undefined || m[2] === '?')) out.push({ name: m[1], start: i, length: close + 1 - i });
      // Defaults may hold further references: ${A:-${B}} needs B only if A is unset, so B counts too.
      const body = source.slice(i + 2, close);
      const nested = body.indexOf('${');
      if (nested >= 0) for (const inner of requiredVariables(body.slice(nested))) out.push({ ...inner, start: i + 2 + nested + inner.start });
      i = close;
      continue;
    }
    const m = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(source.slice(i + 1));
    if (m) out.push({ name: m[0], start: i, length: m[0].length + 1 });
  }
  return out;
}
