import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { Report, Rule, RuleContext } from '../../lint/types';
import { getPair, indentAt, resolve, scalarText } from '../../yaml/ast';
import { composeServices, hasHealthcheck, range } from './shared';

export const composeDependsOnCondition: Rule = {
  id: 'compose-depends-on-condition',
  meta: {
    description: '`depends_on` as a list or without a condition starts a service before its dependency is ready; wait for `service_healthy`.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: {
      list: '`depends_on` as a list only waits for {{deps}} to start, not to be ready; use the mapping form with `condition: service_healthy`.',
      noCondition: '{{dep}} has no condition, so {{service}} starts before it is ready; use `condition: service_healthy`.',
      needsHealthcheck: '{{dep}} has no healthcheck, so {{service}} cannot wait for it to be healthy; add a healthcheck to {{dep}} (the fix sets `condition: service_started` meanwhile).',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const services = composeServices(ctx);
    const healthy = new Map(services.map((s) => [s.name, hasHealthcheck(ctx, s.map)]));
    const conditionFor = (dep: string): string => (healthy.get(dep) ? 'service_healthy' : 'service_started');
    const reports: Report[] = [];
    for (const service of services) {
      const pair = getPair(doc, service.map, 'depends_on');
      const value = resolve(doc, pair?.value);
      if (!pair || !value) continue;
      if (isSeq(value)) {
        const deps = value.items.map((i) => scalarText(resolve(doc, i)));
        if (deps.some((d) => d === undefined)) continue;
        const names = deps as string[];
        const indent = `${indentAt(ctx.text, range(pair.key)[0])}  `;
        const valueEnd = range(value)[1];
        const original = ctx.text.slice(range(pair.key)[1], valueEnd);
        const body = names.map((d) => `\n${indent}${d}:\n${indent}  condition: ${conditionFor(d)}`).join('');
        const missing = names.filter((d) => !healthy.get(d));
        const report: Report = {
          messageId: missing.length > 0 ? 'needsHealthcheck' : 'list',
          data: { deps: names.join(', '), dep: missing.join(', '), service: service.name },
          start: range(pair.key)[0],
          end: range(pair.key)[1],
        };
        // Block lines cannot go inside a flow mapping (`app: { depends_on: [db] }`).
        if (!service.map.flow) {
          report.fix = {
            title: 'Use the mapping form with conditions',
            edits: [{ start: range(pair.key)[1], end: valueEnd, text: `:${body}${original.endsWith('\n') ? '\n' : ''}` }],
          };
        }
        reports.push(report);
      } else if (isMap(value)) {
        for (const item of value.items) {
          if (!isScalar(item.key)) continue;
          const dep = String(item.key.value);
          const spec = resolve(doc, item.value);
          if (isMap(spec) && getPair(doc, spec, 'condition')) continue;
          const condition = conditionFor(dep);
          const report: Report = {
            messageId: healthy.get(dep) ? 'noCondition' : 'needsHealthcheck',
            data: { dep, service: service.name },
            start: range(item.key)[0],
            end: range(item.key)[1],
          };
          const fix = value.flow && !isMap(spec) ? undefined : conditionEdit(ctx, item.key.range?.[1] ?? 0, spec, condition);
          if (fix) report.fix = { title: `Add condition: ${condition}`, edits: [fix] };
          reports.push(report);
        }
      }
    }
    return reports;
  },
};

function conditionEdit(ctx: RuleContext, keyEnd: number, spec: unknown, condition: string): { start: number; end: number; text: string } | undefined {
  const keyIndent = indentAt(ctx.text, keyEnd);
  if (spec === null || spec === undefined || (isScalar(spec) && spec.value === null)) {
    // `db:` with nothing after it: give it a block mapping.
    const end = isScalar(spec) && spec.range ? spec.range[1] : keyEnd + 1;
    return { start: keyEnd, end: Math.max(end, keyEnd + 1), text: `:\n${keyIndent}  condition: ${condition}` };
  }
  const map = spec as YAMLMap;
  if (!isMap(map) || !map.range) return undefined;
  if (map.flow) {
    if (map.items.length > 0) return { start: map.range[0] + 1, end: map.range[0] + 1, text: ` condition: ${condition},` };
    return { start: map.range[0], end: map.range[1], text: `{ condition: ${condition} }` };
  }
  const first = map.items[0];
  const firstStart = isScalar(first?.key) && first.key.range ? first.key.range[0] : map.range[0];
  return { start: firstStart, end: firstStart, text: `condition: ${condition}\n${indentAt(ctx.text, firstStart)}` };
}
