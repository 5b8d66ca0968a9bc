import type { Report, Rule, TextEdit } from '../../lint/types';
import { tokenize, type Token } from './tokens';

/** The edit that makes `in_process_executor` importable, or none when the file imports it already. */
function importEdit(text: string, tokens: Token[]): TextEdit[] {
  const imported = tokens.some((t) => t.text === 'in_process_executor' && tokens[t.statement]?.text === 'from');
  if (imported) return [];
  // Extend a one-line `from dagster import a, b`; else add an import before the first import.
  const line = /^from dagster import ([^\n(]+?)[ \t]*$/m.exec(text);
  if (line) {
    const end = line.index + line[0].trimEnd().length;
    return [{ start: end, end, text: ', in_process_executor' }];
  }
  const first = /^(?:from|import) /m.exec(text);
  const at = first ? first.index : 0;
  return [{ start: at, end: at, text: 'from dagster import in_process_executor\n' }];
}

/** Inserts `executor=in_process_executor` as the call's first argument, in the call's own layout. */
function executorArgument(text: string, open: Token): TextEdit {
  const after = text.slice(open.end);
  const layout = /^[ \t]*\r?\n([ \t]*)/.exec(after);
  if (layout) return { start: open.end, end: open.end, text: `\n${layout[1]}executor=in_process_executor,` };
  return { start: open.end, end: open.end, text: /^\s*\)/.test(after) ? 'executor=in_process_executor' : 'executor=in_process_executor, ' };
}

export const pythonMultiprocessExecutor: Rule = {
  id: 'python-multiprocess-executor',
  meta: {
    description: "Dagster jobs run DuckDB writes one at a time: in_process_executor, or multiprocess_executor limited to max_concurrent 1.",
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['python'],
    messages: {
      multiprocess: 'multiprocess_executor runs steps in parallel, but DuckDB allows one writer; use in_process_executor.',
      maxConcurrent: 'max_concurrent {{value}} runs DuckDB writes in parallel; DuckDB allows one writer.',
      defaultExecutor: "Definitions without executor= runs jobs on Dagster's default multiprocess executor, but DuckDB allows one writer; pass executor=in_process_executor.",
    },
  },
  check(ctx) {
    const tokens = tokenize(ctx.text);
    const reports: Report[] = [];
    // Jobs that choose their own executor (executor_def=) make the Definitions default moot.
    const jobsChooseExecutor = tokens.some((t) => t.type === 'name' && t.text === 'executor_def');
    tokens.forEach((token, index) => {
      const open = tokens[index + 1];
      if (jobsChooseExecutor || token.type !== 'name' || token.text !== 'Definitions' || open?.text !== '(') return;
      const hasExecutor = tokens.some((t, i) => t.parent === index + 1 && t.text === 'executor' && tokens[i + 1]?.text === '=');
      if (hasExecutor) return;
      reports.push({
        messageId: 'defaultExecutor',
        start: token.start,
        end: token.end,
        fix: { title: 'Pass executor=in_process_executor', edits: [...importEdit(ctx.text, tokens), executorArgument(ctx.text, open)] },
      });
    });
    tokens.forEach((token, index) => {
      if (token.type !== 'name' || token.text !== 'multiprocess_executor') return;
      // multiprocess_executor.configured({"max_concurrent": 1}) is sequential; any other limit is not.
      const open = tokens[index + 1]?.text === '.' && tokens[index + 2]?.text === 'configured' ? index + 3 : -1;
      if (open > 0 && tokens[open]?.text === '(') {
        for (let i = open + 1; i < (tokens[open].closer ?? open); i++) {
          const key = tokens[i].type === 'string' ? tokens[i].value : tokens[i].text;
          const value = tokens[i + 2];
          if (key !== 'max_concurrent' || (tokens[i + 1]?.text !== ':' && tokens[i + 1]?.text !== '=') || value?.type !== 'number') continue;
          if (value.text !== '1') {
            reports.push({
              messageId: 'maxConcurrent',
              data: { value: value.text },
              start: value.start,
              end: value.end,
              fix: { title: 'Run one step at a time', edits: [{ start: value.start, end: value.end, text: '1' }] },
            });
          }
          return;
        }
      }
      reports.push({
        messageId: 'multiprocess',
        start: token.start,
        end: token.end,
        fix: { title: 'Use in_process_executor', edits: [{ start: token.start, end: token.end, text: 'in_process_executor' }] },
      });
    });
    return reports;
  },
};
