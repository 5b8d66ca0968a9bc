import * as path from 'node:path';
import type { Report, Rule, TextEdit } from '../../lint/types';
import { addImportOs } from './imports';
import { callOf, isWholeValue, tokenize, type Token } from './tokens';

/** Names of secrets: the last word decides ("DB_PASSWORD", "SECRET_KEY", "CUBEJS_API_SECRET"; not "TOKEN_URL"). */
export const CREDENTIAL_NAME = /(?:^|_)(?:password|passwd|pwd|pass|secret|secret_key|token|api_key|apikey|access_key|private_key)$/i;

const ENV_GETS = /(?:^|\.)(?:getenv|environ\.get)$/;

function isLiteralSecret(token: Token | undefined): token is Token {
  return token?.type === 'string' && token.value !== undefined && token.value !== '' && !(token.prefix ?? '').includes('f');
}

export const pythonDefaultCredential: Rule = {
  id: 'python-default-credential',
  meta: {
    description: 'A secret in Python code comes from the environment with no literal default.',
    defaultSeverity: 'error',
    fixable: true,
    // cube.py is a Cube file; its secrets follow the same rule.
    kinds: ['python', 'cube'],
    messages: {
      defaultCredential: '{{name}} falls back to a literal secret when unset; require it from the environment instead.',
      literalCredential: '{{name}} is a literal secret; read it from the environment.',
    },
  },
  check(ctx) {
    if (!ctx.file.endsWith('.py')) return [];
    const tokens = tokenize(ctx.text);
    const reports: Report[] = [];
    const superset = path.basename(ctx.file).startsWith('superset_config');
    // Computed once, when a fix first needs it: every fix adds the same import.
    let importEdit: TextEdit | undefined | null = null;
    const importOs = (): TextEdit | undefined => (importEdit === null ? (importEdit = addImportOs(ctx.text, tokens)) : importEdit);
    tokens.forEach((token, index) => {
      if (!isLiteralSecret(token)) return;
      const call = callOf(tokens, index);
      if (call && ENV_GETS.test(call.callee) && (call.keyword === 'default' || (call.keyword === undefined && call.item === 1))) {
        const nameToken = tokens[call.open + 1];
        if (nameToken?.type !== 'string' || !nameToken.value || !CREDENTIAL_NAME.test(nameToken.value) || tokens[call.open + 2]?.text !== ',') return;
        const close = tokens[call.open].closer ?? index;
        const edit = importOs();
        reports.push({
          messageId: 'defaultCredential',
          data: { name: nameToken.value },
          start: token.start,
          end: token.end,
          fix: {
            title: `Require ${nameToken.value} from the environment`,
            edits: [...(edit ? [edit] : []), { start: tokens[call.calleeFirst].start, end: tokens[close].end, text: `os.environ[${nameToken.text}]` }],
          },
        });
        return;
      }
      const whole = isWholeValue(tokens, index);
      if (!whole || !CREDENTIAL_NAME.test(whole.target)) return;
      // Superset documents its SECRET_KEY as the SUPERSET_SECRET_KEY variable.
      const variable = superset && whole.target === 'SECRET_KEY' ? 'SUPERSET_SECRET_KEY' : whole.target.toUpperCase();
      const edit = importOs();
      reports.push({
        messageId: 'literalCredential',
        data: { name: whole.target },
        start: token.start,
        end: token.end,
        fix: {
          title: `Read ${variable} from the environment`,
          edits: [...(edit ? [edit] : []), { start: token.start, end: token.end, text: `os.environ["${variable}"]` }],
        },
      });
    });
    return reports;
  },
};
