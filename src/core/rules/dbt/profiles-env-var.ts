import { isScalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { CREDENTIAL_NAME } from '../python/default-credential';
import { envName, envVarScalar, usesJinja } from './jinja';
import { dbtProfiles, deref, range, stringValue, walkPairs } from './yaml-walk';

/** `{{ env_var('NAME', 'default') }}` as the whole value: the name and the default. */
const ENV_VAR_DEFAULT = /^\s*\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]*)['"]\s*\)\s*(?:\|[^}]*)?\}\}\s*$/;

/** Paths that name no file: in-memory databases and MotherDuck. */
function isFilePath(value: string): boolean {
  return value !== ':memory:' && !/^md:|^motherduck:/i.test(value);
}

export const dbtProfilesEnvVar: Rule = {
  id: 'dbt-profiles-env-var',
  meta: {
    description: "profiles.yml reads database paths and credentials with {{ env_var(...) }}, not literals.",
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dbtProfiles'],
    messages: {
      literalPath: 'Literal path "{{value}}" in target {{target}}: use {{ env_var(\'{{name}}\', ...) }} so each machine sets its own.',
      literalCredential: 'Literal {{key}} in target {{target}}: read it with {{ env_var(\'{{name}}\') }}.',
      defaultCredential: 'The {{key}} of target {{target}} falls back to a literal when {{name}} is unset; read it with {{ env_var(\'{{name}}\') }} and no default.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const reports: Report[] = [];
    for (const { outputs } of dbtProfiles(doc)) {
      if (!outputs) continue;
      for (const target of outputs.items) {
        if (!isScalar(target.key)) continue;
        const targetName = String(target.key.value);
        for (const { keys, key, value, parent } of walkPairs(deref(doc, target.value), [targetName])) {
          const text = stringValue(value);
          if (text === undefined || !isScalar(value)) continue;
          const keyName = String(key.value);
          const [start, end] = range(value);
          if (usesJinja(text)) {
            // env_var('DBT_PASSWORD', 'postgres'): the default is the password wherever the variable is unset.
            const withDefault = CREDENTIAL_NAME.test(keyName) ? ENV_VAR_DEFAULT.exec(text) : null;
            if (withDefault && withDefault[2] !== '') {
              const scalar = envVarScalar(withDefault[1]);
              reports.push({
                messageId: 'defaultCredential',
                data: { key: keyName, target: targetName, name: withDefault[1] },
                start,
                end,
                fix: scalar ? { title: `Require ${withDefault[1]} without a default`, edits: [{ start, end, text: scalar }] } : undefined,
              });
            }
            continue;
          }
          if (keyName === 'path' && isFilePath(text)) {
            // An attached database is named by its alias; the main one by the target (guide: DUCKDB_DEV_PATH).
            const alias = keys.includes('attach') ? stringValue(parent.get('alias', true)) : undefined;
            const name = `DUCKDB_${envName(alias ?? targetName)}_PATH`;
            const scalar = envVarScalar(name, text);
            reports.push({
              messageId: 'literalPath',
              data: { value: text, target: targetName, name },
              start,
              end,
              fix: scalar ? { title: `Read ${name} with env_var`, edits: [{ start, end, text: scalar }] } : undefined,
            });
          } else if (CREDENTIAL_NAME.test(keyName) && text !== '') {
            const name = /^motherduck_token$/i.test(keyName) ? 'MOTHERDUCK_TOKEN' : `DBT_${envName(targetName)}_${envName(keyName)}`;
            reports.push({
              messageId: 'literalCredential',
              data: { key: keyName, target: targetName, name },
              start,
              end,
              fix: { title: `Read ${name} with env_var`, edits: [{ start, end, text: envVarScalar(name) ?? '' }] },
            });
          }
        }
      }
    }
    return reports;
  },
};
