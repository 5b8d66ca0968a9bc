// Finds the versioned reference under a cursor: a compose `image:` tag, a Dockerfile `FROM`, a
// pinned requirement or a package.json dependency. The hover shows its golden row.
import type { FileKind } from '../workspace/classify';
import { versionMatchesGolden } from './match';
import type { GoldenEntry, GoldenVersions } from './types';

export interface VersionReference {
  /** The package or image name as written: "apache/superset", "dagster-webserver". */
  name: string;
  /** The version or tag as written, if any: "5.0.0", "3.11-slim". */
  version?: string;
  /** Offsets of the whole reference in the text. */
  start: number;
  end: number;
}

export interface GoldenReference extends VersionReference {
  entry: GoldenEntry;
  /** The rules' verdict on the written version (undefined when none is written or it holds no number). */
  matches?: boolean;
}

// One pattern per file kind, run on a single line; group 1 = name, group 2 = version.
const LINE_PATTERNS: Partial<Record<FileKind, RegExp>> = {
  compose: /^\s*image:\s*["']?([\w./-]+)(?::([\w.-]+))?/,
  dockerfile: /^\s*FROM\s+(?:--platform=\S+\s+)?([\w./-]+)(?::([\w.-]+))?/i,
  requirements: /^\s*([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*(?:[=~<>!]=?\s*([\w.*+-]+))?/,
  pyproject: /^\s*["']([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?\s*(?:[=~<>!]=?\s*([\w.*+-]+))?/,
  packageJson: /^\s*"((?:@[\w.-]+\/)?[\w.-]+)"\s*:\s*"[\^~]?([\w.*+-]+)"/,
};

/** The reference on the line holding offset, or undefined when the line names no package or image. */
export function referenceAt(text: string, kind: FileKind, offset: number): VersionReference | undefined {
  const pattern = LINE_PATTERNS[kind];
  if (!pattern || offset < 0 || offset > text.length) return undefined;
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const line = text.slice(lineStart, newline === -1 ? text.length : newline);
  const match = pattern.exec(line);
  if (!match) return undefined;
  const nameAt = lineStart + match.index + match[0].indexOf(match[1]);
  const end = lineStart + match.index + match[0].length;
  if (offset < nameAt || offset > end) return undefined;
  return { name: match[1], version: match[2], start: nameAt, end };
}

/** The reference under offset with its golden_versions.md row, when the table has one. */
export function goldenReferenceAt(text: string, kind: FileKind, offset: number, golden: GoldenVersions): GoldenReference | undefined {
  const reference = referenceAt(text, kind, offset);
  const entry = reference && golden.lookup(reference.name);
  if (!reference || !entry) return undefined;
  const matches = reference.version === undefined ? undefined : versionMatchesGolden(kind, reference.version, entry.version);
  return matches === undefined ? { ...reference, entry } : { ...reference, entry, matches };
}
