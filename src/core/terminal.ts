// Text that reaches a terminal. Names, comments, messages and logs come from files and
// databases the user does not control: a table named "\x1b]0;pwned\x07" must print as those
// characters, not retitle the window. Every terminal printer goes through these helpers.

// C0 controls, DEL, C1 controls, line/paragraph separators and bidirectional overrides.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  if (ch === '\n') return '\\n';
  if (ch === '\r') return '\\r';
  if (ch === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character written as an escape (`\x1b`, `\n`, `\u202e`); printable text unchanged. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, escapeOne);
}

/** A log line: colour codes (SGR sequences), which logs carry on purpose, are dropped; any other control character is escaped. */
export function printableLog(text: string): string {
  return escapeControl(text.replace(/\x1b\[[0-9;]*m/g, ''));
}

/**
 * An argument quoted for the user's shell, to copy and paste: unchanged when it holds only safe
 * characters; else single-quoted for POSIX shells (ANSI-C `$'…'` quoting when it holds control
 * characters, so they are never printed raw), or double-quoted on Windows.
 */
export function shellQuote(arg: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  if (platform === 'win32') return `"${escapeControl(arg)}"`;
  CONTROL.lastIndex = 0;
  if (CONTROL.test(arg)) return `$'${escapeControl(arg.replace(/\\/g, '\\\\').replace(/'/g, "\\'"))}'`;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// JSON.stringify escapes C0 controls but leaves DEL, C1 controls, separators and bidi overrides raw.
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text that is just as valid, with every character a terminal would act on written as \uXXXX. */
export function terminalJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
