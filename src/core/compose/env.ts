// The .env syntax docker compose reads (compose-go's dotenv parser): KEY=VALUE lines, an optional
// `export ` prefix, `#` comments, single quotes literal, double quotes with escapes, both may span
// lines, and ${...} in unquoted and double-quoted values interpolated against the lookup first
// (the process environment, as compose does) and then the variables defined earlier in the file.
import { interpolate } from './interpolate';

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotEnv(text: string, lookup: (name: string) => string | undefined = () => undefined): Map<string, string> {
  const vars = new Map<string, string>();
  const resolve = (name: string): string | undefined => lookup(name) ?? vars.get(name);
  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < src.length) {
    const lineEnd = indexOrEnd(src, '\n', i);
    const line = src.slice(i, lineEnd);
    const trimmed = line.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) {
      i = lineEnd + 1;
      continue;
    }
    const withoutExport = trimmed.replace(/^export\s+/, '');
    const assign = /^([^=:\s]+)\s*[=:]/.exec(withoutExport);
    if (!assign || !KEY.test(assign[1])) {
      // A bare KEY (compose takes it from the process environment) or a line it cannot read.
      i = lineEnd + 1;
      continue;
    }
    const key = assign[1];
    let valueStart = lineEnd - line.length + (line.length - withoutExport.length) + assign[0].length;
    while (src[valueStart] === ' ' || src[valueStart] === '\t') valueStart++;
    const quote = src[valueStart];
    if (quote === "'" || quote === '"') {
      const close = closingQuote(src, valueStart + 1, quote);
      if (close >= 0) {
        const raw = src.slice(valueStart + 1, close);
        vars.set(key, quote === "'" ? raw : interpolate(unescapeDoubleQuoted(raw), resolve).value);
        i = indexOrEnd(src, '\n', close) + 1;
        continue;
      }
    }
    const raw = src.slice(valueStart, lineEnd).replace(/\s#.*$/, '').trim();
    vars.set(key, interpolate(raw, resolve).value);
    i = lineEnd + 1;
  }
  return vars;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}

function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\' && quote === '"') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescapeDoubleQuoted(raw: string): string {
  return raw.replace(/\\(.)/g, (whole: string, c: string) => {
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      // \$ must survive to the interpolation step as $$ so it stays a literal dollar.
      case '$': return '$$';
      default: return whole;
    }
  });
}
