import type { TextEdit } from '../../lint/types';
import type { Token } from './tokens';

/** Whether the module imports `os` itself (`import os`, `import os.path`, `import sys, os`). */
export function importsOs(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text !== 'import' || tokens[i].statement !== i || tokens[i].parent !== -1) continue;
    for (let j = i + 1; j < tokens.length && tokens[j].type !== 'newline'; j++) {
      const itemStart = tokens[j - 1].text === 'import' || tokens[j - 1].text === ',';
      if (itemStart && tokens[j].text === 'os' && tokens[j + 1]?.text !== 'as') return true;
    }
  }
  return false;
}

/**
 * The edit that adds `import os`, or undefined when the module has it. It goes before the first
 * statement that is neither the module docstring nor a `from __future__` import.
 */
export function addImportOs(text: string, tokens: readonly Token[]): TextEdit | undefined {
  if (importsOs(tokens)) return undefined;
  let i = 0;
  let first = true;
  while (i < tokens.length) {
    const isDocstring = first && tokens[i].type === 'string' && (tokens[i + 1] === undefined || tokens[i + 1].type === 'newline');
    const isFuture = tokens[i].text === 'from' && tokens[i + 1]?.text === '__future__';
    if (!isDocstring && !isFuture) break;
    first = false;
    while (i < tokens.length && tokens[i].type !== 'newline') i++;
    i++;
  }
  if (i >= tokens.length) {
    const needsNewline = text.length > 0 && !text.endsWith('\n');
    return { start: text.length, end: text.length, text: `${needsNewline ? '\n' : ''}import os\n` };
  }
  const lineStart = text.lastIndexOf('\n', tokens[i].start - 1) + 1;
  return { start: lineStart, end: lineStart, text: 'import os\n' };
}

/** An environment variable name from any identifier or words: "db path" → "DB_PATH". */
export function envName(words: string): string {
  const name = words.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
  return /^[0-9]/.test(name) ? `_${name}` : name || 'PATH';
}
