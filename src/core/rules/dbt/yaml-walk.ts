// Walks a parsed YAML document's mappings with their keys, for rules that look for keys anywhere.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';

export interface KeyedNode {
  /** Keys from the root: ["my_profile", "outputs", "dev", "path"]; sequence items appear as their index. */
  keys: string[];
  key: Scalar;
  value: Node | null;
  /** The mapping that holds the pair. */
  parent: YAMLMap;
}

/** Follows an alias to its anchored node. */
export function deref(doc: Document.Parsed, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? null;
  return (node as Node | null | undefined) ?? null;
}

/**
 * Every pair with a scalar key under `node`, depth-first. Aliases are not followed, so each node is
 * visited once where it is written (an alias bomb costs nothing) and positions stay in this file.
 */
export function walkPairs(node: unknown, keys: string[] = [], out: KeyedNode[] = [], depth = 0): KeyedNode[] {
  if (depth > 64) return out;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = (pair.value ?? null) as Node | null;
      out.push({ keys: [...keys, key], key: pair.key, value, parent: node });
      walkPairs(value, [...keys, key], out, depth + 1);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => walkPairs(item, [...keys, String(i)], out, depth + 1));
  }
  return out;
}

/** The string value of a plain or quoted scalar, else undefined. */
export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function range(node: Node | Scalar): [number, number] {
  const r = node.range ?? [0, 0, 0];
  return [r[0], r[1]];
}

/** A mapping's child map by key (aliases followed), else undefined. */
export function childMap(doc: Document.Parsed, map: YAMLMap, key: string): YAMLMap | undefined {
  const node = deref(doc, map.get(key, true));
  return isMap(node) ? node : undefined;
}

/** One profile of profiles.yml: its key and its `outputs` mapping (absent when it has none). */
export interface DbtProfile {
  key: Scalar;
  name: string;
  outputs: YAMLMap | undefined;
}

/** The profiles of a profiles.yml (the top-level `config:` block is not one). */
export function dbtProfiles(doc: Document.Parsed | undefined): DbtProfile[] {
  if (!doc || !isMap(doc.contents)) return [];
  const profiles: DbtProfile[] = [];
  for (const pair of doc.contents.items) {
    if (!isScalar(pair.key) || pair.key.value === 'config') continue;
    const profile = deref(doc, pair.value);
    if (!isMap(profile)) continue;
    profiles.push({ key: pair.key, name: String(pair.key.value), outputs: childMap(doc, profile, 'outputs') });
  }
  return profiles;
}
