// The one workspace walker: breadth-first from a root, folders in name order, never into an
// ignored folder (./ignore), never through a symbolic link to a folder. Every engine that looks
// for files in a workspace (lint, catalog discovery, the golden file, doctor, demo data) walks
// with it; test/unit/architecture.test.ts fails when another one appears.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isIgnoredDir } from './ignore';

export interface WalkOptions {
  /** The deepest folder level entered: 0 lists the root's own entries only. Default: no limit. */
  maxDepth?: number;
  /** Stop after this many directory entries in all, so a huge tree stays cheap. Default: no limit. */
  maxEntries?: number;
  /** A folder that cannot be read is named here; without it, such a folder is skipped. */
  errors?: string[];
}

export interface WorkspaceEntry {
  /** Absolute path. */
  path: string;
  name: string;
  /** Folders between the root and the entry: 0 for the root's own entries. */
  depth: number;
  /**
   * `file` a regular file, `symlink` a symbolic link (to anything: never followed by the walk),
   * `other` a FIFO, device or socket (listed so that one with a name DuckStack reads is reported
   * as not a regular file rather than skipped; nothing here opens it).
   */
  type: 'file' | 'symlink' | 'other';
}

/** Every entry under root that is not a folder, shallowest first, in name order within a folder. */
export function* walkWorkspace(root: string, options: WalkOptions = {}): Generator<WorkspaceEntry> {
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
  let level = [path.resolve(root)];
  let seen = 0;
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let dirents: fs.Dirent[];
      try {
        dirents = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        options.errors?.push(`${dir}: the folder cannot be read: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      for (const d of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (++seen > maxEntries) return;
        const full = path.join(dir, d.name);
        if (d.isDirectory()) {
          if (!isIgnoredDir(d.name)) next.push(full);
        } else {
          yield { path: full, name: d.name, depth, type: d.isFile() ? 'file' : d.isSymbolicLink() ? 'symlink' : 'other' };
        }
      }
    }
    level = next;
  }
}

/**
 * The files under dir that lint reads, sorted: regular files and FIFOs, devices and sockets (so
 * that those are reported, not skipped), without symbolic links. A folder that cannot be read is
 * named in `errors`, never skipped in silence.
 */
export function workspaceFiles(dir: string, errors?: string[]): string[] {
  const out: string[] = [];
  for (const entry of walkWorkspace(dir, errors ? { errors } : {})) if (entry.type !== 'symlink') out.push(entry.path);
  return out.sort();
}
