import type { Rule } from '../../lint/types';
import { parseGoldenVersions } from '../../golden/golden';

export const goldenVersionsUnreadableRow: Rule = {
  id: 'golden-versions-unreadable-row',
  meta: {
    description: 'A golden_versions.md table row whose tool or version cannot be read, so no rule can check against it.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['goldenVersions'],
    messages: { unreadable: '{{problem}}' },
  },
  check(ctx) {
    return parseGoldenVersions(ctx.text, ctx.file).problems.map((p) => ({
      messageId: 'unreadable',
      data: { problem: p.message },
      start: p.start,
      end: p.end,
    }));
  },
};
