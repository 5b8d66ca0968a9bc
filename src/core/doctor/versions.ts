// The guide's version conflicts for one service: its image, its Dockerfile's FROM and the
// requirement pins of its build against golden_versions.md; lock files (poetry.lock, uv.lock,
// package-lock.json, and a requirements*.txt compiled from pyproject.toml or requirements*.in)
// that disagree with the pins; and a Python version that differs from the platform's. Reading
// (readServiceVersions) is apart from judging (versionsFinding, pure), which uses the golden
// matching of core/golden, the pins of core/rules and the version order of core/versions.
import * as path from 'node:path';
import type { ComposeService } from '../compose/project';
import { readRegularFileSync } from '../files';
import { pinMatchesGolden, tagMatchesGolden } from '../golden/match';
import type { GoldenEntry, GoldenVersions } from '../golden/types';
import { parseFroms, pythonTagVersion } from '../rules/dockerfile/from';
import { projectMajority } from '../rules/dockerfile/python-version';
import { findPins, goldenEntryOf, pinKey, type Pin } from '../rules/pins';
import { readToml } from '../rules/python-deps/toml';
import { joinWithAnd } from '../text/list';
import { LineIndex } from '../text/positions';
import { compareVersions, type Ecosystem } from '../versions/compare';
import { classifyFile } from '../workspace/classify';
import type { Finding } from './types';
import { walkWorkspace } from '../workspace/walk';

/** A pin as read from one file, with its 1-based line; an image's pin has no file. */
export interface PinRead extends Pin {
  file?: string;
  line?: number;
}

/** The versions a lock file resolved. */
export interface LockRead {
  file: string;
  packages: Array<{ name: string; version: string; ecosystem: Ecosystem; line?: number }>;
}

/** A Python version the service runs: its image's or base image's tag, or `.python-version`. */
export interface PythonRead {
  version: string;
  /** "image python:3.11-slim", "FROM python:3.10-slim", ".python-version". */
  where: string;
  file?: string;
  line?: number;
}

export interface ServiceVersions {
  /** The image (when the service builds none), FROM and ARG, requirements, pyproject.toml and package.json pins. */
  pins: PinRead[];
  locks: LockRead[];
  python: PythonRead[];
  /** Files read, for the report. */
  files: string[];
  /** Why something could not be read (a remote build context, an unreadable Dockerfile). */
  problems: string[];
}

/** The platform's Python: the golden row, else the version most services use. */
export interface PlatformPython {
  version: string;
  /** "golden_versions.md" or "most services: dagster, dbt". */
  source: string;
}

const LOCK_FILES: Record<string, Ecosystem> = { 'poetry.lock': 'pep440', 'uv.lock': 'pep440', 'package-lock.json': 'npm' };

function lineOf(text: string, offset: number): number {
  return new LineIndex(text).position(offset).line + 1;
}

function read(file: string, into: ServiceVersions): string | undefined {
  const result = readRegularFileSync(file);
  if (!result.ok) {
    into.problems.push(`${file}: ${result.message}`);
    return undefined;
  }
  into.files.push(file);
  return result.text;
}

/** The image pin of `image:` ("postgres:16.6", "ghcr.io/x/y:1@sha256:…"); undefined without a tag or with a variable. */
function imagePin(image: string): PinRead | undefined {
  if (image.includes('$')) return undefined;
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) return undefined;
  return { name: ref.slice(0, colon), version: ref.slice(colon + 1), start: 0, end: 0, ecosystem: 'image', where: 'image' };
}

function lockPackages(file: string, text: string): LockRead {
  const name = path.basename(file);
  const ecosystem = LOCK_FILES[name];
  const packages: LockRead['packages'] = [];
  if (name === 'package-lock.json') {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { file, packages };
    }
    const lock = json as { packages?: Record<string, { version?: unknown }>; dependencies?: Record<string, { version?: unknown }> };
    // lockfileVersion 2 and 3: "node_modules/<name>" (top level only); version 1: "dependencies".
    for (const [key, value] of Object.entries(lock.packages ?? {})) {
      const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
      if (m && typeof value?.version === 'string') packages.push({ name: m[1], version: value.version, ecosystem });
    }
    if (!lock.packages) {
      for (const [key, value] of Object.entries(lock.dependencies ?? {})) if (typeof value?.version === 'string') packages.push({ name: key, version: value.version, ecosystem });
    }
    return { file, packages };
  }
  // poetry.lock and uv.lock: one [[package]] table per resolved package, with name and version.
  for (const section of readToml(text)) {
    if (section.header.join('.') !== 'package') continue;
    const value = (key: string): { value: string; at: number } | undefined => {
      const entry = section.entries.find((e) => e.key.join('.') === key);
      return entry?.value.type === 'string' ? { value: entry.value.value, at: entry.keyStart } : undefined;
    };
    const n = value('name');
    const v = value('version');
    if (n && v) packages.push({ name: n.value, version: v.value, ecosystem, line: lineOf(text, v.at) });
  }
  return { file, packages };
}

