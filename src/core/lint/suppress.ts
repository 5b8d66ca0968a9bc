// Suppression comments: `duckstack-disable-next-line RULE-ID[, RULE-ID]` silences the next line,
// `duckstack-disable-file RULE-ID` the whole file; with no id they silence every rule. The comment
// marker must be one the file kind has (#, //, --, {# #}, <!-- -->).
import type { FileKind } from '../workspace/classify';

// The first marker of each kind is the one a "disable for this line" comment is written with.
const MARKERS: Record<FileKind, string[]> = {
  compose: ['#'],
  dockerfile: ['#'],
  requirements: ['#'],
  pyproject: ['#'],
  packageJson: [],
  python: ['#'],
  dbtProfiles: ['#'],
  dbtProject: ['#'],
  dbtModel: ['--', '#', '{#'],
  dagsterYaml: ['#'],
  cube: ['#', '//'],
  goldenVersions: ['<!--'],
  env: ['#'],
};

export interface Suppressions {
  /** Rule ids silenced for the whole file; '*' for all. */
  file: Set<string>;
  /** 0-based line → rule ids silenced on it; '*' for all. */
  lines: Map<number, Set<string>>;
}

export function readSuppressions(text: string, kind: FileKind): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map() };
  if (!text.includes('duckstack-disable')) return result;
  const markers = MARKERS[kind].map((m) => m.replace(/[{}|*]/g, (c) => `\\${c}`)).join('|');
  if (markers === '') return result;
  const pattern = new RegExp(`(?:${markers})\\s*duckstack-disable-(next-line|file)\\b([^\\n]*)`);
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const m = pattern.exec(line);
    if (!m) return;
    const ids = m[2]
      .replace(/(#\}|-->|\*\/)\s*$/, '')
      .split(/[\s,]+/)
      .filter((id) => /^[a-z][a-z0-9-]*$/.test(id));
    const set = new Set(ids.length > 0 ? ids : ['*']);
    if (m[1] === 'file') for (const id of set) result.file.add(id);
    else result.lines.set(index + 1, new Set([...(result.lines.get(index + 1) ?? []), ...set]));
  });
  return result;
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.file.has('*') || s.file.has(ruleId)) return true;
  const onLine = s.lines.get(line);
  return onLine !== undefined && (onLine.has('*') || onLine.has(ruleId));
}

const CLOSERS: Readonly<Record<string, string>> = { '<!--': ' -->', '{#': ' #}' };

/**
 * The comment line that silences `ruleId` on the line below it, as readSuppressions reads it;
 * undefined for kinds without comments (package.json). Cube's JavaScript files take `//`.
 */
export function disableNextLineComment(file: string, kind: FileKind, ruleId: string): string | undefined {
  const marker = kind === 'cube' && /\.[cm]?[jt]s$/i.test(file) ? '//' : MARKERS[kind][0];
  if (marker === undefined) return undefined;
  return `${marker} duckstack-disable-next-line ${ruleId}${CLOSERS[marker] ?? ''}`;
}
