// A snapshot: the platform files of a fork at one point (a git commit, the working tree, or a
// rendering held in memory), as relative POSIX path → text. The impact report compares two.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findRepository, listFiles, readFilesAt, resolveCommit } from '../git/git';
import { classifyFile } from '../workspace/classify';
import { isIgnoredRelativePath } from '../workspace/ignore';
import { workspaceFiles } from '../workspace/walk';

export interface Snapshot {
  /** What it is, for the report: "v1.2.0 (3f2a1b0)", "the working tree". */
  label: string;
  files: ReadonlyMap<string, string>;
}

/** Files the impact report reads: compose, .env.example, golden versions, Dockerfiles, pins, dbt profiles, dagster.yaml. */
export function isPlatformFile(relPath: string): boolean {
  // The working tree's walk never enters these folders: git's list must not either, or a file there
  // would look removed.
  if (isIgnoredRelativePath(relPath)) return false;
  const base = relPath.split('/').pop() ?? '';
  if (base === '.env.example') return true;
  const kind = classifyFile(relPath);
  return (
    kind === 'compose' ||
    kind === 'goldenVersions' ||
    kind === 'dockerfile' ||
    kind === 'requirements' ||
    kind === 'pyproject' ||
    kind === 'packageJson' ||
    kind === 'dbtProfiles' ||
    kind === 'dagsterYaml'
  );
}

/** The platform files of a folder as they are on disk (regular UTF-8 files only). */
export function workingSnapshot(root: string, label = 'the working tree'): Snapshot {
  const files = new Map<string, string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const file of workspaceFiles(root)) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    // The walk lists FIFOs and devices too: only a regular file is read (a FIFO would block).
    if (!isPlatformFile(rel) || fs.statSync(file, { throwIfNoEntry: false })?.isFile() !== true) continue;
    try {
      files.set(rel, decoder.decode(fs.readFileSync(file)));
    } catch {
      // unreadable or not UTF-8: not a platform file DuckStack reads
    }
  }
  return { label, files };
}

export type GitSnapshotResult = { ok: true; snapshot: Snapshot; commit: string } | { ok: false; message: string };

/** The platform files of a folder at a git revision. */
export async function gitSnapshot(root: string, rev: string): Promise<GitSnapshotResult> {
  const repo = await findRepository(root);
  if (!repo) return { ok: false, message: `${root} is not in a git repository (or git is not installed)` };
  const commit = await resolveCommit(repo, rev);
  if (!commit) return { ok: false, message: `'${rev}' names no commit in ${repo.top}` };
  const files = (await listFiles(repo, commit)).filter(isPlatformFile);
  return { ok: true, commit, snapshot: { label: `${rev} (${commit.slice(0, 7)})`, files: await readFilesAt(repo, commit, files) } };
}
