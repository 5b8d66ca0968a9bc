// The git baseline of git-aware rules: the project's files as committed in HEAD and in the merge
// base with the default branch, read once per project context (two or three git runs and one
// `git cat-file --batch`), so rules stay synchronous and cheap on every keystroke.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { classifyFile } from '../workspace/classify';
import { isIgnoredRelativePath } from '../workspace/ignore';
import { defaultBranch, listBlobs, mergeBase, readBlobs, repositoryAtHead } from './git';

/** What the project's files were in git, read once per project context. */
export interface GitBaseline {
  /** The commits files are compared with: HEAD first, then the merge base with the default branch when it differs. */
  refs: ReadonlyArray<{ label: string; commit: string }>;
  /** A file's text (path relative to the project root, POSIX) at refs[ref]; undefined when it was absent. */
  textAt(ref: number, relPath: string): string | undefined;
  /** The file's text in the working tree now; undefined when absent. */
  workingText(relPath: string): string | undefined;
}

/** Files the git-aware rules read besides the classified ones. */
export const DOC_FILES = ['README.md', 'other/Workplan.md'];
const MAX_FILES = 2000;

function wanted(relPath: string): boolean {
  if (DOC_FILES.includes(relPath)) return true;
  if (isIgnoredRelativePath(relPath)) return false;
  const kind = classifyFile(relPath);
  return kind === 'goldenVersions' || kind === 'compose' || kind === 'dockerfile' || kind === 'requirements' || kind === 'pyproject' || kind === 'packageJson';
}

/** The baseline of a project folder, or undefined when there is no git, no repository or no commit yet. */
export async function loadGitBaseline(root: string): Promise<GitBaseline | undefined> {
  const found = await repositoryAtHead(root);
  if (!found) return undefined;
  const { repo, head } = found;
  const refs = [{ label: 'HEAD', commit: head }];
  const branch = await defaultBranch(repo);
  const base = branch ? await mergeBase(repo, 'HEAD', branch) : undefined;
  if (branch && base && base !== head) refs.push({ label: `the merge base with ${branch}`, commit: base });
  // Blobs the refs share are read once; every blob in one `git cat-file --batch` run.
  const trees = await Promise.all(refs.map(async (ref) => [...(await listBlobs(repo, ref.commit))].filter(([file]) => wanted(file)).slice(0, MAX_FILES)));
  const ids = [...new Set(trees.flatMap((tree) => tree.map(([, id]) => id)))];
  const blobs = await readBlobs(repo, ids);
  const byId = new Map(ids.map((id, i) => [id, blobs[i]]));
  const texts = trees.map((tree) => new Map(tree.flatMap(([file, id]) => {
    const text = byId.get(id);
    return text === undefined ? [] : [[file, text] as [string, string]];
  })));
  return makeBaseline(root, refs, texts);
}

export function makeBaseline(root: string, refs: GitBaseline['refs'], texts: ReadonlyArray<ReadonlyMap<string, string>>): GitBaseline {
  return {
    refs,
    textAt: (ref, relPath) => texts[ref]?.get(relPath),
    workingText(relPath) {
      try {
        const file = path.join(root, ...relPath.split('/'));
        return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** A file's path relative to the project root, POSIX, as baselines key it. */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
