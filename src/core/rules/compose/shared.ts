// What the compose rules share: the services of a parsed compose document, scalar source
// positions, interpolation with the project's .env, and edits that replace one scalar.
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { interpolate } from '../../compose/interpolate';
import { parseVolumeShort } from '../../compose/project';
import type { RuleContext, TextEdit } from '../../lint/types';
import { entries, getMap, getNode, getPair, resolve, scalarText } from '../../yaml/ast';

export interface ServiceNode {
  name: string;
  /** The service's key, where service-level findings go. */
  key: Scalar;
  map: YAMLMap;
}

export function composeServices(ctx: RuleContext): ServiceNode[] {
  const doc = ctx.yaml;
  if (!doc || !isMap(doc.contents)) return [];
  const services = getMap(doc, doc.contents, 'services');
  if (!services) return [];
  const out: ServiceNode[] = [];
  for (const { key, pair } of entries(doc, services)) {
    const map = resolve(doc, pair.value);
    if (isMap(map)) out.push({ name: key, key: pair.key, map });
  }
  return out;
}

/** The interpolated value of a string, with the project's .env (compose's own reading). */
export function interpolated(ctx: RuleContext, value: string): string {
  return interpolate(value, (name) => ctx.env.get(name)).value;
}

export function range(node: Node | Scalar): [number, number] {
  const r = node.range ?? [0, 0, 0];
  return [r[0], r[1]];
}

/** Replaces a whole scalar (quotes included) with a double-quoted string. */
export function replaceScalar(node: Scalar, value: string): TextEdit {
  const [start, end] = range(node);
  return { start, end, text: JSON.stringify(value) };
}

/** Environment variable name from a service name: "dagster-webserver" → "DAGSTER_WEBSERVER". */
export function envName(service: string): string {
  return service.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'SERVICE';
}

/**
 * The service a service `extends`: a service of this file, 'other-file' when it lives in another
 * file (not read here: rules then assume what it inherits is right), or undefined.
 */
function extendedService(ctx: RuleContext, service: YAMLMap): YAMLMap | 'other-file' | undefined {
  const doc = ctx.yaml;
  if (!doc) return undefined;
  const spec = getNode(doc, service, 'extends');
  let name: string | undefined;
  if (isMap(spec)) {
    if (getPair(doc, spec, 'file')) return 'other-file';
    name = scalarText(getNode(doc, spec, 'service'));
  } else {
    name = scalarText(spec);
  }
  return name === undefined ? undefined : composeServices(ctx).find((s) => s.name === name)?.map;
}

/** Whether the service ends up with a working healthcheck, its own or one it `extends` (or a `<<` merge). */
export function hasHealthcheck(ctx: RuleContext, service: YAMLMap, depth = 0): boolean {
  const doc = ctx.yaml;
  if (!doc) return false;
  if (!getPair(doc, service, 'healthcheck')) {
    const base = depth < 10 ? extendedService(ctx, service) : undefined;
    return base === 'other-file' || (base !== undefined && hasHealthcheck(ctx, base, depth + 1));
  }
  const hc = getNode(doc, service, 'healthcheck');
  if (!isMap(hc)) return false;
  if (scalarText(getNode(doc, hc, 'disable')) === 'true') return false;
  const test = getNode(doc, hc, 'test');
  if (isSeq(test)) return test.items.length > 0 && scalarText(test.items[0]) !== 'NONE';
  return scalarText(test) !== undefined && scalarText(test) !== '';
}

/** True when the service has a `healthcheck:` key at all (even `disable: true`: a deliberate choice), or inherits one through `extends`. */
export function declaresHealthcheck(ctx: RuleContext, service: YAMLMap, depth = 0): boolean {
  if (ctx.yaml === undefined) return false;
  if (getPair(ctx.yaml, service, 'healthcheck') !== undefined) return true;
  const base = depth < 10 ? extendedService(ctx, service) : undefined;
  return base === 'other-file' || (base !== undefined && declaresHealthcheck(ctx, base, depth + 1));
}

export interface VolumeItem {
  node: Node;
  /** Short syntax: the string; long syntax: undefined. */
  short?: string;
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** The source after interpolation. */
  source?: string;
  /** The source (long syntax) or the whole spec (short syntax) as written, before interpolation. */
  written?: string;
  target: string;
  readOnly: boolean;
}

export function volumeItems(ctx: RuleContext, service: YAMLMap): VolumeItem[] {
  const doc = ctx.yaml;
  if (!doc) return [];
  const volumes = getNode(doc, service, 'volumes');
  if (!isSeq(volumes)) return [];
  const out: VolumeItem[] = [];
  for (const item of volumes.items) {
    const node = resolve(doc, item);
    if (isScalar(node)) {
      const short = scalarText(node);
      if (short === undefined) continue;
      const parsed = parseVolumeShort(interpolated(ctx, short));
      const item: VolumeItem = {
        node,
        short,
        type: parsed.bind ? 'bind' : 'volume',
        target: parsed.target,
        readOnly: (parsed.mode ?? '').split(',').includes('ro'),
        written: short,
      };
      if (parsed.source !== undefined) item.source = parsed.source;
      out.push(item);
    } else if (isMap(node)) {
      const type = scalarText(getNode(doc, node, 'type')) ?? 'volume';
      const source = scalarText(getNode(doc, node, 'source'));
      const item: VolumeItem = {
        node,
        type: type === 'bind' || type === 'volume' || type === 'tmpfs' ? type : 'other',
        target: scalarText(getNode(doc, node, 'target')) ?? '',
        readOnly: scalarText(getNode(doc, node, 'read_only')) === 'true',
      };
      if (source !== undefined && source !== '') {
        item.source = interpolated(ctx, source);
        item.written = source;
      }
      out.push(item);
    }
  }
  return out;
}

/** The image of a service with its parts, after interpolation. */
export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const result: { name: string; tag?: string; digest?: string } = colon > slash ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref };
  if (digest !== undefined) result.digest = digest;
  return result;
}
