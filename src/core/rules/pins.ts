// Every version pin of a file, with the offsets of the version text: compose `image:` tags,
// Dockerfile `FROM` tags (and the `ARG` default a `FROM` takes its tag from), exact pins in
// requirements*.txt, pyproject.toml (PEP 621 and Poetry) and package.json. The downgrade rule,
// the impact report and `duckstack upgrade` all read pins through here, so they agree.
import { parseFroms } from './dockerfile/from';
import { readDependencies } from './python-deps/package-json-golden-pin';
import { parseRequirement, normalizeName as pep503 } from './python-deps/requirement';
import { readToml, type TomlValue } from './python-deps/toml';
import type { FileKind } from '../workspace/classify';
import type { GoldenEntry, GoldenVersions } from '../golden/types';
import { cleanCell, readVersion } from '../golden/golden';
import type { Ecosystem } from '../versions/compare';

export interface Pin {
  /** The package, or the image repository as written ("apache/superset"). */
  name: string;
  /** The version text as written: "5.0.0", "3.11-slim", "1.9.1". */
  version: string;
  /** Offsets of the version text in the file. */
  start: number;
  end: number;
  ecosystem: Ecosystem;
  /** What the pin is, for messages: "image", "FROM", "ARG", "requirement", "dependency". */
  where: 'image' | 'FROM' | 'ARG' | 'requirement' | 'dependency';
}

export const PINNED_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['compose', 'dockerfile', 'requirements', 'pyproject', 'packageJson']);

/** Every pin of a file of the given kind; an empty list for other kinds or unreadable text. */
export function findPins(text: string, kind: FileKind): Pin[] {
  switch (kind) {
    case 'compose':
      return composePins(text);
    case 'dockerfile':
      return dockerfilePins(text);
    case 'requirements':
      return requirementsPins(text);
    case 'pyproject':
      return pyprojectPins(text);
    case 'packageJson':
      return packageJsonPins(text);
    default:
      return [];
  }
}

