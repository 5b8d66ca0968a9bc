// Version order per ecosystem: PEP 440 for Python packages, SemVer for npm packages, and image
// tags read as versions where they are ("3.11.9-slim" is 3.11.9). Each comparator returns a
// negative number, zero or a positive number, or undefined when the two cannot be ordered (a tag
// such as "latest", a spec that is not a version).

export type Ecosystem = 'pep440' | 'npm' | 'image';

// ---- PEP 440 (https://peps.python.org/pep-0440/), the regex of the `packaging` library. ----

const PEP440 = new RegExp(
  '^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

export interface Pep440Version {
  epoch: number;
  release: number[];
  /** ['a' | 'b' | 'rc', n] */
  pre?: [string, number];
  post?: number;
  dev?: number;
  local?: Array<number | string>;
}

export function parsePep440(text: string): Pep440Version | undefined {
  const m = PEP440.exec(text);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const version: Pep440Version = { epoch: g.epoch ? Number(g.epoch) : 0, release: g.release.split('.').map(Number) };
  if (g.preL) {
    const l = g.preL.toLowerCase();
    version.pre = [l === 'alpha' ? 'a' : l === 'beta' ? 'b' : l === 'a' || l === 'b' ? l : 'rc', Number(g.preN ?? 0)];
  }
  if (g.post) version.post = Number(g.postN1 ?? g.postN2 ?? 0);
  if (g.dev) version.dev = Number(g.devN ?? 0);
  if (g.local) version.local = g.local.toLowerCase().split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return version;
}

const PRE_ORDER: Record<string, number> = { a: 0, b: 1, rc: 2 };

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** The sort key of `packaging`: a dev release sorts before its pre-releases, a post release after its release. */
function pep440Key(v: Pep440Version): number[] {
  // [pre rank, pre n]: a dev-only release is lowest, no pre-release is highest.
  const pre = v.pre ? [PRE_ORDER[v.pre[0]], v.pre[1]] : v.post === undefined && v.dev !== undefined ? [-1, 0] : [3, 0];
  const post = v.post === undefined ? [-1] : [v.post];
  const dev = v.dev === undefined ? [Infinity] : [v.dev];
  return [...pre, ...post, ...dev];
}

function compareLocal(a: Pep440Version['local'], b: Pep440Version['local']): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return Math.sign(x - y);
    } else if (typeof x === 'number') return 1; // numeric segments sort above alphanumeric ones
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

export function comparePep440(a: string, b: string): number | undefined {
  const x = parsePep440(a);
  const y = parsePep440(b);
  if (!x || !y) return undefined;
  if (x.epoch !== y.epoch) return Math.sign(x.epoch - y.epoch);
  const release = compareNumbers(x.release, y.release);
  if (release !== 0) return release;
  const kx = pep440Key(x);
  const ky = pep440Key(y);
  for (let i = 0; i < kx.length; i++) if (kx[i] !== ky[i]) return kx[i] < ky[i] ? -1 : 1;
  return compareLocal(x.local, y.local);
}

// ---- SemVer 2.0.0 (npm), with a range operator in front tolerated: "^1.2.3" is read as 1.2.3. ----

const SEMVER = /^\s*[v=^~]*\s*(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$/;

export function compareSemver(a: string, b: string): number | undefined {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) return undefined;
  const core = compareNumbers([+x[1], +x[2], +x[3]], [+y[1], +y[2], +y[3]]);
  if (core !== 0) return core;
  if (!x[4] || !y[4]) return x[4] ? -1 : y[4] ? 1 : 0; // a pre-release is lower than its release
  const px = x[4].split('.');
  const py = y[4].split('.');
  for (let i = 0; i < Math.min(px.length, py.length); i++) {
    const nx = /^\d+$/.test(px[i]);
    const ny = /^\d+$/.test(py[i]);
    if (nx && ny) {
      if (+px[i] !== +py[i]) return Math.sign(+px[i] - +py[i]);
    } else if (nx !== ny) return nx ? -1 : 1; // numeric identifiers have lower precedence
    else if (px[i] !== py[i]) return px[i] < py[i] ? -1 : 1;
  }
  return Math.sign(px.length - py.length);
}

// ---- Image tags and golden rows: the leading dotted number, "v" allowed. ----

const TAG_VERSION = /^v?(\d+(?:\.\d+)*)(?:\.[x*])?(?=$|[-_+.]|[a-z])/i;

/** The dotted version a tag starts with: "3.11.9-slim" → [3, 11, 9]; "latest" → undefined. */
export function tagNumbers(tag: string): number[] | undefined {
  const m = TAG_VERSION.exec(tag.trim());
  return m ? m[1].split('.').map(Number) : undefined;
}

/**
 * Orders two tags by their leading versions. A less precise tag is not lower than a more precise
 * one it covers: "3.11" floats over "3.11.9", so the two compare equal.
 */
export function compareTags(a: string, b: string): number | undefined {
  const x = tagNumbers(a);
  const y = tagNumbers(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return Math.sign(x[i] - y[i]);
  return 0;
}

export function compareVersions(a: string, b: string, ecosystem: Ecosystem): number | undefined {
  if (ecosystem === 'pep440') return comparePep440(a, b);
  if (ecosystem === 'npm') return compareSemver(a, b);
  return compareTags(a, b);
}

/**
 * Orders two golden_versions.md versions: PEP 440 when both read as such (Python packages,
 * "1.9.1rc1"), else as tags ("1.1.x", "16").
 */
export function compareGolden(a: string, b: string): number | undefined {
  // Plain dotted numbers and wildcards are tags: "3.11" covers "3.11.9", "1.1.x" covers "1.1.4".
  if (/^v?\d+(?:\.\d+)*(?:\.[x*])?$/i.test(a) && /^v?\d+(?:\.\d+)*(?:\.[x*])?$/i.test(b)) return compareTags(a, b);
  return comparePep440(a, b) ?? compareTags(a, b);
}
