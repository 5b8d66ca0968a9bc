import * as path from 'node:path';
import { isMap, isScalar, isSeq, type Scalar, type YAMLMap } from 'yaml';
import type { Report, Rule, RuleContext, TextEdit } from '../../lint/types';
import { getNode, getPair, resolve, scalarText } from '../../yaml/ast';
import { composeServices, interpolated, range, replaceScalar, splitImage, volumeItems, type ServiceNode, type VolumeItem } from './shared';

const BI_NAMES = new Set(['superset', 'cube', 'cubejs']);

/** A BI service by its name's words ("superset-worker") or its image ("apache/superset:5.0.0"). */
function isBiService(name: string, image: string): boolean {
  const repo = splitImage(image).name.split('/').pop() ?? '';
  return BI_NAMES.has(repo.toLowerCase()) || name.toLowerCase().split(/[-_.]/).some((w) => BI_NAMES.has(w));
}
const DUCKDB_PATH = /duck|\.duckdb$|\.db$/i;
/** A value naming a DuckDB file: a path ending in .duckdb, or the path of a duckdb:// URI. */
const DUCKDB_FILE_VALUE = /^(?:duckdb:\/\/\/?)?(\/?[^?\s]*\.duckdb)(?:\?.*)?$/i;

/** Where a DuckDB file lives, seen from the host: a host path, or a path inside a named volume. */
type Location = { host: string } | { volume: string; within: string };

function within(child: string, parent: string): string | undefined {
  const rel = path.posix.relative(parent, child);
  return rel === '' ? '' : rel.startsWith('..') || path.posix.isAbsolute(rel) ? undefined : rel;
}

/**
 * The project's DuckDB files as the host sees them: paths named in service environments (and the
 * dbt profiles' paths, which may be container paths) mapped through each service's mounts, and
 * relative profile paths resolved against the profile's folder.
 */
function duckdbLocations(ctx: RuleContext, services: ServiceNode[]): Location[] {
  const composeDir = path.dirname(ctx.file);
  const mounts = services.map((s) => ({ service: s, volumes: volumeItems(ctx, s.map) }));
  const declared: Array<{ path: string; only?: ServiceNode }> = [];
  for (const service of services) {
    for (const { entry } of environmentValues(ctx, service.map)) {
      const file = DUCKDB_FILE_VALUE.exec(interpolated(ctx, entry))?.[1];
      if (file?.startsWith('/')) declared.push({ path: file, only: service });
    }
  }
  const locations: Location[] = [];
  for (const f of ctx.project.duckdbFiles ?? []) {
    if (f.path.startsWith('/')) declared.push({ path: f.path });
    else locations.push({ host: path.resolve(path.dirname(f.file), f.path) });
  }
  for (const d of declared) {
    for (const { service, volumes } of mounts) {
      if (d.only && d.only !== service) continue;
      for (const v of volumes) {
        const rest = v.source !== undefined ? within(d.path, v.target) : undefined;
        if (rest === undefined || v.source === undefined) continue;
        if (v.type === 'bind') locations.push({ host: path.resolve(composeDir, v.source, rest) });
        else if (v.type === 'volume') locations.push({ volume: v.source, within: rest });
      }
    }
  }
  return locations;
}

/** Whether a mount gives its container the folder or file of a known DuckDB file. */
function reachesDuckdb(ctx: RuleContext, volume: VolumeItem, locations: readonly Location[]): boolean {
  if (volume.source === undefined) return false;
  if (volume.type === 'bind') {
    const source = path.resolve(path.dirname(ctx.file), volume.source);
    return locations.some((l) => 'host' in l && within(l.host.split(path.sep).join('/'), source.split(path.sep).join('/')) !== undefined);
  }
  return volume.type === 'volume' && locations.some((l) => 'volume' in l && l.volume === volume.source);
}
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
    const services = composeServices(ctx);
    let locations: Location[] | undefined;
    for (const service of services) {
      const image = scalarText(getNode(doc, service.map, 'image')) ?? '';
      if (!isBiService(service.name, image)) continue;
      for (const volume of volumeItems(ctx, service.map)) {
        if (volume.readOnly || volume.type === 'tmpfs') continue;
        // A folder named for DuckDB, or one that holds a DuckDB file the project names elsewhere.
        const named = DUCKDB_PATH.test(volume.target) || DUCKDB_PATH.test(volume.source ?? '');
        if (!named && !reachesDuckdb(ctx, volume, (locations ??= duckdbLocations(ctx, services)))) continue;
        const [start, end] = range(volume.node);
        const report: Report = { messageId: 'mount', data: { service: service.name, target: volume.target }, start, end };
        const edit = readOnlyEdit(ctx, volume);
        if (edit) report.fix = { title: 'Mount read-only', edits: [edit] };
        reports.push(report);
      }
      for (const { key, node, value } of environmentValues(ctx, service.map)) {
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

/** A service's environment entries: the scalar as written (`KEY=value` in list form) and the entry's value. */
function environmentValues(ctx: RuleContext, service: YAMLMap): Array<{ key: string; node: Scalar; value: string; entry: string }> {
  const doc = ctx.yaml;
  const env = doc ? getNode(doc, service, 'environment') : undefined;
  const values: Array<{ key: string; node: Scalar; value: string; entry: string }> = [];
  if (!doc) return values;
  if (isMap(env)) {
    for (const item of env.items) {
      const node = resolve(doc, item.value);
      const value = scalarText(node);
      if (isScalar(item.key) && isScalar(node) && value !== undefined) values.push({ key: String(item.key.value), node, value, entry: value });
    }
  } else if (isSeq(env)) {
    for (const item of env.items) {
      const node = resolve(doc, item);
      const value = scalarText(node);
      if (isScalar(node) && value !== undefined) values.push({ key: value.split('=')[0], node, value, entry: value.slice(value.indexOf('=') + 1) });
    }
  }
  return values;
}

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
