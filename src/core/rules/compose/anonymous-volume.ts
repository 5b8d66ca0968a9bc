import { isMap, isNode, isScalar } from 'yaml';
import type { Report, Rule, RuleContext, TextEdit } from '../../lint/types';
import { getMap, getPair, wholeLines } from '../../yaml/ast';
import { composeServices, range, volumeItems } from './shared';

export const composeAnonymousVolume: Rule = {
  id: 'compose-anonymous-volume',
  meta: {
    description: 'An anonymous volume loses its data on `docker compose down -v` and piles up unnamed; use a named volume.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: { anonymous: 'Anonymous volume at {{target}}; use a named volume such as {{name}}:{{target}}.' },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc || !isMap(doc.contents)) return [];
    const reports: Report[] = [];
    const used = new Set<string>();
    const topVolumes = getMap(doc, doc.contents, 'volumes');
    for (const item of topVolumes?.items ?? []) if (isScalar(item.key)) used.add(String(item.key.value));
    for (const service of composeServices(ctx)) {
      for (const volume of volumeItems(ctx, service.map)) {
        const anonymous = volume.type === 'volume' && volume.source === undefined && volume.target !== '';
        if (!anonymous) continue;
        const base = `${service.name}_${volume.target.split('/').filter((s) => s !== '').pop() ?? 'data'}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
        let name = base;
        for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
        used.add(name);
        const [start, end] = range(volume.node);
        const report: Report = { messageId: 'anonymous', data: { target: volume.target, name }, start, end };
        if (volume.short !== undefined && isScalar(volume.node)) {
          const declare = declareVolume(ctx, name);
          if (declare) {
            report.fix = {
              title: `Use the named volume ${name}`,
              edits: [{ start, end, text: JSON.stringify(`${name}:${volume.short}`) }, declare],
            };
          }
        }
        reports.push(report);
      }
    }
    return reports;
  },
};

/** Adds `name:` to the top-level volumes mapping, creating it at the end of the file if absent. */
function declareVolume(ctx: RuleContext, name: string): TextEdit | undefined {
  const doc = ctx.yaml;
  if (!doc || !isMap(doc.contents)) return undefined;
  const pair = getPair(doc, doc.contents, 'volumes');
  if (!pair) {
    const end = ctx.text.length;
    const sep = ctx.text.endsWith('\n') || end === 0 ? '' : '\n';
    return { start: end, end, text: `${sep}volumes:\n  ${name}:\n` };
  }
  const value = pair.value;
  const last = isMap(value) && !value.flow ? value.items[value.items.length - 1] : undefined;
  if (last && isScalar(last.key)) {
    const lastKey = range(last.key)[0];
    const indent = ctx.text.slice(ctx.text.lastIndexOf('\n', lastKey - 1) + 1, lastKey);
    const lastEnd = isNode(last.value) ? range(last.value)[1] : range(last.key)[1];
    const [, insertAt] = wholeLines(ctx.text, lastKey, lastEnd);
    const sep = insertAt === ctx.text.length && !ctx.text.endsWith('\n') ? '\n' : '';
    return { start: insertAt, end: insertAt, text: `${sep}${indent}${name}:\n` };
  }
  if (isMap(value) && value.flow && value.range) {
    const text = value.items.length === 0 ? `{ ${name}: {} }` : undefined;
    return text ? { start: value.range[0], end: value.range[1], text } : { start: value.range[0] + 1, end: value.range[0] + 1, text: ` ${name}: {},` };
  }
  if (value === null || (isScalar(value) && value.value === null)) {
    const keyEnd = range(pair.key)[1];
    return { start: keyEnd, end: keyEnd + 1, text: `:\n  ${name}:` };
  }
  return undefined;
}
