// The impact engine's API: the platform now (the working tree) against a git ref, by default the
// last tag, else the upstream branch, else HEAD.
import { findRepository, lastTag, upstream } from '../git/git';
import { compareSnapshots, type ImpactReport } from './impact';
import { gitSnapshot, workingSnapshot } from './snapshot';

export { compareSnapshots, CATEGORY_TITLES, NEVER_DOWNGRADE_QUOTE, type ImpactCategory, type ImpactItem, type ImpactReport, type ImpactSeverity } from './impact';
export { formatJson, formatMarkdown, summary } from './format';
export { gitSnapshot, isPlatformFile, workingSnapshot, type Snapshot } from './snapshot';

export type ImpactResult = { ok: true; report: ImpactReport; since: string } | { ok: false; message: string };

/** The ref impact compares with when none is given: the last tag, else the upstream branch, else HEAD. */
export async function defaultSince(root: string): Promise<string | undefined> {
  const repo = await findRepository(root);
  if (!repo) return undefined;
  return (await lastTag(repo)) ?? (await upstream(repo)) ?? 'HEAD';
}

export async function impactSince(root: string, since?: string): Promise<ImpactResult> {
  const ref = since ?? (await defaultSince(root));
  if (ref === undefined) return { ok: false, message: `${root} is not in a git repository (or git is not installed): impact compares the platform with a git ref` };
  const before = await gitSnapshot(root, ref);
  if (!before.ok) return before;
  return { ok: true, since: ref, report: compareSnapshots(before.snapshot, workingSnapshot(root)) };
}
