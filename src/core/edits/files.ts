// Planned changes to a fork's files: shown as a unified diff (`--dry-run`), written all or
// nothing. Each write is the one atomic write (src/core/fs/atomic.ts); a file that
// changed on disk since it was planned stops the run before anything is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomic';

export interface FileChange {
  /** Relative POSIX path inside the fork. */
  path: string;
  /** The text the plan was made from; undefined for a new file. */
  before: string | undefined;
  /** The new text; undefined removes the file. */
  after: string | undefined;
  /** For a new file: make it executable (scripts of the templates). */
  executable?: boolean;
}

// ---- unified diff ----

type Op = { kind: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** A line edit script: common prefix and suffix trimmed, an LCS table on what is left (a plain replace when that is too large). */
function editScript(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > 4_000_000) {
    ops.push(...midA.map((line): Op => ({ kind: '-', line })), ...midB.map((line): Op => ({ kind: '+', line })));
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) lcs[i][j] = midA[i] === midB[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i] });
        i++;
        j++;
      } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.push({ kind: '-', line: midA[i++] }); // deletions first, as git prints them
      } else {
        ops.push({ kind: '+', line: midB[j++] });
      }
    }
  }
  ops.push(...a.slice(endA).map((line): Op => ({ kind: ' ', line })));
  return ops;
}

const CONTEXT = 3;

/** A unified diff (as `git diff` prints it) of one change; empty when nothing changes. */
export function unifiedDiff(change: FileChange): string {
  const before = change.before ?? '';
  const after = change.after ?? '';
  if (change.before === change.after) return '';
  const ops = editScript(splitLines(before), splitLines(after));
  const header = [change.before === undefined ? '--- /dev/null' : `--- a/${change.path}`, change.after === undefined ? '+++ /dev/null' : `+++ b/${change.path}`];
  const out: string[] = [];
  let i = 0;
  // Line numbers (1-based) of ops[i] in the old and the new text.
  const oldLine: number[] = [];
  const newLine: number[] = [];
  let o = 1;
  let n = 1;
  for (const op of ops) {
    oldLine.push(o);
    newLine.push(n);
    if (op.kind !== '+') o++;
    if (op.kind !== '-') n++;
  }
  while (i < ops.length) {
    if (ops[i].kind === ' ') {
      i++;
      continue;
    }
    const from = Math.max(0, i - CONTEXT);
    let to = i;
    // Extend while the next change is within 2 * CONTEXT unchanged lines.
    for (;;) {
      while (to < ops.length && ops[to].kind !== ' ') to++;
      let k = to;
      while (k < ops.length && ops[k].kind === ' ' && k - to < 2 * CONTEXT) k++;
      if (k < ops.length && ops[k].kind !== ' ') to = k;
      else break;
    }
    const end = Math.min(ops.length, to + CONTEXT);
    const slice = ops.slice(from, end);
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    const oldStart = oldCount === 0 ? oldLine[from] - 1 : oldLine[from];
    const newStart = newCount === 0 ? newLine[from] - 1 : newLine[from];
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`, ...slice.map((op) => `${op.kind}${op.line}`));
    i = end;
  }
  return `${[...header, ...out].join('\n')}\n`;
}

// ---- writing ----

export type ApplyResult = { ok: true; written: string[] } | { ok: false; message: string };

function readIfFile(file: string): string | undefined {
  try {
    if (!fs.lstatSync(file).isFile()) return '\u0000not a regular file';
    return new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return '\u0000unreadable';
  }
}

/**
 * Writes (or removes) every change, or none when one file is no longer what the plan was made from (edited
 * meanwhile, not UTF-8, not a regular file, or a new file that appeared). Each file: a temp file
 * in its folder with the original's mode, renamed over it; a new file is linked in, never over
 * an existing one.
 */
export async function applyChanges(root: string, changes: readonly FileChange[]): Promise<ApplyResult> {
  const stale = changes.filter((c) => readIfFile(path.join(root, ...c.path.split('/'))) !== c.before).map((c) => c.path);
  if (stale.length > 0) {
    return { ok: false, message: `Nothing was written: ${stale.length} file(s) changed since the plan was made: ${stale.join(', ')}.` };
  }
  const written: string[] = [];
  for (const change of changes) {
    if (change.before === change.after) continue;
    const target = path.join(root, ...change.path.split('/'));
    try {
      if (change.after === undefined) {
        await fs.promises.unlink(target);
        written.push(change.path);
        continue;
      }
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      // A new file is linked in (EEXIST instead of overwriting one that appeared); an existing one keeps its mode.
      await writeFileAtomic(target, change.after, { exclusive: change.before === undefined, mode: change.executable ? 0o755 : 0o644 });
      written.push(change.path);
    } catch (e) {
      const done = written.length > 0 ? ` ${written.length} file(s) were already written: ${written.join(', ')}.` : ' Nothing was written.';
      return { ok: false, message: `Writing ${change.path} failed: ${e instanceof Error ? e.message : String(e)}.${done}` };
    }
  }
  return { ok: true, written };
}
