import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { range, walkPairs } from '../dbt/yaml-walk';

function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && (node.value === null || node.value === '')) || (isMap(node) && node.items.length === 0);
}

/** A tag_concurrency_limits list with an entry of limit 1 (or 0): runs with that tag go one at a time. */
function serializesTaggedRuns(limits: unknown): boolean {
  return isSeq(limits) && limits.items.some((item) => {
    const limit = isMap(item) ? item.get('limit', true) : undefined;
    return isScalar(limit) && typeof limit.value === 'number' && limit.value <= 1;
  });
}

export const dagsterYamlSequentialRuns: Rule = {
  id: 'dagster-yaml-sequential-runs',
  meta: {
    description: 'dagster.yaml runs DuckDB writes one at a time: max_concurrent_runs 1 (or a tag concurrency limit of 1) and no multiprocess executor.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dagsterYaml'],
    messages: {
      concurrentRuns: 'max_concurrent_runs {{value}} lets runs write DuckDB at the same time; DuckDB allows one writer. Use 1.',
      multiprocess: 'The multiprocess executor runs steps in parallel, but DuckDB allows one writer; use in_process.',
      maxConcurrent: 'max_concurrent {{value}} runs steps in parallel, but DuckDB allows one writer. Use 1.',
    },
  },
  check(ctx) {
    if (!ctx.yaml) return [];
    const reports: Report[] = [];
    const setToOne = (value: Node): Report['fix'] => {
      const [start, end] = range(value);
      return { title: 'Run one at a time', edits: [{ start, end, text: '1' }] };
    };
    for (const { keys, key, value, parent } of walkPairs(ctx.yaml.contents)) {
      const keyName = String(key.value);
      if (keyName === 'max_concurrent_runs' && isScalar(value) && typeof value.value === 'number' && value.value !== 1) {
        // Runs tagged as DuckDB writers are queued one at a time whatever the overall limit.
        if (serializesTaggedRuns(parent.get('tag_concurrency_limits', true))) continue;
        const [start, end] = range(value);
        reports.push({ messageId: 'concurrentRuns', data: { value: value.value }, start, end, fix: setToOne(value) });
      } else if (keyName === 'multiprocess' && keys.includes('execution')) {
        const max = isMap(value) ? walkPairs(value).find((p) => String(p.key.value) === 'max_concurrent') : undefined;
        if (max && isScalar(max.value) && typeof max.value.value === 'number') {
          if (max.value.value === 1) continue;
          const [start, end] = range(max.value);
          reports.push({ messageId: 'maxConcurrent', data: { value: max.value.value }, start, end, fix: setToOne(max.value) });
        } else {
          const [start, end] = range(key);
          // Only an unconfigured executor can be renamed: in_process takes none of multiprocess's options.
          const fix: Report['fix'] = isEmpty(value) ? { title: 'Use the in_process executor', edits: [{ start, end, text: 'in_process' }] } : undefined;
          reports.push({ messageId: 'multiprocess', start, end, fix });
        }
      }
    }
    return reports;
  },
};
