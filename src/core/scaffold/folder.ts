// Where a new fork goes: a typed path (relative to a base folder, `~` for the home folder) that is
// an empty folder, a folder beside other files, or a path that does not exist yet and is created.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expandHome } from '../fs/paths';
import { unrelatedEntries } from './plan';

export type ForkFolder =
  | { ok: true; dir: string; state: 'new' | 'empty' | 'nonEmpty'; unrelated: string[] }
  | { ok: false; message: string };

/** The absolute folder a typed path names: `~` expanded, relative paths against base. No file system access. */
export function resolveFolderInput(input: string, options: { base: string; home: string; path?: path.PlatformPath }): string | undefined {
  const p = options.path ?? path;
  const trimmed = input.trim();
  if (trimmed === '') return undefined;
  return p.resolve(options.base, expandHome(trimmed, options.home, p));
}

/**
 * Checks a typed fork folder. A missing folder (and its missing parents) is fine: the scaffold
 * creates it. A path that is, or passes through, a file is refused with a message saying which.
 */
export function checkForkFolder(input: string, options: { base: string; home: string }): ForkFolder {
  const dir = resolveFolderInput(input, options);
  if (dir === undefined) return { ok: false, message: 'Type the path of an empty or new folder.' };
  for (let d = dir; ; d = path.dirname(d)) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') continue;
      if (code !== 'ENOENT') return { ok: false, message: `${d} cannot be read (${code ?? String(e)}).` };
    }
    if (stat) {
      if (!stat.isDirectory()) return { ok: false, message: d === dir ? `${dir} is a file, not a folder.` : `${d} is a file, so ${dir} cannot be created.` };
      if (d !== dir) return { ok: true, dir, state: 'new', unrelated: [] };
      const unrelated = unrelatedEntries(dir);
      return { ok: true, dir, state: unrelated.length === 0 ? 'empty' : 'nonEmpty', unrelated };
    }
    if (path.dirname(d) === d) return { ok: true, dir, state: 'new', unrelated: [] };
  }
}