/**
 * Reads what decides a service's versions: its `image:` when it builds none; else its
 * Dockerfile's FROM (and the ARG a FROM takes its tag from) and, in the build context and the
 * Dockerfile's folder, requirements*.txt / *.in, pyproject.toml, package.json, the lock files and
 * `.python-version`.
 */
export function readServiceVersions(service: ComposeService): ServiceVersions {
  const out: ServiceVersions = { pins: [], locks: [], python: [], files: [], problems: [] };
  if (!service.build) {
    const pin = service.image ? imagePin(service.image) : undefined;
    if (pin) {
      out.pins.push(pin);
      const version = pin.name.split('/').pop() === 'python' ? pythonTagVersion(pin.version) : undefined;
      if (version) out.python.push({ version, where: `image ${service.image}` });
    }
    return out;
  }
  const context = service.build.context;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@')) {
    out.problems.push(`its build context ${context} is remote, so its Dockerfile and requirements were not read`);
    return out;
  }
  const dockerfile = path.resolve(context, service.build.dockerfile ?? 'Dockerfile');
  const text = read(dockerfile, out);
  if (text !== undefined) {
    for (const pin of findPins(text, 'dockerfile')) out.pins.push({ ...pin, file: dockerfile, line: lineOf(text, pin.start) });
    for (const from of parseFroms(text)) {
      if (from.isStage || from.image.name !== 'python' || from.image.tag === undefined) continue;
      const version = pythonTagVersion(from.image.tag);
      if (version) out.python.push({ version, where: `FROM ${from.image.resolved ?? from.image.raw}`, file: dockerfile, line: lineOf(text, from.image.start) });
    }
  }
  for (const dir of [...new Set([context, path.dirname(dockerfile)])]) {
    // The folder's own files, from the one workspace walker (one level: the build context itself).
    for (const { name, path: file } of walkWorkspace(dir, { maxDepth: 0, errors: out.problems })) {
      const kind = classifyFile(file);
      if (kind === 'requirements' || kind === 'pyproject' || kind === 'packageJson') {
        const body = read(file, out);
        // A caret or tilde (`^1.8`, `~1.1.9`) allows a range: the lock file says what it resolved to.
        const exact = (pin: Pin): boolean => !/[\^~]\s*$/.test(body?.slice(Math.max(0, pin.start - 3), pin.start) ?? '');
        if (body !== undefined) for (const pin of findPins(body, kind).filter(exact)) out.pins.push({ ...pin, file, line: lineOf(body, pin.start) });
      } else if (name in LOCK_FILES) {
        const body = read(file, out);
        if (body !== undefined) out.locks.push(lockPackages(file, body));
      } else if (name === '.python-version') {
        const body = read(file, out);
        const version = body?.split('\n')[0].trim();
        if (version && /^\d+(\.\d+)*$/.test(version)) out.python.push({ version, where: '.python-version', file, line: 1 });
      }
    }
  }
  return out;
}

/** The platform's Python: the golden row, else the minor version most services use (a tie goes to the higher). */
export function platformPython(golden: GoldenVersions, services: ReadonlyArray<{ service: string; versions: ServiceVersions }>): PlatformPython | undefined {
  const row = golden.lookup('python');
  if (row) return { version: row.version, source: `golden_versions.md, ${row.tool}` };
  // One Python is a minor line: 3.11 and 3.11.9 are the same Python.
  const minor = (v: string): string => v.split('.').slice(0, 2).join('.');
  const summary = projectMajority(services.map((s) => ({ file: s.service, versions: s.versions.python.map((p) => minor(p.version)) })));
  if (!summary || summary.byVersion.size < 2) return undefined;
  return { version: summary.majority, source: `the version most services use: ${(summary.byVersion.get(summary.majority) ?? []).join(', ')}` };
}

