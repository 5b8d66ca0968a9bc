// Which variables a service needs: every `${VAR}` / `$VAR` in its definition (as written, before
// interpolation), following defaults the way compose does (`${A:-${B}}` needs B only when A is
// unset or empty), plus `environment` entries with no value, which compose takes from the
// environment it runs in. Variables every shell exports are left out.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { parseDotEnv } from '../compose/env';
import { providedByShell } from '../compose/host-variables';
import { closingBrace } from '../compose/interpolate';
import { readRegularFileSync } from '../files';

export type VariableUse = { name: string; required: boolean };

export type VariableState = 'set' | 'empty' | 'only-example' | 'unset';

export interface VariableFinding {
  name: string;
  state: VariableState;
  /** `${VAR:?…}` / `${VAR?…}`: compose refuses to start without it. */
  required: boolean;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

/** The variables a string needs under `lookup`, in order of first use. */
export function variablesIn(text: string, lookup: (name: string) => string | undefined, out: Map<string, VariableUse>): void {
  const add = (name: string, required: boolean): void => {
    const prev = out.get(name);
    if (!prev) out.set(name, { name, required });
    else if (required) prev.required = true;
  };
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    const next = text[dollar + 1];
    if (next === '$') {
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = closingBrace(text, dollar + 2);
      if (close < 0) break;
      const m = BRACED.exec(text.slice(dollar + 2, close));
      if (m) {
        const [, name, operator, argument = ''] = m;
        const value = lookup(name);
        const unsetOrEmpty = value === undefined || value === '';
        if (operator === undefined) add(name, false);
        else if (operator === ':?' || operator === '?') add(name, true);
        else if (operator === ':-' && unsetOrEmpty) variablesIn(argument, lookup, out);
        else if (operator === '-' && value === undefined) variablesIn(argument, lookup, out);
        else if (operator === ':+' && !unsetOrEmpty) variablesIn(argument, lookup, out);
        else if (operator === '+' && value !== undefined) variablesIn(argument, lookup, out);
      }
      i = close + 1;
      continue;
    }
    const named = NAME.exec(text.slice(dollar + 1));
    if (named) add(named[0], false);
    i = dollar + 1 + (named ? named[0].length : 0);
  }
}

function walk(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) walk(v, visit);
}

/** The variables service `name` uses across the project's compose files. */
export function serviceVariables(files: readonly string[], name: string, lookup: (name: string) => string | undefined): VariableUse[] {
  const out = new Map<string, VariableUse>();
  for (const file of files) {
    const read = readRegularFileSync(file);
    if (!read.ok) continue;
    const doc = parseDocument(read.text, { merge: true, uniqueKeys: false });
    if (doc.errors.length > 0) continue;
    let js: unknown;
    try {
      js = doc.toJS({ maxAliasCount: 10_000 });
    } catch {
      continue;
    }
    const services = (js as { services?: unknown } | null)?.services;
    const def = typeof services === 'object' && services !== null ? (services as Record<string, unknown>)[name] : undefined;
    if (typeof def !== 'object' || def === null) continue;
    walk(def, (s) => variablesIn(s, lookup, out));
    // `environment: [FOO]` or `FOO:` with no value: compose passes the variable through.
    const env = (def as { environment?: unknown }).environment;
    if (Array.isArray(env)) for (const e of env) if (typeof e === 'string' && NAME.test(e) && NAME.exec(e)?.[0] === e) out.set(e, out.get(e) ?? { name: e, required: false });
    if (typeof env === 'object' && env !== null && !Array.isArray(env)) {
      for (const [k, v] of Object.entries(env)) if (v === null && !out.has(k)) out.set(k, { name: k, required: false });
    }
  }
  return [...out.values()].filter((v) => !providedByShell(v.name));
}

export const EXAMPLE_FILES = ['.env.example', '.env.sample', '.env.template'];

/** The variables documented in the project's .env.example (or .sample, .template), and its name. */
export function exampleVariables(dir: string): { file?: string; names: Set<string> } {
  for (const name of EXAMPLE_FILES) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    const read = readRegularFileSync(file);
    if (!read.ok) continue;
    return { file: name, names: new Set(parseDotEnv(read.text).keys()) };
  }
  return { names: new Set() };
}

/** Each used variable against the project's environment (.env merged with the process's). */
export function classifyVariables(uses: readonly VariableUse[], env: ReadonlyMap<string, string>, example: ReadonlySet<string>): VariableFinding[] {
  return uses.map((u) => {
    const value = env.get(u.name);
    const state: VariableState = value === undefined ? (example.has(u.name) ? 'only-example' : 'unset') : value === '' ? 'empty' : 'set';
    return { name: u.name, state, required: u.required };
  });
}
