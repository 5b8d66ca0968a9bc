// Variable interpolation as the compose specification defines it (and compose-go implements it):
// $$ is a literal $, $VAR and ${VAR} substitute, and ${VAR:-d} ${VAR-d} ${VAR:?e} ${VAR?e}
// ${VAR:+a} ${VAR+a} take a default, an error or an alternative that is itself interpolated.
import type { ComposeError } from './errors';

/** What interpolation can find wrong: a required variable without a value, a malformed expression. */
export type InterpolationError = ComposeError & { code: 'interpolation-format' | 'required-variable' };

export interface Interpolation {
  value: string;
  /** Variables read with no default that the lookup does not know (compose warns and uses ""). */
  missing: string[];
  /** Required variables that are missing (`:?`, `?`) and malformed `${...}` expressions. */
  errors: InterpolationError[];
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

export function interpolate(text: string, lookup: (name: string) => string | undefined): Interpolation {
  const missing = new Set<string>();
  const errors: InterpolationError[] = [];
  const value = substitute(text, lookup, missing, errors);
  return { value, missing: [...missing], errors };
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested `${`; -1 if unclosed. */
export function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    } else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    }
  }
  return -1;
}

function substitute(
  text: string,
  lookup: (name: string) => string | undefined,
  missing: Set<string>,
  errors: InterpolationError[],
): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
      continue;
    }
    if (next === '{') {
      const close = closingBrace(text, dollar + 2);
      if (close < 0) {
        errors.push({ code: 'interpolation-format', message: `invalid interpolation format: unclosed "\${" in "${text.slice(dollar)}"` });
        out += text.slice(dollar);
        break;
      }
      out += braced(text.slice(dollar + 2, close), lookup, missing, errors);
      i = close + 1;
      continue;
    }
    const named = NAME.exec(text.slice(dollar + 1));
    if (named) {
      out += variable(named[0], lookup, missing);
      i = dollar + 1 + named[0].length;
      continue;
    }
    // A $ before anything else (a digit, a space, the end) stays as it is, as in compose-go.
    out += '$';
    i = dollar + 1;
  }
  return out;
}

function variable(name: string, lookup: (name: string) => string | undefined, missing: Set<string>): string {
  const value = lookup(name);
  if (value === undefined) {
    missing.add(name);
    return '';
  }
  return value;
}

function braced(
  body: string,
  lookup: (name: string) => string | undefined,
  missing: Set<string>,
  errors: InterpolationError[],
): string {
  const m = BRACED.exec(body);
  if (!m) {
    errors.push({ code: 'interpolation-format', message: `invalid interpolation format: "\${${body}}"` });
    return '';
  }
  const [, name, operator, argument = ''] = m;
  if (operator === undefined) return variable(name, lookup, missing);
  const value = lookup(name);
  const unsetOrEmpty = value === undefined || value === '';
  const unset = value === undefined;
  const nested = (): string => substitute(argument, lookup, missing, errors);
  switch (operator) {
    case ':-':
      return unsetOrEmpty ? nested() : value;
    case '-':
      return unset ? nested() : value;
    case ':?':
    case '?':
      if (operator === ':?' ? unsetOrEmpty : unset) {
        const message = nested();
        errors.push({ code: 'required-variable', variable: name, message: `required variable ${name} is missing a value${message ? `: ${message}` : ''}` });
        return '';
      }
      return value ?? '';
    case ':+':
      return unsetOrEmpty ? '' : nested();
    default: // '+'
      return unset ? '' : nested();
  }
}
