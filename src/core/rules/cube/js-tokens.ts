// A JavaScript tokenizer for Cube's cube.js and model files: names, strings (template literals
// whole), punctuation, with offsets; comments dropped. One linear pass.

export interface JsToken {
  type: 'name' | 'string' | 'punct';
  start: number;
  end: number;
  text: string;
  /** For strings: the contents between the quotes. */
  value?: string;
}

export function tokenizeJs(text: string): JsToken[] {
  const tokens: JsToken[] = [];
  let pos = 0;
  while (pos < text.length) {
    const c = text[pos];
    if (c === '/' && text[pos + 1] === '/') {
      const eol = text.indexOf('\n', pos);
      pos = eol < 0 ? text.length : eol;
    } else if (c === '/' && text[pos + 1] === '*') {
      const close = text.indexOf('*/', pos + 2);
      pos = close < 0 ? text.length : close + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      let i = pos + 1;
      while (i < text.length && text[i] !== c && !(c !== '`' && text[i] === '\n')) i += text[i] === '\\' ? 2 : 1;
      const end = Math.min(i + 1, text.length);
      tokens.push({ type: 'string', start: pos, end, text: text.slice(pos, end), value: text.slice(pos + 1, Math.min(i, text.length)) });
      pos = end;
    } else if (/[A-Za-z_$]/.test(c)) {
      let end = pos + 1;
      while (end < text.length && /[\w$]/.test(text[end])) end++;
      tokens.push({ type: 'name', start: pos, end, text: text.slice(pos, end) });
      pos = end;
    } else if (/\s/.test(c)) {
      pos++;
    } else {
      const two = text.slice(pos, pos + 2);
      const len = two === '||' || two === '??' || two === '?.' ? 2 : 1;
      tokens.push({ type: 'punct', start: pos, end: pos + len, text: text.slice(pos, pos + len) });
      pos += len;
    }
  }
  return tokens;
}
