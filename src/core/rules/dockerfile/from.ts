// Reads the FROM instructions of a Dockerfile, line by line, with the offsets of each image reference.

export interface ImageRef {
  /** The reference as written: "python:${PY}-slim". */
  raw: string;
  /** With ARG defaults substituted, or undefined when a variable has no default. */
  resolved: string | undefined;
  start: number;
  end: number;
  /** Last path component of the resolved repository, lower-case: "python". */
  name: string;
  /** Resolved tag, if any. */
  tag: string | undefined;
  digest: string | undefined;
  /** Offsets of the written tag (after ':'), present only when the reference has no variables. */
  tagStart?: number;
  tagEnd?: number;
}

export interface FromInstruction {
  image: ImageRef;
  /** True when the image names an earlier build stage ("FROM builder"). */
  isStage: boolean;
}

interface Word {
  text: string;
  start: number;
}

/** Splits each instruction into words with offsets, joining `\` continuations and dropping comment lines. */
function instructions(text: string): Word[][] {
  const result: Word[][] = [];
  let current: Word[] | undefined;
  let pos = 0;
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const lineEnd = eol > pos && text[eol - 1] === '\r' ? eol - 1 : eol;
    const line = text.slice(pos, lineEnd);
    const trimmed = line.trimStart();
    if (!(trimmed.startsWith('#') || (current === undefined && trimmed === ''))) {
      const continued = /\\\s*$/.test(line);
      const body = continued ? line.slice(0, line.lastIndexOf('\\')) : line;
      const words = current ?? [];
      const wordPattern = /\S+/g;
      for (let m = wordPattern.exec(body); m; m = wordPattern.exec(body)) words.push({ text: m[0], start: pos + m.index });
      if (continued) current = words;
      else {
        if (words.length > 0) result.push(words);
        current = undefined;
      }
    }
    pos = eol + 1;
  }
  if (current && current.length > 0) result.push(current);
  return result;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

function substitute(raw: string, args: ReadonlyMap<string, string>): string | undefined {
  let missing = false;
  const out = raw.replace(VARIABLE, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = args.get(name);
    if (value !== undefined) return value;
    const fallback = /^\$\{[^:}-]+:?-([^}]*)\}$/.exec(whole);
    if (fallback) return fallback[1];
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}

function splitReference(ref: string): { repository: string; tag?: string; digest?: string } {
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) return { repository: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { repository: rest, digest };
}

/** The FROM instructions of a Dockerfile, in order. ARGs declared before the first FROM are substituted. */
export function parseFroms(text: string): FromInstruction[] {
  const args = new Map<string, string>();
  const stages = new Set<string>();
  const froms: FromInstruction[] = [];
  for (const words of instructions(text)) {
    const keyword = words[0].text.toUpperCase();
    if (keyword === 'ARG' && froms.length === 0) {
      for (const w of words.slice(1)) {
        const eq = w.text.indexOf('=');
        if (eq > 0) args.set(w.text.slice(0, eq), w.text.slice(eq + 1).replace(/^(["'])(.*)\1$/, '$2'));
      }
      continue;
    }
    if (keyword !== 'FROM') continue;
    const operands = words.slice(1).filter((w) => !w.text.startsWith('--'));
    const imageWord = operands[0];
    if (!imageWord) continue;
    const raw = imageWord.text;
    const resolved = substitute(raw, args);
    const parts = splitReference(resolved ?? raw);
    const name = (parts.repository.split('/').pop() ?? '').toLowerCase();
    const image: ImageRef = {
      raw,
      resolved,
      start: imageWord.start,
      end: imageWord.start + raw.length,
      name,
      tag: parts.tag,
      digest: parts.digest,
    };
    if (!raw.includes('$') && parts.tag !== undefined) {
      image.tagStart = imageWord.start + parts.repository.length + 1;
      image.tagEnd = image.tagStart + parts.tag.length;
    }
    froms.push({ image, isStage: resolved !== undefined && stages.has(resolved.toLowerCase()) });
    if (operands.length >= 3 && operands[1].text.toUpperCase() === 'AS') stages.add(operands[2].text.toLowerCase());
  }
  return froms;
}

/** The leading version of a Python image tag: "3.11.9-slim" → "3.11.9", "slim" → undefined. */
export function pythonTagVersion(tag: string): string | undefined {
  return /^\d+(?:\.\d+)*/.exec(tag)?.[0];
}
