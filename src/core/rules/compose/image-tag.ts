import type { Report, Rule } from '../../lint/types';
import { addTag, replaceInImage, serviceImages, tagFor } from './image';
import { isMovingTag } from '../moving-tag';
import { range } from './shared';

export const composeImageTag: Rule = {
  id: 'compose-image-tag',
  meta: {
    description: 'An image without a tag or with a moving tag (latest, stable…) changes under you; pin a version (the golden one when known).',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: {
      noTag: 'Image {{image}} has no tag, so it means :latest and changes under you; pin a version{{golden}}.',
      moving: 'Image {{image}} uses the moving tag "{{tag}}"; pin a version{{golden}}.',
    },
  },
  check(ctx) {
    const reports: Report[] = [];
    for (const image of serviceImages(ctx)) {
      if (image.digest !== undefined) continue;
      const moving = image.tag === undefined || isMovingTag(image.tag);
      if (!moving) continue;
      const entry = ctx.golden.lookup(image.name);
      const golden = entry ? tagFor(image, entry.version) : undefined;
      const [start, end] = range(image.node);
      const report: Report = {
        messageId: image.tag === undefined ? 'noTag' : 'moving',
        data: { image: image.name, tag: image.tag ?? '', golden: golden ? ` (golden_versions.md: ${golden})` : '' },
        start,
        end,
      };
      if (golden) {
        const edit = image.tag === undefined ? addTag(ctx, image, golden) : replaceInImage(ctx, image, image.tag, golden);
        if (edit) report.fix = { title: `Use the golden tag ${golden}`, edits: [edit] };
      }
      reports.push(report);
    }
    return reports;
  },
};
