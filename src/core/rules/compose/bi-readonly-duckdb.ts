import { isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { Report, Rule, RuleContext, TextEdit } from '../../lint/types';
import { getNode, getPair, resolve, scalarText } from '../../lint/yaml';
import { composeServices, interpolated, range, replaceScalar, splitImage, volumeItems, type VolumeItem } from './shared';

const BI_NAMES = new Set(['superset', 'cube', 'cubejs']);

/** A BI service by its name's words ("superset-worker") or its image ("apache/superset:5.0.0"). */
function isBiService(name: string, image: string): boolean {
  const repo = splitImage(image).name.split('/').pop() ?? '';
  return BI_NAMES.has(repo.toLowerCase()) || name.toLowerCase().split(/[-_.]/).some((w) => BI_NAMES.has(w));
}
const DUCKDB_PATH = /duck|\.duckdb$|\.db$/i;
// duckdb_engine passes URL query parameters to DuckDB as configuration; access_mode is the one DuckDB reads.
const READ_ONLY_URI = /[?&]access_mode=read_only\b/i;

export const composeBiReadonlyDuckdb: Rule = {
  id: 'compose-bi-readonly-duckdb',
  meta: {
    description: 'A BI service (Superset, Cube) can write the DuckDB files: a read-write mount of the DuckDB folder or a DuckDB URI that is not read-only.',
    defaultSeverity: 'error',
    fixable: true,
    kinds: ['compose'],
    messages: {
      mount: '{{service}} mounts the DuckDB files at {{target}} read-write; BI tools must only read them (add :ro).',
      uri: '{{service}} connects to DuckDB read-write through {{key}}; add access_mode=read_only to the URI.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const reports: Report[] = [];
    for (const service of composeServices(ctx)) {
      const image = scalarText(getNode(doc, service.map, 'image')) ?? '';
      if (!isBiService(service.name, image)) continue;
      for (const volume of volumeItems(ctx, service.map)) {
        if (volume.readOnly || volume.type === 'tmpfs') continue;
        if (!DUCKDB_PATH.test(volume.target) && !DUCKDB_PATH.test(volume.source ?? '')) continue;
        const [start, end] = range(volume.node);
        const report: Report = { messageId: 'mount', data: { service: service.name, target: volume.target }, start, end };
        const edit = readOnlyEdit(ctx, volume);
        if (edit) report.fix = { title: 'Mount read-only', edits: [edit] };
        reports.push(report);
      }
      const env = getNode(doc, service.map, 'environment');
      const values: Array<{ key: string; node: Scalar; value: string; listForm: boolean }> = [];
      if (isMap(env)) {
        for (const item of env.items) {
          const node = resolve(doc, item.value);
          const value = scalarText(node);
          if (isScalar(item.key) && isScalar(node) && value !== undefined) values.push({ key: String(item.key.value), node, value, listForm: false });
        }
      } else if (isSeq(env)) {
        for (const item of env.items) {
          const node = resolve(doc, item);
          const value = scalarText(node);
          if (isScalar(node) && value !== undefined) values.push({ key: value.split('=')[0], node, value, listForm: true });
        }
      }
      for (const { key, node, value } of values) {
        const uri = interpolated(ctx, value);
        if (!/duckdb:\/\//i.test(uri) || READ_ONLY_URI.test(uri)) continue;
        const [start, end] = range(node);
        const report: Report = { messageId: 'uri', data: { service: service.name, key }, start, end };
        // Appending to the written value is right when the URI ends the value (the usual case).
        if (/duckdb:\/\/\S*$/i.test(value)) {
          report.fix = { title: 'Open DuckDB read-only', edits: [replaceScalar(node, `${value}${value.includes('?') ? '&' : '?'}access_mode=read_only`)] };
        }
        reports.push(report);
      }
    }
    return reports;
  },
};

function readOnlyEdit(ctx: RuleContext, volume: VolumeItem): TextEdit | undefined {
  if (volume.short !== undefined && isScalar(volume.node)) {
    const parts = volume.short.split(':');
    const written = parts.length >= 3 && !volume.short.endsWith('}')
      ? `${parts.slice(0, -1).join(':')}:${parts[parts.length - 1].split(',').filter((m) => m !== 'rw').concat('ro').join(',')}`
      : `${volume.short}:ro`;
    return replaceScalar(volume.node, written);
  }
  const doc = ctx.yaml;
  if (!doc || !isMap(volume.node)) return undefined;
  const map = volume.node as YAMLMap;
  const existing = getPair(doc, map, 'read_only');
  if (existing && isScalar(existing.value)) {
    const [start, end] = range(existing.value);
    return { start, end, text: 'true' };
  }
  const first = map.items[0];
  if (map.flow || !first || !isScalar(first.key)) return undefined;
  const at = range(first.key)[0];
  // The first key may follow "- " on its line: indent to its column, not the line's.
  const column = at - (ctx.text.lastIndexOf('\n', at - 1) + 1);
  return { start: at, end: at, text: `read_only: true\n${' '.repeat(column)}` };
}
