// A 3-way merge of one file's text with `git merge-file` (argument arrays, temp files outside the
// fork), so conflicts carry git's standard markers and editors' merge tools recognise them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomic';
import { git } from './git';

export type MergeResult = { ok: true; text: string; conflicts: number } | { ok: false; message: string };

export const MERGE_LABELS = { ours: 'fork', base: 'as generated', theirs: 'template' } as const;

export async function mergeFile(ours: string, base: string, theirs: string): Promise<MergeResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-merge-'));
  try {
    const files = ['ours', 'base', 'theirs'].map((n) => path.join(dir, n));
    // Scratch copies in a private temp folder, still through the one write function.
    await Promise.all([ours, base, theirs].map((text, i) => writeFileAtomic(files[i], text, { exclusive: true })));
    const result = await git(dir, ['merge-file', '-p', '-L', MERGE_LABELS.ours, '-L', MERGE_LABELS.base, '-L', MERGE_LABELS.theirs, ...files]);
    // Exit status: the number of conflicts (capped at 127); negative (255 here) on errors.
    if (result.code < 0 || result.code > 127) return { ok: false, message: `git merge-file failed: ${result.stderr.trim() || `exit ${result.code}`}` };
    if (result.code === 127 && result.stderr === 'git is not installed') return { ok: false, message: 'git is not installed: the 3-way merge needs git merge-file' };
    return { ok: true, text: result.stdout, conflicts: result.code };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