type Problem = { kind: 'behind' | 'ahead' | 'lock' | 'lock-golden' | 'python' | 'python-ahead'; text: string };

function label(pin: PinRead): string {
  if (pin.ecosystem === 'image') return `${pin.where === 'image' ? 'image' : pin.where === 'ARG' ? 'FROM (its ARG)' : 'FROM'} ${pin.name}:${pin.version}`;
  return pin.where === 'requirement' ? `${pin.name}==${pin.version}` : `${pin.name} ${pin.version}`;
}

function agrees(version: string, ecosystem: Ecosystem, golden: string): boolean | undefined {
  return ecosystem === 'image' ? tagMatchesGolden(version, golden) : pinMatchesGolden(version, golden);
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/**
 * Judges what readServiceVersions read: pins against golden_versions.md (the Python row apart),
 * lock files against the pins of their folder (else the golden row), and the service's Python
 * against the platform's. Paths in the evidence are relative to `root`.
 */
export function versionsFinding(read: ServiceVersions, golden: GoldenVersions, python: PlatformPython | undefined, root: string): Finding {
  const rel = (file: string, line?: number): string => `${path.relative(root, file) || path.basename(file)}${line ? `:${line}` : ''}`;
  const at = (file: string | undefined, line?: number): string => (file ? `${rel(file, line)}: ` : '');
  const pythonRow = golden.lookup('python');
  const isPythonRow = (entry: GoldenEntry | undefined): boolean => entry !== undefined && entry === pythonRow;
  const problems: Problem[] = [];
  let checked = 0;
  /** What was compared with what, for a report that says only that. */
  const against = new Set<'golden' | 'pins' | 'python'>();

  for (const pin of read.pins) {
    const entry = goldenEntryOf(pin, golden);
    if (!entry || isPythonRow(entry)) continue;
    const verdict = agrees(pin.version, pin.ecosystem, entry.version);
    if (verdict === undefined) continue;
    checked++;
    against.add('golden');
    if (verdict) continue;
    const order = compareVersions(pin.version, entry.version, pin.ecosystem);
    problems.push({
      kind: order !== undefined && order > 0 ? 'ahead' : 'behind',
      text: `${at(pin.file, pin.line)}${label(pin)}, golden ${entry.version} (${entry.tool})${order === undefined ? '' : order > 0 ? ': newer' : ': older'}`,
    });
  }

  // A requirements*.txt compiled from pyproject.toml or requirements*.in resolves what they declare.
  const compiled = (file: string | undefined): boolean => file !== undefined && /\.txt$/i.test(file);
  const pinsIn = (dir: string, key: string): Array<PinRead & { file: string }> =>
    read.pins.filter((p): p is PinRead & { file: string } => p.file !== undefined && p.ecosystem !== 'image' && path.dirname(p.file) === dir && pinKey(p) === key);
  for (const pin of read.pins) {
    if (!pin.file || pin.ecosystem !== 'pep440' || !compiled(pin.file)) continue;
    for (const d of pinsIn(path.dirname(pin.file), pinKey(pin)).filter((p) => !compiled(p.file))) {
      checked++;
      against.add('pins');
      if (compareVersions(pin.version, d.version, 'pep440') !== 0) {
        problems.push({ kind: 'lock', text: `${at(pin.file, pin.line)}${label(pin)}, but ${rel(d.file, d.line)} pins ${d.version}` });
      }
    }
  }

  for (const lock of read.locks) {
    for (const pkg of lock.packages) {
      const pin: Pin = { name: pkg.name, version: pkg.version, start: 0, end: 0, ecosystem: pkg.ecosystem, where: 'dependency' };
      const pinned = pinsIn(path.dirname(lock.file), pinKey(pin));
      const where = rel(lock.file, pkg.line);
      if (pinned.length > 0) {
        for (const d of pinned) {
          checked++;
          against.add('pins');
          if (compareVersions(pkg.version, d.version, pkg.ecosystem) !== 0) problems.push({ kind: 'lock', text: `${where}: locks ${pkg.name} ${pkg.version}, but ${rel(d.file, d.line)} pins ${d.version}` });
        }
        continue;
      }
      const entry = goldenEntryOf(pin, golden);
      if (!entry || isPythonRow(entry)) continue;
      checked++;
      against.add('golden');
      if (!pinMatchesGolden(pkg.version, entry.version)) problems.push({ kind: 'lock-golden', text: `${where}: locks ${pkg.name} ${pkg.version}, golden ${entry.version} (${entry.tool})` });
    }
  }

  if (python) {
    for (const p of read.python) {
      checked++;
      against.add('python');
      if (tagMatchesGolden(p.version, python.version)) continue;
      const newer = (compareVersions(p.version, python.version, 'image') ?? 0) > 0;
      problems.push({
        kind: newer ? 'python-ahead' : 'python',
        text: `${at(p.file, p.line)}Python ${p.version} (${p.where}); the platform's Python is ${python.version} (${python.source})`,
      });
    }
  }

  const evidenceRead = [
    ...(read.files.length > 0 ? [`read ${read.files.map((f) => rel(f)).join(', ')}`] : []),
    ...read.problems.map((p) => `not read: ${p}`),
  ];
  if (problems.length === 0) {
    if (checked === 0) {
      const why = read.problems.length > 0 && read.files.length === 0
        ? `Its versions could not be read: ${read.problems[0]}.`
        : golden.file === undefined
          ? 'There is no golden_versions.md, and nothing else to compare its versions with.'
          : 'golden_versions.md pins none of its image, base images or packages, and it has no lock file that disagrees with a pin.';
      return { area: 'versions', status: 'not-checked', reason: why, evidence: evidenceRead };
    }
    const names = [
      against.has('golden') ? 'golden_versions.md' : undefined,
      against.has('pins') ? 'its pins' : undefined,
      python && against.has('python') ? `the platform's Python ${python.version}` : undefined,
    ].filter((a): a is string => a !== undefined);
    return { area: 'versions', status: 'fine', reason: `${checked === 1 ? 'The one version checked agrees' : `The ${checked} versions checked agree`} with ${joinWithAnd(names)}.`, evidence: evidenceRead };
  }
  const count = (kind: Problem['kind']): number => problems.filter((p) => p.kind === kind).length;
  const parts: string[] = [];
  const actions: string[] = [];
  const behind = count('behind');
  const ahead = count('ahead');
  const lock = count('lock');
  const lockGolden = count('lock-golden');
  if (behind > 0) {
    parts.push(`${behind} ${plural(behind, 'pin is', 'pins are')} older than golden_versions.md`);
    actions.push('Raise the pins to the golden versions (`duckstack lint --fix` writes them), then rebuild it.');
  }
  if (ahead > 0) {
    parts.push(`${ahead} ${plural(ahead, 'pin is', 'pins are')} newer than golden_versions.md`);
    actions.push('Never lower a version: once the newer one is tested, raise its golden_versions.md row (`duckstack upgrade`).');
  }
  if (lock > 0) {
    parts.push(`${lock} locked ${plural(lock, 'version disagrees', 'versions disagree')} with the pins`);
    actions.push('Regenerate the lock file from the pins (`poetry lock`, `uv lock`, `npm install`, `pip-compile`), then rebuild it.');
  }
  if (lockGolden > 0) {
    parts.push(`${lockGolden} locked ${plural(lockGolden, 'version differs', 'versions differ')} from golden_versions.md`);
    actions.push('Pin the golden version (pyproject.toml, package.json or requirements), regenerate the lock file, then rebuild it.');
  }
  const older = problems.filter((p) => p.kind === 'python');
  const newer = problems.filter((p) => p.kind === 'python-ahead');
  const newest = read.python.map((p) => p.version).filter((v) => python && (compareVersions(v, python.version, 'image') ?? 0) > 0)[0];
  if (python && older.length + newer.length > 0) {
    parts.push(`its Python differs from the platform's ${python.version}`);
    if (older.length > 0) actions.push(`Use Python ${python.version} in its base image (\`FROM python:${python.version}-slim\`), then rebuild it.`);
    if (newer.length > 0) actions.push(`One Python for the platform: once Python ${newest} is tested, raise the platform's (\`duckstack upgrade python ${newest}\`) and move the other services to it; never lower this one.`);
  }
  const reason = parts.join('; ');
  return {
    area: 'versions',
    status: 'found',
    reason: `${reason.charAt(0).toUpperCase()}${reason.slice(1)}.`,
    evidence: [...problems.map((p) => p.text), ...evidenceRead],
    action: actions.join(' '),
  };
}
