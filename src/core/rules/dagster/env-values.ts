import { isScalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { CREDENTIAL_NAME } from '../python/default-credential';
import { envName } from '../dbt/jinja';
import { range, walkPairs } from '../dbt/yaml-walk';

const HOST_KEYS = /^(?:hostname|host)$/;
/** Connection URLs carry user, password and host in one string. */
const URL_KEYS = /^(?:postgres_url|mysql_url)$/;

/** DAGSTER_POSTGRES_PASSWORD for storage.postgres.postgres_db.password, DAGSTER_<KEY> elsewhere. */
function variableFor(keys: string[]): string {
  const key = envName(keys[keys.length - 1]);
  if (keys.includes('postgres_db') || key.startsWith('POSTGRES_')) return key.startsWith('POSTGRES_') ? `DAGSTER_${key}` : `DAGSTER_POSTGRES_${key}`;
  if (keys.includes('mysql_db') || key.startsWith('MYSQL_')) return key.startsWith('MYSQL_') ? `DAGSTER_${key}` : `DAGSTER_MYSQL_${key}`;
  return `DAGSTER_${key}`;
}

export const dagsterYamlEnvValues: Rule = {
  id: 'dagster-yaml-env-values',
  meta: {
    description: 'dagster.yaml reads passwords, hosts and connection URLs from the environment ({env: VAR}).',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dagsterYaml'],
    messages: {
      literalSecret: 'Literal {{key}} in dagster.yaml; use {env: {{name}}} and set it in .env.',
      literalHost: 'Literal {{key}} "{{value}}" in dagster.yaml; use {env: {{name}}} so each deployment sets its own.',
    },
  },
  check(ctx) {
    if (!ctx.yaml) return [];
    const reports: Report[] = [];
    for (const { keys, key, value } of walkPairs(ctx.yaml.contents)) {
      const keyName = String(key.value);
      const secret = CREDENTIAL_NAME.test(keyName) || URL_KEYS.test(keyName);
      if (!(secret || HOST_KEYS.test(keyName)) || !isScalar(value) || typeof value.value !== 'string' || value.value === '') continue;
      const name = variableFor(keys);
      const [start, end] = range(value);
      reports.push({
        messageId: secret ? 'literalSecret' : 'literalHost',
        // Secret values stay out of messages.
        data: secret ? { key: keyName, name } : { key: keyName, name, value: value.value },
        start,
        end,
        fix: { title: `Read ${name} from the environment`, edits: [{ start, end, text: `{ env: ${name} }` }] },
      });
    }
    return reports;
  },
};
