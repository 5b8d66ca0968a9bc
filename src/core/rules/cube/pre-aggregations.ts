import { isMap, isSeq } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { range, walkPairs } from '../dbt/yaml-walk';
import { tokenizeJs } from './js-tokens';

export const cubePreAggregations: Rule = {
  id: 'cube-pre-aggregations',
  meta: {
    description: 'Cube models define no pre-aggregations in Phase 1.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['cube'],
    messages: {
      preAggregations: 'Pre-aggregations are out of scope in Phase 1 (the guide: none); remove them.',
    },
  },
  check(ctx) {
    if (ctx.yaml) {
      return walkPairs(ctx.yaml.contents)
        .filter(({ key, value }) => /^(?:pre_aggregations|preAggregations)$/.test(String(key.value)) && (isSeq(value) || isMap(value)) && value.items.length > 0)
        .map(({ key }) => {
          const [start, end] = range(key);
          return { messageId: 'preAggregations', start, end };
        });
    }
    if (!/\.[cm]?[jt]s$/i.test(ctx.file)) return [];
    const tokens = tokenizeJs(ctx.text);
    const reports: Report[] = [];
    tokens.forEach((token, i) => {
      if (token.type !== 'name' || token.text !== 'preAggregations' || tokens[i + 1]?.text !== ':') return;
      // An empty object is the same as none.
      if (tokens[i + 2]?.text === '{' && tokens[i + 3]?.text === '}') return;
      reports.push({ messageId: 'preAggregations', start: token.start, end: token.end });
    });
    return reports;
  },
};