const IMAGE_LINE = /^([ \t]*(?:-[ \t]+)?image[ \t]*:[ \t]*["']?)([^\s"'#]+)/gm;

function composePins(text: string): Pin[] {
  const pins: Pin[] = [];
  for (const m of text.matchAll(IMAGE_LINE)) {
    const ref = m[2];
    if (ref.includes('$')) continue;
    const at = ref.indexOf('@');
    const withoutDigest = at >= 0 ? ref.slice(0, at) : ref;
    const colon = withoutDigest.lastIndexOf(':');
    if (colon <= withoutDigest.lastIndexOf('/')) continue;
    const tag = withoutDigest.slice(colon + 1);
    const start = (m.index ?? 0) + m[1].length + colon + 1;
    pins.push({ name: withoutDigest.slice(0, colon), version: tag, start, end: start + tag.length, ecosystem: 'image', where: 'image' });
  }
  return pins;
}

function dockerfilePins(text: string): Pin[] {
  const pins: Pin[] = [];
  for (const from of parseFroms(text)) {
    if (from.isStage) continue;
    const image = from.image;
    const repository = image.raw.split(/[:@]/)[0];
    if (image.tagStart !== undefined && image.tagEnd !== undefined && image.tag !== undefined) {
      pins.push({ name: repository, version: image.tag, start: image.tagStart, end: image.tagEnd, ecosystem: 'image', where: 'FROM' });
      continue;
    }
    // FROM python:${PYTHON_VERSION}-slim with ARG PYTHON_VERSION=3.11 before it: the ARG is the pin.
    const variable = /:\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(image.raw)?.[1];
    if (!variable || repository.includes('$')) continue;
    const arg = new RegExp(`^[ \\t]*ARG[ \\t]+${variable}=["']?([\\w.+-]+)`, 'mi').exec(text.slice(0, image.start));
    if (!arg) continue;
    const start = arg.index + arg[0].length - arg[1].length;
    pins.push({ name: repository, version: arg[1], start, end: start + arg[1].length, ecosystem: 'image', where: 'ARG' });
  }
  return pins;
}

/** An exact pip pin ("==1.9.1", "=== 1.9.1") inside a requirement's spec; offsets of the version. */
function exactPip(text: string, specStart: number, specEnd: number): { version: string; start: number; end: number } | undefined {
  const spec = text.slice(specStart, specEnd);
  const m = /^(===?\s*)([0-9][\w.+!-]*)$/.exec(spec.trim());
  if (!m || /[*]/.test(m[2])) return undefined;
  const start = specStart + spec.indexOf(m[0]) + m[1].length;
  return { version: m[2], start, end: start + m[2].length };
}

function requirementsPins(text: string): Pin[] {
  const pins: Pin[] = [];
  for (let pos = 0; pos <= text.length; ) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    if (!/^\s*-/.test(line)) {
      const comment = /(^|\s)#/.exec(line);
      let end = comment ? comment.index : line.length;
      const option = /\s--?[a-z]/.exec(line.slice(0, end));
      if (option) end = option.index;
      const req = parseRequirement(text, pos, pos + line.slice(0, end).replace(/[\\\r\s]+$/, '').length);
      const exact = req && exactPip(text, req.specStart, req.specEnd);
      if (req && exact) pins.push({ name: req.name, ...exact, ecosystem: 'pep440', where: 'requirement' });
    }
    pos = eol + 1;
  }
  return pins;
}

function pyprojectPins(text: string): Pin[] {
  const pins: Pin[] = [];
  const poetry = (name: string, value: TomlValue): void => {
    const v = value.type === 'table' ? value.entries.find((e) => e.key.join('.') === 'version')?.value : value;
    if (v?.type !== 'string') return;
    const m = /^(\s*(?:==?|\^|~)?\s*)([0-9][\w.+-]*)\s*$/.exec(v.value);
    if (!m || /[*]/.test(m[2])) return;
    const start = v.contentStart + m[1].length;
    pins.push({ name, version: m[2], start, end: start + m[2].length, ecosystem: 'pep440', where: 'dependency' });
  };
  for (const section of readToml(text)) {
    const header = section.header.join('.');
    for (const entry of section.entries) {
      const key = entry.key.join('.');
      const pep508 =
        (header === 'project' && (key === 'dependencies' || key.startsWith('optional-dependencies.'))) ||
        header === 'project.optional-dependencies' ||
        header === 'dependency-groups';
      if (pep508 && entry.value.type === 'array') {
        for (const item of entry.value.items) {
          if (item.type !== 'string') continue;
          const req = parseRequirement(text, item.contentStart, item.contentEnd);
          const exact = req && exactPip(text, req.specStart, req.specEnd);
          if (req && exact) pins.push({ name: req.name, ...exact, ecosystem: 'pep440', where: 'dependency' });
        }
      } else if (/^tool\.poetry\.(dependencies|dev-dependencies|group\.[^.]+\.dependencies)$/.test(header) && entry.key.length === 1 && entry.key[0] !== 'python') {
        poetry(entry.key[0], entry.value);
      }
    }
  }
  return pins;
}

function packageJsonPins(text: string): Pin[] {
  const pins: Pin[] = [];
  for (const { name, version } of readDependencies(text)) {
    const m = /^([\^~=v]?)(\d+\.\d+\.\d+(?:-[\w.-]+)?)$/.exec(version.value);
    if (!m) continue;
    const start = version.start + 1 + m[1].length;
    pins.push({ name: name.value, version: m[2], start, end: start + m[2].length, ecosystem: 'npm', where: 'dependency' });
  }
  return pins;
}

/** The key pins of one package or image are compared by: PEP 503 for Python, the repository for images. */
export function pinKey(pin: Pin): string {
  return pin.ecosystem === 'pep440' ? pep503(pin.name) : pin.name.toLowerCase();
}

// Rows for servers and runtimes ("Python", "PostgreSQL", "Redis", "Node.js") name images, not
// the client libraries that share their names (redis-py, the "postgres" npm client).
const SERVER_NAMES = new Set(['python', 'postgres', 'postgresql', 'redis', 'node', 'nodejs']);

/** The golden row a pin belongs to, when the table has one that names this very image or package. */
export function goldenEntryOf(pin: Pin, golden: GoldenVersions): GoldenEntry | undefined {
  const entry = golden.lookup(pin.name);
  if (!entry) return undefined;
  if (pin.ecosystem === 'image') return entry;
  const normalized = pep503(pin.name);
  if (SERVER_NAMES.has(normalized)) return undefined;
  return entry.names.some((n) => pep503(n) === normalized) ? entry : undefined;
}

/**
 * Where a golden_versions.md row writes its version: the first cell after the tool's whose version
 * is the row's ("| Python | `python:3.11-slim` | 3.11 |" → the "3.11" cell, not the image's tag).
 * Offsets of the version text itself ("v1.1.9" → "1.1.9"), or undefined when the row cannot be found.
 */
export function goldenVersionRange(text: string, entry: GoldenEntry): { start: number; end: number } | undefined {
  const lines = text.split('\n');
  const line = lines[entry.line];
  if (line === undefined) return undefined;
  let lineStart = 0;
  for (let i = 0; i < entry.line; i++) lineStart += lines[i].length + 1;
  const cells: Array<{ text: string; start: number }> = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || (line[i] === '|' && line[i - 1] !== '\\')) {
      cells.push({ text: line.slice(start, i), start });
      start = i + 1;
    }
  }
  let toolSeen = false;
  for (const cell of cells) {
    const cleaned = cleanCell(cell.text);
    if (!toolSeen) {
      toolSeen = cleaned === entry.tool;
      continue;
    }
    if (readVersion(cleaned) !== entry.version) continue;
    const at = new RegExp(`(^|[^\\w.])v?(${entry.version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})(?![\\w.])`).exec(cell.text);
    if (!at) continue;
    const offset = lineStart + cell.start + at.index + at[0].length - at[2].length;
    return { start: offset, end: offset + at[2].length };
  }
  return undefined;
}
