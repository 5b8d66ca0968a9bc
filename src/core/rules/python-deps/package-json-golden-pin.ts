import type { Report, Rule } from '../../lint/types';
import { judgePin, PIN_MESSAGES } from './golden-pin';

interface JsonString {
  value: string;
  start: number;
  end: number;
}

interface Dependency {
  name: JsonString;
  version: JsonString;
}

const DEPENDENCY_SECTIONS = new Set(['dependencies', 'devDependencies', 'optionalDependencies']);

/**
 * Reads the string members of the top-level dependency objects of a package.json with their
 * offsets. Anything malformed ends the reading with what was found so far.
 */
export function readDependencies(text: string): Dependency[] {
  const found: Dependency[] = [];
  let pos = 0;
  const space = (): void => {
    while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos++;
  };
  const string = (): JsonString | undefined => {
    if (text[pos] !== '"') return undefined;
    const start = pos++;
    let value = '';
    while (pos < text.length && text[pos] !== '"') {
      if (text[pos] === '\\') pos++;
      value += text[pos++];
    }
    if (pos >= text.length) return undefined;
    pos++;
    return { value, start, end: pos };
  };
  /** Skips any value without building it; returns false on malformed input. */
  const skipValue = (): boolean => {
    space();
    if (text[pos] === '"') return string() !== undefined;
    if (text[pos] !== '{' && text[pos] !== '[') {
      const m = /^[-\w.+]+/.exec(text.slice(pos, pos + 64));
      if (!m) return false;
      pos += m[0].length;
      return true;
    }
    // Brackets are counted, not recursed into, so deep nesting costs no stack.
    let depth = 0;
    while (pos < text.length) {
      const c = text[pos];
      if (c === '"') {
        if (!string()) return false;
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      pos++;
      if (depth === 0) return true;
    }
    return false;
  };
  /** Calls onMember for each member of the object at pos; returns false on malformed input. */
  const object = (onMember: (key: JsonString) => boolean): boolean => {
    space();
    if (text[pos] !== '{') return false;
    pos++;
    for (;;) {
      space();
      if (text[pos] === '}') {
        pos++;
        return true;
      }
      const key = string();
      space();
      if (!key || text[pos] !== ':') return false;
      pos++;
      space();
      if (!onMember(key)) return false;
      space();
      if (text[pos] === ',') pos++;
      else if (text[pos] !== '}') return false;
    }
  };
  object((section) => {
    if (!DEPENDENCY_SECTIONS.has(section.value) || text[pos] !== '{') return skipValue();
    return object((name) => {
      const version = string();
      if (version) found.push({ name, version });
      return version !== undefined || skipValue();
    });
  });
  return found;
}

/** Ranges and dist-tags come from the registry; aliases (npm:), files, git, URLs, workspace: and GitHub "user/repo" do not. */
function isRegistrySpec(spec: string): boolean {
  return !/[:/]/.test(spec);
}

export const packageJsonGoldenPin: Rule = {
  id: 'package-json-golden-pin',
  meta: {
    description: "A package listed in golden_versions.md is pinned to the exact golden version in a service's package.json.",
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['packageJson'],
    messages: PIN_MESSAGES,
  },
  check(ctx) {
    const reports: Report[] = [];
    for (const { name, version } of readDependencies(ctx.text)) {
      if (!isRegistrySpec(version.value)) continue;
      const report = judgePin(
        ctx.golden,
        { name: name.value, spec: version.value, specStart: version.start + 1, specEnd: version.end - 1, start: name.start, end: version.end },
        'npm',
      );
      if (report) reports.push(report);
    }
    return reports;
  },
};
