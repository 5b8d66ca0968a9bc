import { tagMatchesGolden, tagNumericVersion } from '../../golden/match';
import { compareTags } from '../../versions/compare';
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
    messages: {
      drift: 'Image {{image}}:{{tag}} differs from the golden version {{golden}} ({{tool}} in golden_versions.md).',
      ahead: 'Image {{image}}:{{tag}} is newer than the golden version {{golden}} ({{tool}} in golden_versions.md). The guide never downgrades: once tested, raise the row (duckstack upgrade "{{tool}}" <version>).',
    },
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
      const data = { image: image.name, tag: image.tag, golden: entry.version, tool: entry.tool };
      const [start, end] = range(image.node);
      // A fix to the golden tag would be a downgrade, which the guide forbids: say so, offer no fix.
      if ((compareTags(versionInTag, goldenVersion) ?? 0) > 0) {
        reports.push({ messageId: 'ahead', data, start, end });
        continue;
      }
      const newVersion = versionInTag.startsWith('v') ? `v${goldenVersion}` : tagFor(image, goldenVersion);
      const newTag = newVersion + image.tag.slice(versionInTag.length);
      const report: Report = { messageId: 'drift', data, start, end };
      const edit = replaceInImage(ctx, image, image.tag, newTag);
      if (edit) report.fix = { title: `Use the golden tag ${newTag}`, edits: [edit] };
      reports.push(report);
    }
    return reports;
  },
};
