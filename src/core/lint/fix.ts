import type { Fix, TextEdit } from './types';

/**
 * Applies whole fixes in order of position; a fix whose edits overlap an edit already taken is
 * left out (a second pass after re-linting picks it up), so the result is always well-formed.
 */
export function applyFixes(text: string, fixes: readonly Fix[]): string {
  const taken: TextEdit[] = [];
  const ordered = [...fixes].sort((a, b) => firstStart(a) - firstStart(b));
  for (const fix of ordered) {
    if (!fix.edits.some((e) => taken.some((t) => overlap(e, t)))) taken.push(...fix.edits);
  }
  taken.sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of taken) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

// Edits starting at the same offset conflict too: their order would be ambiguous.
function overlap(a: TextEdit, b: TextEdit): boolean {
  return (a.start < b.end && b.start < a.end) || a.start === b.start;
}

function firstStart(fix: Fix): number {
  return Math.min(...fix.edits.map((e) => e.start));
}
