// A Python tokenizer that keeps offsets and, for every token, the call or bracket it sits in and
// its statement. One linear pass; strings and comments never confuse the rules that follow.

export type TokenType = 'name' | 'string' | 'number' | 'op' | 'newline';

export interface Token {
  type: TokenType;
  start: number;
  end: number;
  text: string;
  /** For strings: the contents without prefix and quotes, and where they are. */
  value?: string;
  contentStart?: number;
  contentEnd?: number;
  /** For strings: the prefix letters, lower-case ("", "r", "f", "rb"...). */
  prefix?: string;
  /** Index of the innermost open bracket around this token, or -1. */
  parent: number;
  /** Which comma-separated item of that bracket this token is in. */
  item: number;
  /** For an opening bracket: index of its closing bracket (or the last token when unclosed). */
  closer?: number;
  /** Index of the first token of this token's logical line (statement). */
  statement: number;
}

const STRING_PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const TWO_CHAR_OPS = new Set(['==', '!=', '<=', '>=', ':=', '->', '**', '//', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<', '>>', '@=']);
const IDENT_START = /[A-Za-z_\u00C0-\uFFFF]/;
const IDENT_CHAR = /[A-Za-z0-9_\u00C0-\uFFFF]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const stack: Array<{ index: number; item: number }> = [];
  let statement = 0;
  let pos = 0;
  const push = (type: TokenType, start: number, end: number, extra: Partial<Token> = {}): Token => {
    const top = stack[stack.length - 1];
    const token: Token = { type, start, end, text: text.slice(start, end), parent: top ? top.index : -1, item: top ? top.item : 0, statement, ...extra };
    tokens.push(token);
    return token;
  };
  while (pos < text.length) {
    const c = text[pos];
    if (c === '#') {
      const eol = text.indexOf('\n', pos);
      pos = eol < 0 ? text.length : eol;
    } else if (c === '\\' && (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'))) {
      pos += text[pos + 1] === '\n' ? 2 : 3;
    } else if (c === '\n' || c === ';') {
      if (stack.length === 0 && tokens.length > statement && tokens[tokens.length - 1].type !== 'newline') {
        push('newline', pos, pos + 1);
        statement = tokens.length;
      }
      pos++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      pos++;
    } else if (c === '"' || c === "'") {
      pos = readString(text, pos, '', push);
    } else if (IDENT_START.test(c)) {
      let end = pos + 1;
      while (end < text.length && IDENT_CHAR.test(text[end])) end++;
      const word = text.slice(pos, end);
      if ((text[end] === '"' || text[end] === "'") && STRING_PREFIX.test(word)) pos = readString(text, end, word.toLowerCase(), push, pos);
      else {
        push('name', pos, end);
        pos = end;
      }
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[pos + 1] ?? ''))) {
      let end = pos + 1;
      while (end < text.length && /[\w.]/.test(text[end])) end++;
      push('number', pos, end);
      pos = end;
    } else if (c === '(' || c === '[' || c === '{') {
      push('op', pos, pos + 1);
      stack.push({ index: tokens.length - 1, item: 0 });
      pos++;
    } else if (c === ')' || c === ']' || c === '}') {
      const open = stack.pop();
      push('op', pos, pos + 1);
      if (open) tokens[open.index].closer = tokens.length - 1;
      pos++;
    } else {
      const two = text.slice(pos, pos + 2);
      const len = TWO_CHAR_OPS.has(two) ? 2 : 1;
      push('op', pos, pos + len);
      if (c === ',' && stack.length > 0) stack[stack.length - 1].item++;
      pos += len;
    }
  }
  for (const open of stack) tokens[open.index].closer = tokens.length - 1;
  return tokens;
}

function readString(
  text: string,
  quoteAt: number,
  prefix: string,
  push: (type: TokenType, start: number, end: number, extra?: Partial<Token>) => Token,
  start = quoteAt,
): number {
  const quote = text[quoteAt];
  const triple = text.startsWith(quote.repeat(3), quoteAt);
  const delimiter = triple ? quote.repeat(3) : quote;
  const contentStart = quoteAt + delimiter.length;
  const raw = prefix.includes('r');
  let i = contentStart;
  while (i < text.length && !text.startsWith(delimiter, i)) {
    if (!triple && text[i] === '\n') break;
    i += text[i] === '\\' && !raw ? 2 : 1;
  }
  const contentEnd = Math.min(i, text.length);
  const end = text.startsWith(delimiter, i) ? i + delimiter.length : contentEnd;
  const body = text.slice(contentStart, contentEnd);
  const value = raw ? body : body.replace(/\\(.)/g, '$1');
  push('string', start, end, { value, contentStart, contentEnd, prefix });
  return end;
}

/** The dotted name just before an opening bracket: `os.environ.get(` → "os.environ.get"; with the index of its first token. */
export function calleeOf(tokens: readonly Token[], open: number): { name: string; first: number } | undefined {
  let i = open - 1;
  if (i < 0 || tokens[i].type !== 'name') return undefined;
  const parts = [tokens[i].text];
  while (i >= 2 && tokens[i - 1].text === '.' && tokens[i - 2].type === 'name') {
    parts.unshift(tokens[i - 2].text);
    i -= 2;
  }
  return { name: parts.join('.'), first: i };
}

/** The call a token is a direct argument of: callee name, argument position, keyword (if any). */
export function callOf(tokens: readonly Token[], index: number): { callee: string; calleeFirst: number; open: number; item: number; keyword: string | undefined } | undefined {
  const token = tokens[index];
  const open = token.parent;
  if (open < 0 || tokens[open].text !== '(') return undefined;
  const callee = calleeOf(tokens, open);
  if (!callee) return undefined;
  // The token must be the whole argument: preceded by "(" or "," or "name=" and followed by "," or ")".
  const next = tokens[index + 1];
  if (next && next.text !== ',' && next.text !== ')') return undefined;
  const before = tokens[index - 1];
  let keyword: string | undefined;
  if (before.text === '=' && tokens[index - 2]?.type === 'name' && (tokens[index - 3]?.text === ',' || index - 3 === open)) keyword = tokens[index - 2].text;
  else if (before.text !== ',' && index - 1 !== open) return undefined;
  return { callee: callee.name, calleeFirst: callee.first, open, item: token.item, keyword };
}

/**
 * The simple assignment a token's statement is: `NAME = ...`, `NAME: T = ...`, `obj.attr = ...`;
 * returns the target's last name and the index of the first token after "=".
 */
export function assignmentOf(tokens: readonly Token[], index: number): { target: string; valueStart: number } | undefined {
  let i = tokens[index].statement;
  if (tokens[i]?.type !== 'name') return undefined;
  while (tokens[i + 1]?.text === '.' && tokens[i + 2]?.type === 'name') i += 2;
  const target = tokens[i].text;
  let j = i + 1;
  if (tokens[j]?.text === ':') {
    // An annotation runs to the "=" at the statement's own level.
    j++;
    while (j < tokens.length && tokens[j].type !== 'newline' && !(tokens[j].text === '=' && tokens[j].parent === tokens[i].parent)) j++;
  }
  if (tokens[j]?.text !== '=') return undefined;
  return { target, valueStart: j + 1 };
}

/** Whether the token is the entire value of its statement's assignment (`X = "..."`). */
export function isWholeValue(tokens: readonly Token[], index: number): { target: string } | undefined {
  const assignment = assignmentOf(tokens, index);
  if (!assignment || assignment.valueStart !== index) return undefined;
  const next = tokens[index + 1];
  return next === undefined || next.type === 'newline' ? { target: assignment.target } : undefined;
}
