import { isMap, isScalar, isSeq, type Scalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { getNode, resolve, scalarText } from '../../yaml/ast';
import { composeServices, range, replaceScalar } from './shared';

const SECRET_KEY = /(PASSWORD|PASSWD|PASS$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;
// Names that hold where a secret is or how it behaves, not the secret itself.
const NOT_A_SECRET = /_(FILE|PATH|DIR|EXPIRY|EXPIRATION|TTL|TIMEOUT|LENGTH|ENABLED|HEADER|NAME|USER|USERNAME|ALGORITHM|URL)$/i;
// ${VAR:-default} or ${VAR-default}: the default is what runs when .env does not set VAR.
const WITH_DEFAULT = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-([\s\S]*)\}$/;

export const composeHardcodedCredential: Rule = {
  id: 'compose-hardcoded-credential',
  meta: {
    description: 'A password, secret, token or API key is written in the compose file (literally or as a variable default); require it from .env instead.',
    defaultSeverity: 'error',
    fixable: true,
    kinds: ['compose'],
    messages: {
      literal: '{{key}} is set to a literal value in the compose file; require it from .env with {{suggestion}}.',
      default: '{{key}} falls back to a default credential when .env does not set {{variable}}; require it with {{suggestion}}.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const reports: Report[] = [];
    const check = (key: string, value: string, node: Scalar, listForm: boolean): void => {
      if (!SECRET_KEY.test(key) || NOT_A_SECRET.test(key) || value === '') return;
      const withDefault = WITH_DEFAULT.exec(value);
      let variable = key;
      let messageId = 'literal';
      if (withDefault) {
        if (withDefault[2] === '') return;
        variable = withDefault[1];
        messageId = 'default';
      } else if (value.includes('$')) {
        return; // ${VAR}, ${VAR:?...}: the value comes from the environment.
      }
      const suggestion = `\${${variable}:?set ${variable} in .env}`;
      const [start, end] = range(node);
      // The fix moves the value into .env first; a default that is itself interpolated cannot be kept as it is.
      const secret = withDefault ? withDefault[2] : value;
      reports.push({
        messageId,
        data: { key, variable, suggestion },
        start,
        end,
        fix: secret.includes('$')
          ? undefined
          : {
              title: `Move ${variable} to .env`,
              edits: [replaceScalar(node, listForm ? `${key}=${suggestion}` : suggestion)],
              secrets: [{ name: variable, value: secret }],
            },
      });
    };
    for (const service of composeServices(ctx)) {
      const env = getNode(doc, service.map, 'environment');
      if (isMap(env)) {
        for (const item of env.items) {
          const value = resolve(doc, item.value);
          const text = scalarText(value);
          if (isScalar(item.key) && isScalar(value) && text !== undefined && typeof value.value !== 'boolean') check(String(item.key.value), text, value, false);
        }
      } else if (isSeq(env)) {
        for (const item of env.items) {
          const node = resolve(doc, item);
          const text = scalarText(node);
          const eq = text?.indexOf('=') ?? -1;
          if (isScalar(node) && text !== undefined && eq > 0) check(text.slice(0, eq), text.slice(eq + 1), node, true);
        }
      }
    }
    return reports;
  },
};
