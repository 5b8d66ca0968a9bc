// Git, read through the `git` CLI with argument arrays (never a shell string), with timeouts.
// Everything here answers "undefined" / "not a repository" instead of throwing when git is
// missing or the folder is not in a work tree: git-aware features are simply off then.
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const TIMEOUT_MS = 15_000;
const MAX_BUFFER = 64 * 1024 * 1024;

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs git in cwd; a missing git binary is code 127, a timeout code 124. Never throws. */
export function git(cwd: string, args: readonly string[], input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      // No fsmonitor hook: the repository's own config must not start programs.
      ['-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', ...args],
      { cwd, timeout: TIMEOUT_MS, maxBuffer: MAX_BUFFER, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' } },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        const code = !err ? 0 : err.code === 'ENOENT' ? 127 : err.killed ? 124 : typeof err.code === 'number' ? err.code : 1;
        resolve({ code, stdout, stderr: err && code === 127 ? 'git is not installed' : stderr });
      },
    );
    child.stdin?.on('error', () => undefined);
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface Repository {
  /** The work tree's top folder, real path. */
  top: string;
  /** The project folder relative to top, POSIX, '' when it is the top. */
  prefix: string;
}

/** The repository a folder is in, or undefined (no git, not a work tree). */
export async function findRepository(dir: string): Promise<Repository | undefined> {
  const result = await git(dir, ['rev-parse', '--show-toplevel']);
  if (result.code !== 0) return undefined;
  const top = fs.realpathSync(result.stdout.trim());
  const prefix = path.relative(top, fs.realpathSync(dir)).split(path.sep).join('/');
  return prefix.startsWith('..') ? undefined : { top, prefix };
}

/** The full commit id a revision names, or undefined. */
export async function resolveCommit(repo: Repository, rev: string): Promise<string | undefined> {
  const result = await git(repo.top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** The default branch: origin's HEAD, else a local main or master, else origin's (a CI checkout has no local branch). One git run. */
export async function defaultBranch(repo: Repository): Promise<string | undefined> {
  const candidates = ['refs/heads/main', 'refs/heads/master', 'refs/remotes/origin/main', 'refs/remotes/origin/master'];
  const found = await git(repo.top, ['for-each-ref', '--format=%(refname) %(symref)', 'refs/remotes/origin/HEAD', ...candidates]);
  const refs = new Map(found.stdout.split('\n').filter((l) => l !== '').map((l) => l.split(' ') as [string, string]));
  const ref = refs.get('refs/remotes/origin/HEAD') || candidates.find((c) => refs.has(c));
  return ref?.replace(/^refs\/(heads|remotes)\//, '');
}

/** The repository of a folder and its HEAD commit in one git run; undefined without git, a work tree or a first commit. */
export async function repositoryAtHead(dir: string): Promise<{ repo: Repository; head: string } | undefined> {
  const result = await git(dir, ['rev-parse', '--show-toplevel', 'HEAD^{commit}']);
  const [top, head] = result.stdout.split('\n');
  if (result.code !== 0 || !top || !/^[0-9a-f]{40,64}$/.test(head ?? '')) return undefined;
  try {
    const real = fs.realpathSync(top);
    const prefix = path.relative(real, fs.realpathSync(dir)).split(path.sep).join('/');
    return prefix.startsWith('..') ? undefined : { repo: { top: real, prefix }, head };
  } catch {
    return undefined;
  }
}

export async function mergeBase(repo: Repository, a: string, b: string): Promise<string | undefined> {
  const result = await git(repo.top, ['merge-base', a, b]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** Paths (relative to the project folder, POSIX) of the project's files in a commit. */
export async function listFiles(repo: Repository, commit: string): Promise<string[]> {
  return [...(await listBlobs(repo, commit)).keys()];
}

/** The project's files in a commit: relative POSIX path → blob id. */
export async function listBlobs(repo: Repository, commit: string): Promise<Map<string, string>> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
  if (repo.prefix !== '') args.push('--', repo.prefix);
  const result = await git(repo.top, args);
  const blobs = new Map<string, string>();
  if (result.code !== 0) return blobs;
  for (const entry of result.stdout.split('\0')) {
    // "<mode> <type> <id>\t<path>"
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (m) blobs.set(repo.prefix === '' ? m[2] : m[2].slice(repo.prefix.length + 1), m[1]);
  }
  return blobs;
}

/**
 * The texts of project files in a commit, read in one `git cat-file --batch` run. A file that is
 * missing there, or is not UTF-8 text, is absent from the map.
 */
export async function readFilesAt(repo: Repository, commit: string, files: readonly string[]): Promise<Map<string, string>> {
  const blobs = await readBlobs(repo, files.map((f) => `${commit}:${repo.prefix === '' ? f : `${repo.prefix}/${f}`}`));
  return new Map(files.flatMap((f, i) => {
    const text = blobs[i];
    return text === undefined ? [] : [[f, text] as [string, string]];
  }));
}

/** Objects named `<rev>:<path>` (or blob ids) read in one `git cat-file --batch` run; undefined for missing or non-UTF-8 ones. */
export function readBlobs(repo: Repository, names: readonly string[]): Promise<Array<string | undefined>> {
  const texts: Array<string | undefined> = names.map(() => undefined);
  if (names.length === 0) return Promise.resolve(texts);
  return new Promise((resolve) => {
    const child = spawn('git', ['-c', 'core.fsmonitor=false', 'cat-file', '--batch'], { cwd: repo.top, stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => child.kill(), TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', () => {
      clearTimeout(timer);
      resolve(texts);
    });
    child.on('close', () => {
      clearTimeout(timer);
      const out = Buffer.concat(chunks);
      const decoder = new TextDecoder('utf-8', { fatal: true });
      let pos = 0;
      for (let i = 0; i < names.length; i++) {
        const eol = out.indexOf(0x0a, pos);
        if (eol < 0) break;
        const header = out.subarray(pos, eol).toString('utf8');
        pos = eol + 1;
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!m) continue; // "<name> missing"
        const size = Number(m[2]);
        const body = out.subarray(pos, pos + size);
        pos += size + 1;
        if (m[1] !== 'blob') continue;
        try {
          texts[i] = decoder.decode(body);
        } catch {
          // not UTF-8: not a text DuckStack reads
        }
      }
      resolve(texts);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(names.map((n) => `${n}\n`).join(''));
  });
}

/** Whether the work tree has changes to tracked files or untracked files that are not ignored. */
export async function isDirty(repo: Repository): Promise<{ dirty: boolean; files: string[] }> {
  const result = await git(repo.top, ['status', '--porcelain=v1', '-z', '--untracked-files=normal', '--', repo.prefix === '' ? '.' : repo.prefix]);
  const files = result.stdout.split('\0').filter((l) => l !== '').map((l) => l.slice(3));
  return { dirty: result.code !== 0 || files.length > 0, files };
}

/** The most recent tag reachable from HEAD. */
export async function lastTag(repo: Repository): Promise<string | undefined> {
  const result = await git(repo.top, ['describe', '--tags', '--abbrev=0']);
  return result.code === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
}

/** The upstream of the current branch ("origin/main"). */
export async function upstream(repo: Repository): Promise<string | undefined> {
  const result = await git(repo.top, ['rev-parse', '--abbrev-ref', '--symbolic-full-name', '@{upstream}']);
  return result.code === 0 && result.stdout.trim() !== '' ? result.stdout.trim() : undefined;
}
