import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { getNode, getPair, resolve, scalarText } from '../../yaml/ast';
import { composeServices, envName, range, replaceScalar } from './shared';

/**
 * Splits a written short port spec [HOST_IP:]PUBLISHED:TARGET[/PROTO] on the colons that are
 * outside ${...} and [IPv6] brackets; undefined when nothing is published.
 */
export function splitPortSpec(spec: string): { hostIp: string; published: string; target: string } | undefined {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if ((c === '$' && spec[i + 1] === '{') || c === '[') depth++;
    else if ((c === '}' || c === ']') && depth > 0) depth--;
    if (c === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [hostIp, published, target] = parts.length === 3 ? parts : ['', ...parts];
  return published === '' ? undefined : { hostIp, published, target };
}

export const composeHostPortVariable: Rule = {
  id: 'compose-host-port-variable',
  meta: {
    description: 'A published host port is hardcoded; use a variable with a default so each fork can move it.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: { literal: 'Host port {{port}} of {{service}} is hardcoded; use {{suggestion}} so it can be changed in .env.' },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const reports: Report[] = [];
    for (const service of composeServices(ctx)) {
      const ports = getNode(doc, service.map, 'ports');
      if (!isSeq(ports)) continue;
      let published = 0;
      for (const item of ports.items) {
        const node = resolve(doc, item);
        const variable = (target: string): string =>
          published++ === 0 ? `${envName(service.name)}_PORT` : `${envName(service.name)}_${target.replace(/\D+/g, '_')}_PORT`;
        if (isScalar(node)) {
          const parts = splitPortSpec(scalarText(node) ?? '');
          if (!parts) continue;
          const { hostIp, published: port, target } = parts;
          if (port.includes('$')) {
            published++;
            continue;
          }
          const name = variable(target.replace(/\/\w+$/, ''));
          const suggestion = `\${${name}:-${port}}`;
          const report: Report = { messageId: 'literal', data: { port, service: service.name, suggestion }, start: range(node)[0], end: range(node)[1] };
          if (/^\d+$/.test(port)) {
            report.fix = { title: `Use ${suggestion}`, edits: [replaceScalar(node, `${hostIp ? `${hostIp}:` : ''}${suggestion}:${target}`)] };
          }
          reports.push(report);
        } else if (isMap(node)) {
          const pair = getPair(doc, node, 'published');
          const value = resolve(doc, pair?.value);
          const port = scalarText(value);
          if (!isScalar(value) || port === undefined || port === '' || port.includes('$')) {
            if (port?.includes('$')) published++;
            continue;
          }
          const name = variable(scalarText(getNode(doc, node, 'target')) ?? port);
          const suggestion = `\${${name}:-${port}}`;
          const report: Report = { messageId: 'literal', data: { port, service: service.name, suggestion }, start: range(value)[0], end: range(value)[1] };
          if (/^\d+$/.test(port)) report.fix = { title: `Use ${suggestion}`, edits: [replaceScalar(value as Scalar, suggestion)] };
          reports.push(report);
        }
      }
    }
    return reports;
  },
};
