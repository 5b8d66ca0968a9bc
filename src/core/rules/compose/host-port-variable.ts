import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Report, Rule, RuleContext } from '../../lint/types';
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

/** The words of a name: "dbt-docs" and "DBT_DOCS" both give dbt, docs. */
function words(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

/** Every `${NAME` a published port of the file already uses. */
function usedPortVariables(specs: readonly string[]): Set<string> {
  const used = new Set<string>();
  for (const spec of specs) for (const m of spec.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) used.add(m[1]);
  return used;
}

/**
 * The variable the fork already has for this service's host port: a *_PORT name in .env.example
 * or .env whose value is the port and which shares a word with the service (DBT_DOCS_PORT=8080
 * for dbt's 8080), not yet used by another port of the file. .env.example's names come first (its
 * defaults are what the fork documents), then the name closest to the service's own.
 */
export function existingPortVariable(service: string, port: string, ctx: Pick<RuleContext, 'env' | 'envExampleValues'>, used: ReadonlySet<string>): string | undefined {
  const serviceWords = new Set(words(service));
  const candidates: Array<{ name: string; rank: number }> = [];
  const sources: Array<ReadonlyMap<string, string>> = [ctx.envExampleValues, ctx.env];
  sources.forEach((values, source) => {
    for (const [name, value] of values) {
      if (!/_PORT$/i.test(name) || used.has(name) || value.trim() !== port) continue;
      const nameWords = words(name).filter((w) => w !== 'port');
      if (!nameWords.some((w) => serviceWords.has(w))) continue;
      const exact = name.toUpperCase() === `${envName(service)}_PORT` ? 0 : 1;
      candidates.push({ name, rank: source * 100 + exact * 10 + Math.min(nameWords.length, 9) });
    }
  });
  candidates.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name));
  return candidates[0]?.name;
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
    const services = composeServices(ctx);
    const specs: string[] = [];
    for (const service of services) {
      const ports = getNode(doc, service.map, 'ports');
      if (!isSeq(ports)) continue;
      for (const item of ports.items) {
        const node = resolve(doc, item);
        const written = isScalar(node) ? scalarText(node) : isMap(node) ? scalarText(resolve(doc, getPair(doc, node, 'published')?.value)) : undefined;
        if (written !== undefined) specs.push(written);
      }
    }
    const used = usedPortVariables(specs);
    for (const service of services) {
      const ports = getNode(doc, service.map, 'ports');
      if (!isSeq(ports)) continue;
      let published = 0;
      for (const item of ports.items) {
        const node = resolve(doc, item);
        // The fork's own name for this port where .env.example or .env has one; else one derived from the service.
        const variable = (target: string, port: string): string => {
          const derived = published++ === 0 ? `${envName(service.name)}_PORT` : `${envName(service.name)}_${target.replace(/\D+/g, '_')}_PORT`;
          const existing = /^\d+$/.test(port) ? existingPortVariable(service.name, port, ctx, used) : undefined;
          const name = existing ?? derived;
          used.add(name);
          return name;
        };
        if (isScalar(node)) {
          const parts = splitPortSpec(scalarText(node) ?? '');
          if (!parts) continue;
          const { hostIp, published: port, target } = parts;
          if (port.includes('$')) {
            published++;
            continue;
          }
          const name = variable(target.replace(/\/\w+$/, ''), port);
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
          const name = variable(scalarText(getNode(doc, node, 'target')) ?? port, port);
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
