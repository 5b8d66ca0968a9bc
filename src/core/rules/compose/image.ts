// Reading a service's image for the image rules: the written scalar, its interpolated value, and
// edits that change only the tag inside the source text (also inside a ${VAR:-default}).
import { isScalar, type Scalar } from 'yaml';
import type { RuleContext, TextEdit } from '../../lint/types';
import { getNode, getPair, scalarText } from '../../yaml/ast';
import { interpolate } from '../../compose/interpolate';
import { composeServices, range, splitImage, type ServiceNode } from './shared';

export interface ServiceImage {
  service: ServiceNode;
  node: Scalar;
  /** As written, e.g. "apache/superset:${SUPERSET_TAG:-4.0.2}". */
  written: string;
  name: string;
  tag?: string;
  digest?: string;
}

// Images that tag releases with a "v" prefix, so a golden "0.36.0" is the tag "v0.36.0".
const V_PREFIXED = new Set(['cubejs/cube']);

/**
 * Images of services that pull them. A service with `build:` names its own image, and another
 * service may run that same local image (a Dagster daemon running the webserver's build): neither
 * is pulled from a registry.
 */
export function serviceImages(ctx: RuleContext): ServiceImage[] {
  const doc = ctx.yaml;
  if (!doc) return [];
  const images: Array<ServiceImage & { built: boolean }> = [];
  for (const service of composeServices(ctx)) {
    const node = getNode(doc, service.map, 'image');
    const written = scalarText(node);
    if (!isScalar(node) || written === undefined || written === '') continue;
    const value = interpolate(written, (name) => ctx.env.get(name));
    // A variable with no value and no default: the image is not known here.
    if (value.missing.length > 0 || value.errors.length > 0) continue;
    images.push({ service, node, written, built: getPair(doc, service.map, 'build') !== undefined, ...splitImage(value.value) });
  }
  const local = new Set(images.filter((i) => i.built).map(imageRef));
  return images.filter((i) => !i.built && !local.has(imageRef(i))).map(({ built: _built, ...image }) => image);
}

/** name:tag with docker's defaults, so "app" and "app:latest" are one image. */
function imageRef(image: { name: string; tag?: string }): string {
  return `${image.name.replace(/^(docker\.io\/)?(library\/)?/, '')}:${image.tag ?? 'latest'}`;
}

export function tagFor(image: ServiceImage, version: string): string {
  return V_PREFIXED.has(image.name.replace(/^docker\.io\//, '')) && !version.startsWith('v') ? `v${version}` : version;
}

/** An edit replacing `from` by `to` where `from` occurs exactly once in the image's source text. */
export function replaceInImage(ctx: RuleContext, image: ServiceImage, from: string, to: string): TextEdit | undefined {
  const [start, end] = range(image.node);
  const source = ctx.text.slice(start, end);
  const at = source.lastIndexOf(from);
  if (at < 0 || source.indexOf(from) !== at) return undefined;
  return { start: start + at, end: start + at + from.length, text: to };
}

/** An edit adding ":tag" to a literal image written without a tag. */
export function addTag(ctx: RuleContext, image: ServiceImage, tag: string): TextEdit | undefined {
  if (image.written.includes('$')) return undefined;
  const [start, end] = range(image.node);
  const at = ctx.text.slice(start, end).indexOf(image.written);
  if (at < 0) return undefined;
  const insert = start + at + image.written.length;
  return { start: insert, end: insert, text: `:${tag}` };
}
