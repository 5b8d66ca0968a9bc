import type { Report, Rule } from '../../lint/types';
import { range, stringValue, walkPairs } from './yaml-walk';

function replaceWithTable(start: number, end: number): Report['fix'] {
  return { title: "Materialize as 'table'", edits: [{ start, end, text: 'table' }] };
}

/** Whether offset is inside a `{{ }}` or `{% %}` Jinja block (and not a `{# #}` comment). */
function insideJinja(text: string, offset: number): boolean {
  const before = text.slice(Math.max(0, offset - 2000), offset);
  const open = Math.max(before.lastIndexOf('{{'), before.lastIndexOf('{%'));
  const close = Math.max(before.lastIndexOf('}}'), before.lastIndexOf('%}'));
  const inComment = before.lastIndexOf('{#') > before.lastIndexOf('#}');
  return open > close && !inComment;
}

/** `materialized='incremental'` / `"materialized": "incremental"` in a model's SQL config() calls. */
function sqlReports(text: string): Report[] {
  const reports: Report[] = [];
  for (let at = text.indexOf('materialized'); at >= 0; at = text.indexOf('materialized', at + 1)) {
    let i = at + 'materialized'.length;
    if (text[i] === '"' || text[i] === "'") i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] !== '=' && text[i] !== ':') continue;
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") continue;
    if (!text.startsWith(`incremental${quote}`, i + 1) || !insideJinja(text, at)) continue;
    const close = i + 1 + 'incremental'.length;
    reports.push({ messageId: 'incremental', start: i + 1, end: close, fix: replaceWithTable(i + 1, close) });
  }
  return reports;
}

export const dbtNoIncremental: Rule = {
  id: 'dbt-no-incremental',
  meta: {
    description: 'No incremental models in Phase 1: models are materialized as views or tables.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dbtModel', 'dbtProject'],
    messages: {
      incremental: "Incremental materialization is not allowed in Phase 1; use 'table'.",
    },
  },
  check(ctx) {
    if (ctx.kind === 'dbtModel' && !/\.ya?ml$/i.test(ctx.file)) return sqlReports(ctx.text);
    if (!ctx.yaml) return [];
    return walkPairs(ctx.yaml.contents)
      .filter(({ key, value }) => /^\+?materialized$/.test(String(key.value)) && stringValue(value) === 'incremental')
      .map(({ value }) => {
        const [start] = range(value as NonNullable<typeof value>);
        // Only the word changes, so quotes around it stay.
        const word = ctx.text.indexOf('incremental', start);
        return { messageId: 'incremental', start: word, end: word + 'incremental'.length, fix: replaceWithTable(word, word + 'incremental'.length) };
      })
      .filter((r) => r.start >= 0 && r.end <= ctx.text.length);
  },
};
