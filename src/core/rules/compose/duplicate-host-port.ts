import { isMap, isScalar, isSeq } from 'yaml';
import { parsePort } from '../../compose/project';
import type { Report, Rule } from '../../lint/types';
import { getNode, resolve, scalarText } from '../../yaml/ast';
import { composeServices, interpolated, range } from './shared';

export const composeDuplicateHostPort: Rule = {
  id: 'compose-duplicate-host-port',
  meta: {
    description: 'Two services publish the same host port (after .env and defaults are applied), so one of them cannot start.',
    defaultSeverity: 'error',
    fixable: false,
    kinds: ['compose'],
    messages: { duplicate: 'Host port {{port}} is already published by {{other}}; {{service}} cannot bind it too.' },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const reports: Report[] = [];
    const taken = new Map<string, { service: string; profiles: string[] }>();
    for (const service of composeServices(ctx)) {
      const ports = getNode(doc, service.map, 'ports');
      if (!isSeq(ports)) continue;
      const profilesNode = getNode(doc, service.map, 'profiles');
      const profiles = isSeq(profilesNode) ? profilesNode.items.map((p) => scalarText(p) ?? '') : [];
      const seenHere = new Set<string>();
      for (const item of ports.items) {
        const node = resolve(doc, item);
        let spec: unknown;
        if (isScalar(node)) spec = interpolated(ctx, scalarText(node) ?? '');
        else if (isMap(node)) {
          spec = Object.fromEntries(['target', 'published', 'host_ip', 'protocol'].map((k) => [k, interpolated(ctx, scalarText(getNode(doc, node, k)) ?? '') || undefined]));
        }
        for (const port of parsePort(spec)) {
          if (port.published === undefined) continue;
          for (const hostPort of expandRange(port.published)) {
            const key = `${port.hostIp ?? '0.0.0.0'}:${hostPort}/${port.protocol}`;
            const first = taken.get(key);
            // Services in disjoint profiles never run together.
            const together = !first || first.profiles.length === 0 || profiles.length === 0 || first.profiles.some((p) => profiles.includes(p));
            if (first && first.service !== service.name && together && !seenHere.has(key)) {
              const [start, end] = range(node ?? service.key);
              reports.push({ messageId: 'duplicate', data: { port: hostPort, other: first.service, service: service.name }, start, end });
            }
            seenHere.add(key);
            if (!first) taken.set(key, { service: service.name, profiles });
          }
        }
      }
    }
    return reports;
  },
};

function expandRange(published: string): string[] {
  const m = /^(\d+)-(\d+)$/.exec(published);
  if (!m) return [published];
  const [from, to] = [Number(m[1]), Number(m[2])];
  if (to < from || to - from > 1000) return [published];
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}
