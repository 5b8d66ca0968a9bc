import { lineEnding } from '../fs/text';
import type { Fix, TextEdit } from './types';

export interface ApplyOptions {
  /**
   * Let line insertions at the same line start by different fixes all apply, in the order of the
   * fixes: indented lines (entries added to the block that ends there) first, then new blocks,
   * where two new blocks under the same key (`volumes:` declared by two fixes) become one block
   * holding both entries. Off, an insertion at an offset already taken waits for the next pass.
   */
  mergeLineInsertions?: boolean;
}

type Insertion = { kind: 'entries' } | { kind: 'block'; header: string; body: string };

const ENTRY_LINES = /^(?:[ \t][^\n]*\n)+$/;
const NEW_BLOCK = /^([^\s#][^\n]*:[ \t]*\r?\n)((?:[ \t][^\n]*\n)+)$/;

/**
 * Applies whole fixes in order of position; a fix whose edits overlap an edit already taken is
 * left out (a second pass after re-linting picks it up), so the result is always well-formed.
 * Linear in the text and the edits: taken edits stay sorted (found by binary search), and the
 * result is joined once from the pieces between them.
 * In a CRLF file the inserted lines end with CRLF too, and no edit splits a CRLF pair.
 */
export function applyFixes(text: string, allFixes: readonly Fix[], options: ApplyOptions = {}): string {
  const { taken } = chooseFixes(text, allFixes, options);
  const pieces: string[] = [];
  let position = 0;
  for (const edit of taken) {
    pieces.push(text.slice(position, edit.start), edit.text);
    position = edit.end;
  }
  pieces.push(text.slice(position));
  return pieces.join('');
}

/**
 * The whole fixes that apply together in one pass, by applyFixes' own rule (insertions are not
 * merged): the editor's "Fix all" offers exactly these, so it agrees with `duckstack lint --fix`.
 */
export function nonOverlappingFixes(text: string, fixes: readonly Fix[]): Fix[] {
  return chooseFixes(text, fixes, {}).chosen;
}

/** The placement applyFixes makes: the edits taken (sorted, in the text's line ends) and the fixes they came from. */
function chooseFixes(text: string, allFixes: readonly Fix[], options: ApplyOptions): { taken: TextEdit[]; chosen: Fix[] } {
  const crlf = lineEnding(text) === '\r\n';
  const fixes = crlf ? allFixes.map((f) => ({ ...f, edits: f.edits.map((e) => toCrlf(text, e)) })) : allFixes;
  const taken: TextEdit[] = [];
  const chosen: Fix[] = [];
  const insertion = (e: TextEdit): Insertion | undefined => {
    if (options.mergeLineInsertions !== true || e.start !== e.end || (e.start > 0 && text.charCodeAt(e.start - 1) !== 10)) return undefined;
    if (ENTRY_LINES.test(e.text)) return { kind: 'entries' };
    const block = NEW_BLOCK.exec(e.text);
    return block ? { kind: 'block', header: block[1], body: block[2] } : undefined;
  };
  /** Where an edit goes among the taken ones: an index, a taken block to merge into, or a conflict. */
  const place = (e: TextEdit): { at: number } | { into: number } | undefined => {
    let lo = 0;
    let hi = taken.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (taken[mid].start < e.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && taken[lo - 1].end > e.start) return undefined;
    let end = lo;
    while (end < taken.length && taken[end].start === e.start) end++;
    if (end < taken.length && taken[end].start < e.end) return undefined;
    if (end === lo) return { at: lo };
    // Edits starting at the same offset conflict (their order would be ambiguous) unless all are line insertions.
    const mine = insertion(e);
    const run = taken.slice(lo, end).map(insertion);
    if (!mine || run.some((r) => r === undefined)) return undefined;
    if (mine.kind === 'entries') {
      const firstBlock = run.findIndex((r) => r?.kind === 'block');
      return { at: firstBlock < 0 ? end : lo + firstBlock };
    }
    const same = run.findIndex((r) => r?.kind === 'block' && r.header === mine.header);
    return same < 0 ? { at: end } : { into: lo + same };
  };
  const ordered = fixes.map((fix, index) => ({ fix, index, start: firstStart(fix) })).sort((a, b) => a.start - b.start || a.index - b.index);
  for (const { fix, index } of ordered) {
    if (overlapsItself(fix.edits)) continue;
    const places = fix.edits.map(place);
    if (places.some((p) => p === undefined)) continue;
    chosen.push(allFixes[index]);
    // Insert from the last place so the earlier indexes stay valid.
    const byPosition = fix.edits
      .map((edit, i) => ({ edit, place: places[i] as { at: number } | { into: number } }))
      .sort((a, b) => ('at' in b.place ? b.place.at : b.place.into) - ('at' in a.place ? a.place.at : a.place.into) || b.edit.start - a.edit.start);
    for (const { edit, place: p } of byPosition) {
      if ('into' in p) {
        const body = NEW_BLOCK.exec(edit.text)?.[2] ?? '';
        taken[p.into] = { ...taken[p.into], text: taken[p.into].text + body };
      } else if (p.at === taken.length) taken.push(edit);
      else taken.splice(p.at, 0, edit);
    }
  }
  return { taken, chosen };
}

/** Rules compute line ends with '\n': keep each CR with its LF and end inserted lines with CRLF. */
function toCrlf(text: string, edit: TextEdit): TextEdit {
  const splits = (at: number): boolean => at > 0 && text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10;
  const start = splits(edit.start) ? edit.start - 1 : edit.start;
  const end = edit.end === edit.start ? start : splits(edit.end) ? edit.end - 1 : edit.end;
  return { start, end, text: edit.text.replace(/\r?\n/g, '\r\n') };
}

function overlapsItself(edits: readonly TextEdit[]): boolean {
  if (edits.length < 2) return false;
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  return sorted.some((e, i) => i > 0 && e.start < sorted[i - 1].end);
}

function firstStart(fix: Fix): number {
  let min = Infinity;
  for (const e of fix.edits) if (e.start < min) min = e.start;
  return min;
}
