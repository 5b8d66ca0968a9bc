// writeScaffold: all or nothing. Each file is written with the one atomic write (a temporary file
// in its folder, flushed, then linked to its name: an existing file is never replaced). Any
// failure removes every file and folder this run created, so nothing at all is left behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeWriteError, writeFileAtomic } from '../fs/atomic';
import { findConflicts, type ScaffoldPlan } from './plan';

export type WriteResult =
  | { ok: true; written: string[] }
  | { ok: false; message: string; conflicts: string[] };

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
  const written: string[] = [];
  try {
    const mkdirs = (d: string): void => {
      const first = fs.mkdirSync(d, { recursive: true });
      if (first === undefined) return;
      // mkdirSync returns the first folder it made; record every one from there down.
      for (let p = d; p.length >= first.length; p = path.dirname(p)) createdDirs.push(p);
    };
    mkdirs(target);
    for (const file of plan.files) {
      const final = path.join(target, ...file.path.split('/'));
      mkdirs(path.dirname(final));
      await writeFileAtomic(final, file.content, { exclusive: true, mode: file.executable ? 0o755 : 0o644 });
      written.push(final);
    }
    return { ok: true, written: plan.files.map((f) => f.path) };
  } catch (e) {
    for (const f of written) fs.rmSync(f, { force: true });
    // Deepest first; a folder is removed only when this run made it and it is empty.
    for (const d of [...new Set(createdDirs)].sort((a, b) => b.length - a.length)) {
      try {
        fs.rmdirSync(d);
      } catch {
        // not empty (something else wrote there meanwhile) or already gone: leave it
      }
    }
    // link() names the new name as `dest`; the atomic write's own check names it as `path`.
    const err = e as NodeJS.ErrnoException & { dest?: string };
    const what = err.code === 'EEXIST' ? `a file appeared while writing (${err.dest ?? err.path ?? ''})` : describeWriteError(e);
    return { ok: false, message: `Nothing was written to ${target}: ${what}.`, conflicts: [] };
  }
}
