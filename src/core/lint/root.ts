// The project a linted path belongs to, so golden_versions.md, .duckstack.json, .env and
// .env.example are read from that project and not from wherever the command was started
// (`duckstack lint platform` from a folder that holds another checkout with its own files).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What marks a project's root folder: its settings, its golden versions, or its repository. */
const MARKER = /^(?:\.duckstack\.json|\.git|golden_versions.*\.md)$/i;

/**
 * The nearest folder at or above target (a file's own folder for a file) that holds
 * .duckstack.json, golden_versions*.md or .git; the target's folder itself when none does.
 */
export function findProjectRoot(target: string): string {
  const abs = path.resolve(target);
  let start = abs;
  try {
    if (!fs.statSync(abs).isDirectory()) start = path.dirname(abs);
  } catch {
    start = path.dirname(abs);
  }
  for (let dir = start; ; dir = path.dirname(dir)) {
    let names: string[] = [];
    try {
      names = fs.readdirSync(dir);
    } catch {
      // An unreadable folder holds no marker we can see; the lint reports the folder itself.
    }
    if (names.some((name) => MARKER.test(name))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

/** The paths given on a command line, grouped by the project each belongs to (in the order given). */
export function groupByProject(cwd: string, paths: readonly string[]): Array<{ root: string; paths: string[] }> {
  const groups = new Map<string, string[]>();
  for (const p of paths.length > 0 ? paths : ['.']) {
    const abs = path.resolve(cwd, p);
    const root = findProjectRoot(abs);
    const group = groups.get(root);
    if (group) group.push(abs);
    else groups.set(root, [abs]);
  }
  return [...groups].map(([root, list]) => ({ root, paths: list }));
}
