// Small helpers for rules that read YAML documents through the `yaml` AST, so positions come from
// node ranges and anchors/merge keys (`<<: *defaults`) are followed without expanding the document.
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';

type Doc = Document.Parsed;

/** A `<<` merge key (with `merge: true` the parser gives it a symbol value). */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.value === '<<' || (typeof key.value === 'symbol' && key.source === '<<'));
}

/** Follows an alias to its anchored node (one step; anchors cannot point at aliases). */
export function resolve(doc: Doc, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(doc) as Node | undefined;
  return (node ?? undefined) as Node | undefined;
}

/** The pair for `key` in a mapping, own keys first, then keys brought in by `<<` merges. */
export function getPair(doc: Doc, map: YAMLMap, key: string, depth = 0): Pair<Scalar, unknown> | undefined {
  for (const pair of map.items) if (isScalar(pair.key) && String(pair.key.value) === key) return pair as Pair<Scalar, unknown>;
  if (depth > 10) return undefined;
  for (const pair of map.items) {
    if (!isMergeKey(pair.key)) continue;
    const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
    for (const source of sources) {
      const target = resolve(doc, source);
      if (isMap(target)) {
        const found = getPair(doc, target, key, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

export function getNode(doc: Doc, map: YAMLMap, key: string): Node | undefined {
  return resolve(doc, getPair(doc, map, key)?.value);
}

export function getMap(doc: Doc, map: YAMLMap, key: string): YAMLMap | undefined {
  const node = getNode(doc, map, key);
  return isMap(node) ? node : undefined;
}

/** The string form of a scalar (numbers and booleans included), else undefined. */
export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined;
  return typeof node.value === 'object' ? undefined : String(node.value);
}

/** Own key/value pairs of a mapping with scalar keys, merge keys followed (own keys win). */
export function entries(doc: Doc, map: YAMLMap): Array<{ key: string; pair: Pair<Scalar, unknown> }> {
  const seen = new Set<string>();
  const out: Array<{ key: string; pair: Pair<Scalar, unknown> }> = [];
  const collect = (m: YAMLMap, depth: number): void => {
    for (const pair of m.items) {
      if (!isPair(pair) || !isScalar(pair.key) || isMergeKey(pair.key)) continue;
      const key = String(pair.key.value);
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ key, pair: pair as Pair<Scalar, unknown> });
      }
    }
    if (depth > 10) return;
    for (const pair of m.items) {
      if (!isMergeKey(pair.key)) continue;
      for (const source of isSeq(pair.value) ? pair.value.items : [pair.value]) {
        const target = resolve(doc, source);
        if (isMap(target)) collect(target, depth + 1);
      }
    }
  };
  collect(map, 0);
  return out;
}

/** [start, end) of whole lines covering [start, end), including the final line break. */
export function wholeLines(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', Math.max(end - 1, start));
  return [lineStart, nl < 0 ? text.length : nl + 1];
}

/** The indentation (spaces) of the line that holds `offset`. */
export function indentAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/**
 * Duplicate keys in any mapping, found in linear time. The `yaml` package's own check
 * (uniqueKeys) compares every key with every other one, which takes half a minute on a
 * 60,000-service file, so documents are parsed with it off and checked here instead.
 */
export function duplicateKeys(doc: Document): Array<{ key: string; start: number; end: number }> {
  const found: Array<{ key: string; start: number; end: number }> = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        if (!isScalar(pair.key) || isMergeKey(pair.key)) continue;
        const key = String(pair.key.value);
        if (seen.has(key)) {
          const range = pair.key.range ?? [0, 0];
          found.push({ key, start: range[0], end: range[1] });
        }
        seen.add(key);
      }
    },
  });
  return found;
}
