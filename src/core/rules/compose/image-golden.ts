import { tagMatchesGolden, tagNumericVersion } from '../../golden/match';
import type { Report, Rule } from '../../lint/types';
import { replaceInImage, serviceImages, tagFor } from './image';
import { range } from './shared';

const NUMERIC = /^v?(\d+(?:\.\d+)*)/;

export const composeImageGolden: Rule = {
  id: 'compose-image-golden',
  meta: {
    description: 'An image tag differs from the version pinned in golden_versions.md.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: { drift: 'Image {{image}}:{{tag}} differs from the golden version {{golden}} ({{tool}} in golden_versions.md).' },
  },
  check(ctx) {
    const reports: Report[] = [];
    for (const image of serviceImages(ctx)) {
      if (image.tag === undefined || image.digest !== undefined) continue;
      const entry = ctx.golden.lookup(image.name);
      // The same verdict as the hover's: a more precise tag of the golden version ("3.11.9-slim" for "3.11") agrees.
      if (!entry || tagMatchesGolden(image.tag, entry.version) !== false) continue;
      const goldenVersion = tagNumericVersion(entry.version);
      const versionInTag = NUMERIC.exec(image.tag)?.[0];
      if (goldenVersion === undefined || versionInTag === undefined) continue;
      const newVersion = versionInTag.startsWith('v') ? `v${goldenVersion}` : tagFor(image, goldenVersion);
      const newTag = newVersion + image.tag.slice(versionInTag.length);
      const [start, end] = range(image.node);
      const report: Report = { messageId: 'drift', data: { image: image.name, tag: image.tag, golden: entry.version, tool: entry.tool }, start, end };
      const edit = replaceInImage(ctx, image, image.tag, newTag);
      if (edit) report.fix = { title: `Use the golden tag ${newTag}`, edits: [edit] };
      reports.push(report);
    }
    return reports;
  },
};
