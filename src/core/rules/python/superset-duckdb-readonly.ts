import * as path from 'node:path';
import type { Report, Rule } from '../../lint/types';
import { assignmentOf, tokenize, type Token } from './tokens';

/**
 * duckdb_engine hands every URI query parameter to DuckDB as a setting. `access_mode` is the
 * setting that opens a database read-only; `mode=ro` and `read_only=true` name no setting, so
 * DuckDB rejects the connection (they are not read-only switches).
 */
const READ_ONLY_PARAM = /^access_mode=read_only$/i;
const MISTAKEN_PARAM = /^(?:mode|read_?only)=/i;

/** Whether the statement passes read_only=True or access_mode read_only through connect_args. */
function statementOpensReadOnly(tokens: readonly Token[], index: number): boolean {
  for (let i = tokens[index].statement; i < tokens.length && tokens[i].type !== 'newline'; i++) {
    const key = tokens[i].type === 'string' ? tokens[i].value : tokens[i].text;
    const sep = tokens[i + 1]?.text;
    const value = tokens[i + 2];
    if (sep !== ':' && sep !== '=') continue;
    if (key === 'read_only' && value?.text === 'True') return true;
    if (key === 'access_mode' && value?.type === 'string' && /^read_only$/i.test(value.value ?? '')) return true;
  }
  return false;
}

function isSupersetFile(file: string, root: string): boolean {
  return path.basename(file).startsWith('superset_config') || path.relative(root, file).split(/[\\/]/).some((s) => s.toLowerCase().includes('superset'));
}

export const pythonSupersetDuckdbReadonly: Rule = {
  id: 'python-superset-duckdb-readonly',
  meta: {
    description: 'A DuckDB SQLAlchemy URI in Superset configuration opens the database read-only (?access_mode=read_only).',
    defaultSeverity: 'error',
    fixable: true,
    kinds: ['python'],
    messages: {
      notReadOnly: 'Superset opens this DuckDB database read-write; add ?access_mode=read_only so BI never writes the warehouse.',
      mistakenParam:
        '"{{param}}" is not a DuckDB setting: duckdb_engine passes URI parameters to DuckDB as settings, so this connection fails. Use access_mode=read_only.',
    },
  },
  check(ctx) {
    if (!isSupersetFile(ctx.file, ctx.root)) return [];
    const tokens = tokenize(ctx.text);
    const reports: Report[] = [];
    // One answer per statement, so a statement full of URIs is read once.
    const readOnlyByStatement = new Map<number, boolean>();
    const opensReadOnly = (index: number): boolean => {
      const statement = tokens[index].statement;
      let found = readOnlyByStatement.get(statement);
      if (found === undefined) readOnlyByStatement.set(statement, (found = statementOpensReadOnly(tokens, index)));
      return found;
    };
    tokens.forEach((token, index) => {
      const uri = token.type === 'string' ? token.value : undefined;
      if (uri === undefined || token.contentStart === undefined || token.contentEnd === undefined || !/^duckdb:\/\//i.test(uri)) return;
      if (/^duckdb:\/\/\/?(?::memory:)?(?:\?|$)/i.test(uri)) return;
      // Superset's own metadata database must be writable; only analytics connections are judged.
      if (assignmentOf(tokens, index)?.target === 'SQLALCHEMY_DATABASE_URI') return;
      const raw = ctx.text.slice(token.contentStart, token.contentEnd);
      const q = raw.indexOf('?');
      const params = q < 0 ? [] : raw.slice(q + 1).split('&');
      if (params.some((p) => READ_ONLY_PARAM.test(p))) return;
      const mistaken = params.find((p) => MISTAKEN_PARAM.test(p));
      if (mistaken !== undefined) {
        let offset = token.contentStart + q + 1;
        for (const p of params) {
          if (p === mistaken) break;
          offset += p.length + 1;
        }
        reports.push({
          messageId: 'mistakenParam',
          data: { param: mistaken },
          start: offset,
          end: offset + mistaken.length,
          fix: { title: 'Use access_mode=read_only', edits: [{ start: offset, end: offset + mistaken.length, text: 'access_mode=read_only' }] },
        });
        return;
      }
      if (opensReadOnly(index)) return;
      const suffix = `${q < 0 ? '?' : raw.endsWith('&') || raw.endsWith('?') ? '' : '&'}access_mode=read_only`;
      reports.push({
        messageId: 'notReadOnly',
        start: token.start,
        end: token.end,
        fix: { title: 'Open read-only with ?access_mode=read_only', edits: [{ start: token.contentEnd, end: token.contentEnd, text: suffix }] },
      });
    });
    return reports;
  },
};
