import type { Report, Rule } from '../../lint/types';
import { tokenize } from './tokens';

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
    },
  },
  check(ctx) {
    const tokens = tokenize(ctx.text);
    const reports: Report[] = [];
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
