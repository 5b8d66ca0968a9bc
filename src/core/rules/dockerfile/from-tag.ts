import type { Fix, Report, Rule } from '../../lint/types';
import { isMovingTag } from '../moving-tag';
import { parseFroms } from './from';

export const dockerfileFromTag: Rule = {
  id: 'dockerfile-from-tag',
  meta: {
    description: 'A FROM image needs a fixed version tag, not none or a moving tag like latest.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dockerfile'],
    messages: {
      noTag: 'FROM {{image}} has no tag, so every build may get a different image.',
      movingTag: 'FROM {{image}} uses the moving tag "{{tag}}"; pin a version.',
    },
  },
  check(ctx) {
    const reports: Report[] = [];
    for (const from of parseFroms(ctx.text)) {
      const { image } = from;
      if (from.isStage || image.resolved === undefined || image.name === 'scratch' || image.digest !== undefined) continue;
      // lookup() matches package families ("postgres-exporter" → postgres); a tag comes only from the image's own row.
      const entry = ctx.golden.lookup(image.name);
      const golden = entry?.names.includes(image.name) ? entry : undefined;
      if (image.tag === undefined) {
        const fix: Fix | undefined =
          golden && !image.raw.includes('$')
            ? { title: `Use ${image.raw}:${golden.version}`, edits: [{ start: image.end, end: image.end, text: `:${golden.version}` }] }
            : undefined;
        reports.push({ messageId: 'noTag', data: { image: image.raw }, start: image.start, end: image.end, fix });
      } else if (isMovingTag(image.tag)) {
        const fix: Fix | undefined =
          golden && image.tagStart !== undefined && image.tagEnd !== undefined
            ? { title: `Use the golden tag ${golden.version}`, edits: [{ start: image.tagStart, end: image.tagEnd, text: golden.version }] }
            : undefined;
        reports.push({ messageId: 'movingTag', data: { image: image.raw, tag: image.tag }, start: image.start, end: image.end, fix });
      }
    }
    return reports;
  },
};
