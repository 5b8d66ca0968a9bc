import type { Report, Rule, TextEdit } from '../../lint/types';
import { addImportOs, envName } from './imports';
import { callOf, isWholeValue, assignmentOf, tokenize, type Token } from './tokens';

/** "/app/data", "/home/u/x.duckdb", "C:\\data": absolute on a Unix host, in a container, or on Windows. */
export function isAbsolutePath(value: string): boolean {
  return /^\/[A-Za-z0-9_.~-]/.test(value) || /^[A-Za-z]:[\\/]/.test(value);
}

/** Calls whose first argument is a file or folder. */
const PATH_CALLS = /(?:^|\.)(?:Path|PurePath|PosixPath|WindowsPath|connect|open|join|read_parquet|read_csv|read_json|read_excel|makedirs|mkdir|listdir|exists)$/;
/** Names of variables and keyword arguments that hold a file or folder. */
const PATH_NAME = /(?:^|_)(?:path|dir|directory|folder|file|filename|db|database|root|home|location)(?:_|$)/i;
/**
 * Names whose value is a URL path, not a file: anything named for a URL, route or endpoint, and the
 * Flask and Superset settings that take one (LOGO_TARGET_PATH = "/superset/welcome/").
 */
const URL_NAME = /(?:^|_)(?:url|uri|urls|route|routes|endpoint|endpoints|prefix|href|link|redirect)(?:_|$)|^(?:LOGO_TARGET_PATH|APPLICATION_ROOT|SESSION_COOKIE_PATH|REMEMBER_COOKIE_PATH)$/i;
/** Calls that already read the environment: their literals are defaults. */
const ENV_READS = /(?:^|\.)(?:getenv|environ\.get|environ\.setdefault|get_env|EnvVar)$/;

/** The guide's names for the platform's DuckDB files: ".../dev.duckdb" → DUCKDB_DEV_PATH. */
function duckdbEnvName(value: string): string | undefined {
  const stem = /([A-Za-z][A-Za-z0-9]*)\.(?:duckdb|db)$/.exec(value)?.[1];
  return stem ? `DUCKDB_${stem.toUpperCase()}_PATH` : undefined;
}

function pathEnvName(value: string): string {
  const last = value.split(/[\\/]/).filter((s) => s !== '').pop() ?? 'path';
  return `${envName(last.replace(/\.[^.]*$/, ''))}_PATH`;
}

/** Whether a string token is used as a path; returns the variable it is assigned to, if any. */
function pathUse(tokens: readonly Token[], index: number): { used: boolean; target?: string } {
  const whole = isWholeValue(tokens, index);
  if (whole) return { used: PATH_NAME.test(whole.target) && !URL_NAME.test(whole.target), target: whole.target };
  const call = callOf(tokens, index);
  if (!call || ENV_READS.test(call.callee)) return { used: false };
  const used = call.keyword !== undefined ? PATH_NAME.test(call.keyword) && !URL_NAME.test(call.keyword) : call.item === 0 && PATH_CALLS.test(call.callee);
  const assignment = assignmentOf(tokens, index);
  return { used, target: assignment?.target ?? call.keyword };
}

export const pythonHardcodedPath: Rule = {
  id: 'python-hardcoded-path',
  meta: {
    description: 'An absolute path in Python code is read from an environment variable, with the path as its default.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['python'],
    messages: {
      hardcodedPath: 'Hardcoded path "{{path}}": read it from the environment, e.g. os.environ.get("{{name}}", "{{path}}").',
    },
  },
  check(ctx) {
    const tokens = tokenize(ctx.text);
    const reports: Report[] = [];
    // Computed once: every fix adds the same import.
    let importOs: TextEdit | undefined | null = null;
    tokens.forEach((token, index) => {
      if (token.type !== 'string' || token.prefix?.includes('b') || token.value === undefined || !isAbsolutePath(token.value)) return;
      if (token.prefix?.includes('f') && token.value.includes('{')) return;
      const use = pathUse(tokens, index);
      if (!use.used) return;
      // A variable named for a path names the variable best; otherwise the path itself does.
      const name = duckdbEnvName(token.value) ?? (use.target && PATH_NAME.test(use.target) ? envName(use.target) : pathEnvName(token.value));
      if (importOs === null) importOs = addImportOs(ctx.text, tokens);
      reports.push({
        messageId: 'hardcodedPath',
        data: { path: token.value, name },
        start: token.start,
        end: token.end,
        fix: {
          title: `Read ${name} from the environment`,
          edits: [...(importOs ? [importOs] : []), { start: token.start, end: token.end, text: `os.environ.get("${name}", ${token.text})` }],
        },
      });
    });
    return reports;
  },
};
