// Real git repositories in temp folders for tests: git runs with argument arrays, an identity and
// no user or system configuration, so a developer's ~/.gitconfig changes nothing.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

/** Runs git in dir and returns its stdout; a failure throws with git's message. */
export function runGit(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Writes files (relative POSIX paths → text) under dir, creating folders. */
export function writeFiles(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, ...rel.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

/** A new temp folder (real path, so git's answers compare equal). */
export function tempDir(prefix: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** A repository on branch main with the files committed (when any are given). */
export function makeRepo(files: Readonly<Record<string, string>> = {}, prefix = 'duckstack-git-'): string {
  const dir = tempDir(prefix);
  runGit(dir, 'init', '-q', '-b', 'main');
  if (Object.keys(files).length > 0) commitAll(dir, files, 'initial');
  return dir;
}

/** Writes the files and commits everything in the work tree. */
export function commitAll(dir: string, files: Readonly<Record<string, string>>, message: string): void {
  writeFiles(dir, files);
  runGit(dir, 'add', '-A');
  runGit(dir, 'commit', '-q', '--no-gpg-sign', '-m', message);
}
