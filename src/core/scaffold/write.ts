// writeScaffold: all or nothing. Every file goes to a temporary name in its final folder first;
// only when all are written are they linked to their real names (link never replaces an existing
// file). Any failure removes everything this run created, so no half-written fork is left behind.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findConflicts, type ScaffoldPlan } from './plan';

export type WriteResult =
  | { ok: true; written: string[] }
  | { ok: false; message: string; conflicts: string[] };

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `permission denied (${err.path ?? 'target folder'})`;
  if (err.code === 'EROFS') return 'the file system is read-only';
  if (err.code === 'ENOSPC') return 'no space left on the device';
  return err.message ?? String(e);
}

/** Writes a plan into dir (normally plan.dir). Refuses plans with problems or conflicts. */
export async function writeScaffold(plan: ScaffoldPlan, dir: string = plan.dir): Promise<WriteResult> {
  if (plan.problems.length > 0) return { ok: false, message: plan.problems.join('\n'), conflicts: [] };
  const target = path.resolve(dir);
  // Checked again here: files may have appeared since the plan was made.
  const conflicts = findConflicts(target, plan.files);
  if (conflicts.length > 0) {
    return {
      ok: false,
      message: `Nothing was written: ${conflicts.length} file(s) already exist in ${target} and would be overwritten:\n` +
        conflicts.map((c) => `  ${c}`).join('\n'),
      conflicts,
    };
  }

  const createdDirs: string[] = [];
  const temps: string[] = [];
  const finals: string[] = [];
  const suffix = `.duckstack-tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const mkdirs = (d: string): void => {
      const first = fs.mkdirSync(d, { recursive: true });
      if (first === undefined) return;
      // mkdirSync returns the first folder it made; record every one from there down.
      for (let p = d; p.length >= first.length; p = path.dirname(p)) createdDirs.push(p);
    };
    mkdirs(target);
    const staged: { temp: string; final: string }[] = [];
    for (const file of plan.files) {
      const final = path.join(target, ...file.path.split('/'));
      mkdirs(path.dirname(final));
      const temp = final + suffix;
      await fs.promises.writeFile(temp, file.content, { flag: 'wx', mode: file.executable ? 0o755 : 0o644 });
      temps.push(temp);
      staged.push({ temp, final });
    }
    for (const { temp, final } of staged) {
      await fs.promises.link(temp, final); // fails with EEXIST instead of overwriting
      finals.push(final);
    }
    for (const temp of temps.splice(0)) await fs.promises.unlink(temp);
    return { ok: true, written: plan.files.map((f) => f.path) };
  } catch (e) {
    for (const f of [...temps, ...finals]) fs.rmSync(f, { force: true });
    // Deepest first; a folder is removed only when this run made it and it is empty.
    for (const d of [...new Set(createdDirs)].sort((a, b) => b.length - a.length)) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty or already gone: leave it
      }
    }
    const err = e as NodeJS.ErrnoException & { dest?: string };
    const what = err.code === 'EEXIST' ? `a file appeared while writing (${err.dest ?? err.path ?? ''})` : describe(e);
    return { ok: false, message: `Nothing was written to ${target}: ${what}.`, conflicts: [] };
  }
}
