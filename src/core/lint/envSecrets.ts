// Before a fix removes a literal secret from a compose file, the value moves into the .env beside
// it, so nothing the user typed is lost: .env is created if missing (mode 0600) and made
// git-ignored; a variable already in .env is never overwritten, and a fix whose value differs
// from it is not applied. Values never appear in messages.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseDotEnv } from '../compose/env';
import { readRegularFileBytes } from '../files';
import { describeWriteError, writeFileAtomic } from '../fs/atomic';
import { decodeUtf8, encodeUtf8 } from '../fs/text';
import type { Secret } from './types';

export interface StoredSecrets {
  envFile: string;
  /** name → value now in .env (added, or already there with the same value). */
  stored: Map<string, string>;
  /** Names added to .env by this call. */
  added: string[];
  /** Secrets left where they are, with the reason (the fix that removes them must not run). */
  refused: Array<{ name: string; reason: string }>;
  /** What was done to keep .env out of git, or why it could not be. */
  gitignore?: string;
}

/** Whether a fix may run once `stored` is in .env: each of its secrets is there with the same value. */
export function secretsKept(stored: ReadonlyMap<string, string>, secrets: readonly Secret[] | undefined): boolean {
  return (secrets ?? []).every((s) => stored.get(s.name) === s.value);
}

/**
 * Stores the secrets in envFile (appending; the rest of the file is kept byte for byte).
 * `source` names where they come from, for the comment above the added lines.
 */
export async function storeSecrets(envFile: string, secrets: readonly Secret[], source: string): Promise<StoredSecrets> {
  const result: StoredSecrets = { envFile, stored: new Map(), added: [], refused: [] };
  const refuseAll = (reason: string): StoredSecrets => {
    for (const s of secrets) if (!result.refused.some((r) => r.name === s.name)) result.refused.push({ name: s.name, reason });
    return result;
  };
  // Only a regular file is read (a FIFO would hang the read); a missing one is created.
  const read = await readRegularFileBytes(envFile);
  if (!read.ok && !read.missing) return refuseAll(`${envFile} cannot be read: ${read.message}`);
  const decoded = decodeUtf8(read.ok ? read.bytes : Buffer.alloc(0));
  if (!decoded.ok) return refuseAll(`${envFile} is not valid UTF-8 (${decoded.reason}); DuckStack does not rewrite it`);
  const existing = parseDotEnv(decoded.text);

  const lines: string[] = [];
  const pending = new Map<string, string>();
  for (const { name, value } of secrets) {
    const known = existing.get(name) ?? pending.get(name);
    if (known !== undefined) {
      if (known === value) result.stored.set(name, value);
      else result.refused.push({ name, reason: `${path.basename(envFile)} already sets ${name} to another value, and DuckStack never overwrites a variable there; choose one by hand` });
      continue;
    }
    const line = envLine(name, value);
    if (line === undefined) {
      result.refused.push({ name, reason: `the value of ${name} cannot be written to .env unchanged` });
      continue;
    }
    pending.set(name, value);
    lines.push(line);
  }
  if (lines.length === 0) return result;

  const { text, bom, eol } = decoded;
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  const added = [`# Moved from ${source} by DuckStack`, ...lines].join(eol) + eol;
  try {
    await writeFileAtomic(envFile, encodeUtf8(text + separator + added, bom), { mode: 0o600 });
  } catch (e) {
    for (const name of pending.keys()) result.refused.push({ name, reason: `${envFile} could not be written: ${describeWriteError(e)}` });
    return result;
  }
  for (const [name, value] of pending) {
    result.stored.set(name, value);
    result.added.push(name);
  }
  result.gitignore = await ensureGitIgnored(envFile);
  return result;
}

/** NAME='value', or NAME="value" with escapes: the first that compose reads back as exactly value. */
export function envLine(name: string, value: string): string | undefined {
  const doubleQuoted = value.replace(/[\\"$]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  for (const line of [`${name}='${value}'`, `${name}="${doubleQuoted}"`]) {
    const parsed = parseDotEnv(line);
    if (parsed.size === 1 && parsed.get(name) === value) return line;
  }
  return undefined;
}

/**
 * Makes sure git ignores envFile: nothing to do when `git check-ignore` says it is ignored,
 * otherwise `/.env` is appended to the .gitignore of its folder (created if missing).
 * Returns what was done or why it could not be, for the user; undefined when nothing was needed.
 */
export async function ensureGitIgnored(envFile: string): Promise<string | undefined> {
  const dir = path.dirname(envFile);
  const name = path.basename(envFile);
  const check = spawnSync('git', ['check-ignore', '-q', '--', name], { cwd: dir, timeout: 10_000, stdio: 'ignore' });
  if (check.status === 0) return undefined;
  const gitignore = path.join(dir, '.gitignore');
  let text = '';
  let bom = false;
  let eol: '\n' | '\r\n' = '\n';
  const read = await readRegularFileBytes(gitignore);
  if (!read.ok && !read.missing) return `${gitignore} cannot be read (${read.message}): add ${name} to it by hand`;
  if (read.ok) {
    const decoded = decodeUtf8(read.bytes);
    if (!decoded.ok) return `${gitignore} is not valid UTF-8, so ${name} was not added to it: add it by hand`;
    ({ text, bom, eol } = decoded);
  }
  // Outside a git work tree (check-ignore cannot tell), a line naming the file is enough.
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (check.status !== 1 && (lines.includes(name) || lines.includes(`/${name}`))) return undefined;
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  try {
    await writeFileAtomic(gitignore, encodeUtf8(`${text}${separator}/${name}${eol}`, bom));
  } catch (e) {
    return `${gitignore} could not be written (${describeWriteError(e)}): add ${name} to it by hand`;
  }
  return `added /${name} to ${gitignore}`;
}
