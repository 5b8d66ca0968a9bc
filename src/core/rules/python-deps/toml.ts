// A small TOML reader that keeps offsets: enough of the language for pyproject.toml dependency
// tables (headers, dotted and quoted keys, strings, arrays, inline tables, comments). Malformed
// input ends the current line's entry and reading goes on at the next line.

export type TomlValue =
  | { type: 'string'; value: string; start: number; end: number; contentStart: number; contentEnd: number }
  | { type: 'array'; items: TomlValue[]; start: number; end: number }
  | { type: 'table'; entries: TomlEntry[]; start: number; end: number }
  | { type: 'other'; start: number; end: number };

export interface TomlEntry {
  /** Key parts of a dotted key: `a."b.c"` → ["a", "b.c"]. */
  key: string[];
  keyStart: number;
  keyEnd: number;
  value: TomlValue;
}

export interface TomlSection {
  /** Header parts: [tool.poetry.group.dev.dependencies] → ["tool", "poetry", "group", "dev", "dependencies"]; [] before any header. */
  header: string[];
  entries: TomlEntry[];
}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpaces(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' ) this.skipLine(false);
      else return;
    }
  }

  /** Moves to the end of the line (or past it with `past`). */
  skipLine(past: boolean): void {
    const eol = this.text.indexOf('\n', this.pos);
    this.pos = eol < 0 ? this.text.length : past ? eol + 1 : eol;
  }

  key(): string[] | undefined {
    const parts: string[] = [];
    for (;;) {
      this.skipSpaces(false);
      const c = this.text[this.pos];
      if (c === '"' || c === "'") {
        const s = this.string();
        if (!s || s.type !== 'string') return undefined;
        parts.push(s.value);
      } else {
        const m = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.pos, this.pos + 256));
        if (!m) return undefined;
        parts.push(m[0]);
        this.pos += m[0].length;
      }
      this.skipSpaces(false);
      if (this.text[this.pos] !== '.') return parts;
      this.pos++;
    }
  }

  string(): TomlValue | undefined {
    const start = this.pos;
    const quote = this.text[start];
    const triple = this.text.startsWith(quote.repeat(3), start);
    const delimiter = triple ? quote.repeat(3) : quote;
    const contentStart = start + delimiter.length;
    let i = contentStart;
    for (;;) {
      if (i >= this.text.length) return undefined;
      const c = this.text[i];
      if (!triple && c === '\n') return undefined;
      if (quote === '"' && c === '\\') i += 2;
      else if (this.text.startsWith(delimiter, i)) break;
      else i++;
    }
    this.pos = i + delimiter.length;
    const raw = this.text.slice(contentStart, i);
    const value = quote === '"' ? raw.replace(/\\(["\\])/g, '$1') : raw;
    return { type: 'string', value, start, end: this.pos, contentStart, contentEnd: i };
  }

  value(): TomlValue | undefined {
    this.skipSpaces(false);
    const start = this.pos;
    const c = this.text[start];
    if (c === '"' || c === "'") return this.string();
    if (c === '[') {
      this.pos++;
      const items: TomlValue[] = [];
      for (;;) {
        this.skipSpaces(true);
        if (this.text[this.pos] === ']') break;
        const item = this.value();
        if (!item) return undefined;
        items.push(item);
        this.skipSpaces(true);
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] !== ']') return undefined;
      }
      this.pos++;
      return { type: 'array', items, start, end: this.pos };
    }
    if (c === '{') {
      this.pos++;
      const entries: TomlEntry[] = [];
      for (;;) {
        this.skipSpaces(false);
        if (this.text[this.pos] === '}') break;
        const entry = this.entry();
        if (!entry) return undefined;
        entries.push(entry);
        this.skipSpaces(false);
        if (this.text[this.pos] === ',') this.pos++;
        else if (this.text[this.pos] !== '}') return undefined;
      }
      this.pos++;
      return { type: 'table', entries, start, end: this.pos };
    }
    const m = /^[^,\]}\s#]+/.exec(this.text.slice(start, start + 256));
    if (!m) return undefined;
    this.pos += m[0].length;
    return { type: 'other', start, end: this.pos };
  }

  entry(): TomlEntry | undefined {
    const keyStart = this.pos;
    const key = this.key();
    if (!key) return undefined;
    const keyEnd = this.pos;
    if (this.text[this.pos] !== '=') return undefined;
    this.pos++;
    const value = this.value();
    return value ? { key, keyStart, keyEnd, value } : undefined;
  }
}

export function readToml(text: string): TomlSection[] {
  const reader = new Reader(text);
  const sections: TomlSection[] = [{ header: [], entries: [] }];
  while (reader.pos < text.length) {
    reader.skipSpaces(true);
    if (reader.pos >= text.length) break;
    const lineStart = reader.pos;
    if (text[reader.pos] === '[') {
      const arrayTable = text.startsWith('[[', reader.pos);
      reader.pos += arrayTable ? 2 : 1;
      const header = reader.key();
      if (header) sections.push({ header, entries: [] });
    } else {
      const entry = reader.entry();
      if (entry) sections[sections.length - 1].entries.push(entry);
    }
    // Whatever is left of the line (a closing bracket, junk after a malformed entry) is skipped.
    if (reader.pos <= lineStart) reader.pos = lineStart + 1;
    reader.skipLine(true);
  }
  return sections;
}
