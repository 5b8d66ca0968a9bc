// The one list of folders DuckStack never looks into, for every engine and the editor alike: the
// workspace walk, lint, validate, catalog discovery, impact, upgrade, doctor, and the editor's
// file search (as a glob).
import * as path from 'node:path';

/**
 * Folders no engine enters: dependencies, virtual environments, build output, caches, dbt's
 * target and packages, logs. Every dot folder (.git, .venv, .duckstack, .devcontainer) is skipped
 * too; dot files (.env) are not.
 */
export const IGNORED_DIRS: ReadonlySet<string> = new Set(['node_modules', '__pycache__', 'venv', 'site-packages', 'target', 'dbt_packages', 'logs']);

/** Whether a folder of this name is skipped wherever it is. */
export function isIgnoredDir(name: string): boolean {
  return name.startsWith('.') || IGNORED_DIRS.has(name);
}

/**
 * Whether a path lies in an ignored folder below root (root's own parents do not count: a
 * workspace may itself live under a folder named logs or target).
 */
export function isIgnoredPath(root: string, file: string): boolean {
  const rel = path.relative(path.resolve(root), path.resolve(root, file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return false;
  return isIgnoredRelativePath(rel);
}

/** Whether a path relative to its root ("a/b/compose.yml", as git lists files) lies in an ignored folder. */
export function isIgnoredRelativePath(relPath: string): boolean {
  return relPath.split(/[\\/]/).slice(0, -1).some(isIgnoredDir);
}

/** The same folders as a glob: the exclude of the editor's file search (see watch.ts workspaceSearch). */
export const IGNORED_GLOB = `**/{${[...IGNORED_DIRS].join(',')},.*}/**`;
