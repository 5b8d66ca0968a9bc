// golden-versions-downgrade: a golden_versions.md row, or a pin in compose, a Dockerfile,
// requirements, pyproject.toml or package.json, is lower than in HEAD (or in the merge base with
// the default branch). Off without git. Versions are ordered per ecosystem (src/core/versions).
import { goldenVersionRange, findPins, pinKey, type Pin } from '../pins';
import { parseGoldenVersions } from '../../golden/golden';
import { relativePath } from '../../git/baseline';
import type { Report, Rule, RuleContext } from '../../lint/types';
import type { GitBaseline } from '../../git/baseline';
import { compareGolden, compareVersions } from '../../versions/compare';

export const NEVER_DOWNGRADE = 'the platform guide says NEVER downgrade to fix issues';

function goldenReports(ctx: RuleContext, git: GitBaseline, rel: string): Report[] {
  const current = parseGoldenVersions(ctx.text, ctx.file).golden.entries;
  const reports: Report[] = [];
  for (const entry of current) {
    for (let ref = 0; ref < git.refs.length; ref++) {
      const text = git.textAt(ref, rel);
      if (text === undefined) continue;
      const before = parseGoldenVersions(text, ctx.file).golden.entries.find((e) => e.tool.toLowerCase() === entry.tool.toLowerCase());
      if (!before || (compareGolden(entry.version, before.version) ?? 0) >= 0) continue;
      const range = goldenVersionRange(ctx.text, entry);
      if (!range) break;
      reports.push({
        messageId: 'golden',
        data: { tool: entry.tool, version: entry.version, before: before.version, ref: git.refs[ref].label, guide: NEVER_DOWNGRADE },
        ...range,
      });
      break;
    }
  }
  return reports;
}

function byKey(pins: Pin[]): Map<string, Pin[]> {
  const map = new Map<string, Pin[]>();
  for (const pin of pins) map.set(pinKey(pin), [...(map.get(pinKey(pin)) ?? []), pin]);
  return map;
}

function pinReports(ctx: RuleContext, git: GitBaseline, rel: string): Report[] {
  const current = byKey(findPins(ctx.text, ctx.kind));
  const reports: Report[] = [];
  const reported = new Set<Pin>();
  for (let ref = 0; ref < git.refs.length; ref++) {
    const text = git.textAt(ref, rel);
    if (text === undefined) continue;
    const before = byKey(findPins(text, ctx.kind));
    for (const [key, pins] of current) {
      // The n-th pin of a package or image is compared with its n-th pin before (several FROM python stages).
      pins.forEach((pin, i) => {
        const old = before.get(key)?.[i];
        if (!old || reported.has(pin) || (compareVersions(pin.version, old.version, pin.ecosystem) ?? 0) >= 0) return;
        reported.add(pin);
        reports.push({
          messageId: 'pin',
          data: { name: pin.name, version: pin.version, before: old.version, ref: git.refs[ref].label, guide: NEVER_DOWNGRADE },
          start: pin.start,
          end: pin.end,
        });
      });
    }
  }
  return reports.sort((a, b) => a.start - b.start);
}

export const goldenVersionsDowngrade: Rule = {
  id: 'golden-versions-downgrade',
  meta: {
    description: 'A golden_versions.md row or a pinned image, base image or package is lower than in HEAD (or the merge base with the default branch).',
    defaultSeverity: 'error',
    fixable: false,
    kinds: ['goldenVersions', 'compose', 'dockerfile', 'requirements', 'pyproject', 'packageJson'],
    messages: {
      golden: '{{tool}} goes down to {{version}} from {{before}} in {{ref}}: {{guide}}.',
      pin: '{{name}} goes down to {{version}} from {{before}} in {{ref}}: {{guide}}.',
    },
  },
  check(ctx) {
    const git = ctx.project.git;
    if (!git) return [];
    const rel = relativePath(ctx.root, ctx.file);
    return ctx.kind === 'goldenVersions' ? goldenReports(ctx, git, rel) : pinReports(ctx, git, rel);
  },
};
