// What a hover over a version reference shows: the golden_versions.md row for an image (compose
// `image:`, Dockerfile `FROM`) or a pinned package (requirements, pyproject.toml, package.json).
import type { FileKind, GoldenEntry, GoldenVersions } from '../lint/types';

export interface GoldenReference {
  entry: GoldenEntry;
  /** The image or package reference as written, e.g. "python:3.11-slim" or "dagster==1.9.1". */
  reference: string;
  /** Offsets of the reference in the text, for the hover's range. */
  start: number;
  end: number;
}

const PATTERNS: Partial<Record<FileKind, RegExp>> = {
  compose: /^(\s*(?:-\s*)?image:\s*["']?)([^"'\s#]+)/,
  dockerfile: /^(\s*FROM\s+(?:--platform=\S+\s+)?)(\S+)/i,
  requirements: /^(\s*)([A-Za-z0-9][\w.-]*(?:\[[^\]]*\])?\s*(?:[=<>!~]=?|===)\s*[\w.*+!-]+)/,
  pyproject: /^(.*?["'])([A-Za-z0-9][\w.-]*(?:\[[^\]]*\])?\s*(?:[=<>!~]=?)\s*[\w.*+!-]+)["']|^(\s*)([A-Za-z0-9][\w.-]*\s*=\s*["'][^"']+["'])/,
  packageJson: /^(\s*)("[@\w./-]+"\s*:\s*"[^"]+")/,
};

/** The golden row for the reference under `offset`, if the golden table has one. */
export function goldenReferenceAt(kind: FileKind, text: string, offset: number, golden: GoldenVersions): GoldenReference | undefined {
  const pattern = PATTERNS[kind];
  if (!pattern || offset < 0 || offset > text.length) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const m = pattern.exec(line);
  if (!m) return undefined;
  const prefix = m[1] ?? m[3] ?? '';
  const reference = m[2] ?? m[4];
  if (reference === undefined) return undefined;
  const start = lineStart + prefix.length;
  const end = start + reference.length;
  if (offset < start || offset > end) return undefined;
  const name = reference.replace(/^"|"$/g, '').split(/["'\s]*[:=<>!~]/)[0];
  const entry = golden.lookup(kind === 'compose' || kind === 'dockerfile' ? reference : name);
  return entry ? { entry, reference, start, end } : undefined;
}

/** One line for a hover: "Golden version of Dagster: 1.9.1 (golden_versions.md, line 7)". */
export function describeGoldenEntry(entry: GoldenEntry): string {
  const file = entry.file.split(/[\\/]/).pop() ?? entry.file;
  return `Golden version of ${entry.tool}: ${entry.version} (${file}, line ${entry.line + 1})`;
}
