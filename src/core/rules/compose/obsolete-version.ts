import { isMap, isNode } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { getPair, wholeLines } from '../../yaml/ast';
import { range } from './shared';

export const composeObsoleteVersion: Rule = {
  id: 'compose-obsolete-version',
  meta: {
    description: 'The top-level `version:` key is obsolete in the compose specification and ignored by docker compose v2.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: { obsolete: 'The `version` key is obsolete; docker compose ignores it. Remove it.' },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc || !isMap(doc.contents)) return [];
    const pair = getPair(doc, doc.contents, 'version');
    // Only the document's own key: a `version` brought in by a merge key is not this file's to remove.
    if (!pair || !(doc.contents.items as unknown[]).includes(pair)) return [];
    const [start] = range(pair.key);
    const valueEnd = isNode(pair.value) ? range(pair.value)[1] : range(pair.key)[1];
    const [lineStart, lineEnd] = wholeLines(ctx.text, start, valueEnd);
    const report: Report = { messageId: 'obsolete', start, end: range(pair.key)[1] };
    // Removing whole lines is right for block style only; a flow document keeps its one line.
    if (!doc.contents.flow) report.fix = { title: 'Remove the version key', edits: [{ start: lineStart, end: lineEnd, text: '' }] };
    return [report];
  },
};
