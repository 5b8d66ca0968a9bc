import { isMap, isScalar } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { isAbsolutePath } from '../python/hardcoded-path';
import { envName, envVarScalar, usesJinja } from './jinja';
import { deref, range, stringValue, walkPairs } from './yaml-walk';

export const dbtProjectVarPath: Rule = {
  id: 'dbt-project-var-path',
  meta: {
    description: "dbt_project.yml vars hold no absolute paths; they come from {{ env_var(...) }}.",
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dbtProject'],
    messages: {
      absolutePath: 'var {{key}} holds the absolute path "{{value}}", which exists on one machine only; use {{ env_var(\'{{name}}\', ...) }}.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc || !isMap(doc.contents)) return [];
    const vars = deref(doc, doc.contents.get('vars', true));
    const reports: Report[] = [];
    for (const { key, value } of walkPairs(vars)) {
      const text = stringValue(value);
      if (text === undefined || !isScalar(value) || usesJinja(text) || !isAbsolutePath(text)) continue;
      const keyName = String(key.value);
      const name = envName(keyName);
      const [start, end] = range(value);
      const scalar = envVarScalar(name, text);
      reports.push({
        messageId: 'absolutePath',
        data: { key: keyName, value: text, name },
        start,
        end,
        fix: scalar ? { title: `Read ${name} with env_var`, edits: [{ start, end, text: scalar }] } : undefined,
      });
    }
    return reports;
  },
};
