import { isMap, isScalar, type Document, type Scalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { dbtProfiles, deref, range, stringValue } from './yaml-walk';

const REQUIRED_TARGETS = ['dev', 'test', 'prod'];

/** `{{ env_var('NAME') }}` or `{{ env_var('NAME', 'default') }}` as the whole value: the variable's name. */
const ENV_VAR_ONLY = /^\s*\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"][^'"]*['"]\s*)?\)\s*\}\}\s*$/;

/**
 * Which DuckDB database a target writes, as far as the file says: the file (an env_var's name, whatever
 * its default, since one machine sets it once for every target) and the schema. Undefined for targets
 * that share nothing by construction: other adapters, in-memory databases, MotherDuck.
 */
function databaseOf(doc: Document.Parsed, target: unknown): string | undefined {
  const map = deref(doc, target);
  if (!isMap(map)) return undefined;
  const type = stringValue(map.get('type', true));
  const path = stringValue(map.get('path', true));
  if (type !== 'duckdb' || path === undefined || path === ':memory:' || /^(md|motherduck):/i.test(path)) return undefined;
  const file = ENV_VAR_ONLY.exec(path)?.[1];
  const where = file !== undefined ? `env_var ${file}` : path.includes('{{') ? undefined : path.replace(/^\.\//, '');
  if (where === undefined) return undefined;
  const schema = stringValue(map.get('schema', true)) ?? 'main';
  return `${where} (schema ${schema})`;
}

export const dbtProfilesTargets: Rule = {
  id: 'dbt-profiles-targets',
  meta: {
    description: 'Every dbt profile has the three targets dev, test and prod, each writing its own database.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['dbtProfiles'],
    messages: {
      missingTargets: 'Profile {{profile}} has no {{missing}} target (the platform uses dev, test and prod).',
      sharedDatabase: 'Targets {{other}} and {{target}} of profile {{profile}} write the same database, {{database}}: a run against one changes the other. Give each target its own DuckDB file.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const reports: Report[] = [];
    for (const profile of dbtProfiles(doc)) {
      const targets = new Map<string, { key: Scalar; value: unknown }>();
      for (const t of profile.outputs?.items ?? []) if (isScalar(t.key)) targets.set(String(t.key.value), { key: t.key, value: t.value });
      const missing = REQUIRED_TARGETS.filter((t) => !targets.has(t));
      if (missing.length > 0) {
        const [start, end] = range(profile.key);
        reports.push({ messageId: 'missingTargets', data: { profile: profile.name, missing: missing.join(', ') }, start, end });
      }
      const seen = new Map<string, string>();
      for (const name of REQUIRED_TARGETS) {
        const target = targets.get(name);
        const database = target && databaseOf(doc, target.value);
        if (!target || database === undefined) continue;
        const other = seen.get(database);
        if (other === undefined) {
          seen.set(database, name);
          continue;
        }
        const [start, end] = range(target.key);
        reports.push({ messageId: 'sharedDatabase', data: { profile: profile.name, target: name, other, database }, start, end });
      }
    }
    return reports;
  },
};
