// Decides whether a dependency's version matches golden_versions.md, for pip, Poetry and npm specs.
import { pinMatchesGolden } from '../../golden/match';
import { compareVersions } from '../../versions/compare';
import type { Report, TextEdit } from '../../lint/types';
import type { GoldenEntry, GoldenVersions } from '../../golden/types';
import { normalizeName } from './requirement';

/**
 * Golden rows for servers and runtimes share a name with client libraries that have their own
 * versions (redis-py, the "postgres" client), so those rows never judge a package.
 */
const SERVER_NAMES = new Set(['python', 'postgres', 'postgresql', 'redis', 'node', 'nodejs']);

/** "1.9.1", "1.9.1rc1", "1.1.x": precise enough to be a package pin, unlike an image's "16" or "3.11". */
const PACKAGE_VERSION = /^\d+\.\d+\.(?:\d+[\w.+-]*|[x*])$/i;

/** The golden row for a package, or undefined when the table does not pin it. */
export function goldenPackage(golden: GoldenVersions, name: string): GoldenEntry | undefined {
  const normalized = normalizeName(name);
  if (SERVER_NAMES.has(normalized)) return undefined;
  const entry = golden.lookup(normalized) ?? golden.lookup(name.toLowerCase());
  if (!entry || !PACKAGE_VERSION.test(entry.version)) return undefined;
  // lookup() may match loosely; a pin is judged only against a row that names this very package.
  const names = entry.names.map((n) => normalizeName(n));
  return names.includes(normalized) ? entry : undefined;
}

function isWildcard(golden: string): boolean {
  return /\.[x*]$/i.test(golden);
}

export type Ecosystem = 'pip' | 'poetry' | 'npm';

/** The exact version a spec pins, or undefined when it allows a range. */
function exactVersion(spec: string, ecosystem: Ecosystem): string | undefined {
  const s = spec.trim();
  const m =
    ecosystem === 'pip'
      ? /^===?\s*([0-9][\w.+!-]*)$/.exec(s)
      : ecosystem === 'poetry'
        ? /^(?:==?)?\s*([0-9][\w.+-]*)$/.exec(s)
        : /^[=v]?([0-9]+\.[0-9]+\.[0-9]+(?:[-+][\w.-]+)?)$/.exec(s);
  if (!m || /[*x]$/i.test(m[1]) || /\.[*x]\./i.test(m[1])) return undefined;
  return m[1];
}

function pinText(version: string, ecosystem: Ecosystem): string {
  return ecosystem === 'pip' ? `==${version}` : version;
}

export const PIN_MESSAGES = {
  drift: '{{name}} is pinned to {{version}}, but golden_versions.md says {{golden}} ({{tool}}).',
  unpinned: '{{name}} allows {{spec}}, but golden_versions.md pins {{golden}} ({{tool}}).',
  ahead: '{{name}} is pinned to {{version}}, newer than {{golden}} in golden_versions.md ({{tool}}). The guide never downgrades: once tested, raise the row (duckstack upgrade "{{tool}}" {{version}}).',
};

/**
 * Judges one dependency. `specStart`/`specEnd` are the offsets of the written spec (or an
 * insertion point when there is none); the report spans `start`/`end`.
 */
export function judgePin(
  golden: GoldenVersions,
  dep: { name: string; spec: string; specStart: number; specEnd: number; start: number; end: number },
  ecosystem: Ecosystem,
): Report | undefined {
  const entry = goldenPackage(golden, dep.name);
  if (!entry) return undefined;
  const exact = exactVersion(dep.spec, ecosystem);
  if (exact !== undefined && pinMatchesGolden(exact, entry.version)) return undefined;
  const data = { name: dep.name, version: exact ?? '', spec: dep.spec.trim() === '' ? 'any version' : `"${dep.spec.trim()}"`, golden: entry.version, tool: entry.tool };
  // Pinning to the golden version would be a downgrade, which the guide forbids: no fix offered.
  if (exact !== undefined && (compareVersions(exact, entry.version, ecosystem === 'npm' ? 'npm' : 'pep440') ?? 0) > 0) {
    return { messageId: 'ahead', data, start: dep.start, end: dep.end };
  }
  const edit: TextEdit = { start: dep.specStart, end: dep.specEnd, text: pinText(entry.version, ecosystem) };
  return {
    messageId: exact === undefined ? 'unpinned' : 'drift',
    data,
    start: dep.start,
    end: dep.end,
    // A golden "1.1.x" names no single version to pin to.
    fix: isWildcard(entry.version) ? undefined : { title: `Pin ${dep.name} to ${edit.text}`, edits: [edit] },
  };
}
