// One PEP 508 requirement ("dagster[dbt]==1.9.1 ; python_version >= '3.11'") with the offsets of its parts.

export interface Requirement {
  /** As written: "Dagster_Webserver". */
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The version specifier as written ("==1.9.1", ">=1,<2", ""), without parentheses or marker. */
  spec: string;
  /** Where the specifier is, or where one would be inserted (just after the name and extras). */
  specStart: number;
  specEnd: number;
}

const NAME_START = /[A-Za-z0-9]/;
const NAME_CHAR = /[A-Za-z0-9._-]/;

/**
 * Parses the requirement in text[start, end). Returns undefined for what is not a plain
 * registry requirement (URLs, paths, `name @ url`, options), which golden pins do not apply to.
 */
export function parseRequirement(text: string, start: number, end: number): Requirement | undefined {
  let i = start;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i >= end || !NAME_START.test(text[i])) return undefined;
  const nameStart = i;
  while (i < end && NAME_CHAR.test(text[i])) i++;
  const nameEnd = i;
  while (i < end && text[i] === ' ') i++;
  if (text[i] === '[') {
    const close = indexWithin(text, ']', i, end);
    if (close < 0) return undefined;
    i = close + 1;
  }
  const afterName = i;
  while (i < end && text[i] === ' ') i++;
  if (text[i] === '@' || text[i] === ':' || text[i] === '/') return undefined;
  const semicolon = indexWithin(text, ';', i, end);
  let specEnd = semicolon >= 0 ? semicolon : end;
  while (specEnd > i && /\s/.test(text[specEnd - 1])) specEnd--;
  let specStart = i;
  if (text[specStart] === '(' && text[specEnd - 1] === ')') {
    specStart++;
    specEnd--;
  }
  if (specStart === specEnd) specStart = specEnd = afterName;
  return { name: text.slice(nameStart, nameEnd), nameStart, nameEnd, spec: text.slice(specStart, specEnd), specStart, specEnd };
}

/** indexOf limited to [from, end), so a search never runs through the rest of a large file. */
function indexWithin(text: string, char: string, from: number, end: number): number {
  for (let i = from; i < end; i++) if (text[i] === char) return i;
  return -1;
}

/** PEP 503 normalised name: "Dagster_Webserver" → "dagster-webserver". */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
