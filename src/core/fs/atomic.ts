// The one way DuckStack writes a file (lint fixes, scaffolding, .env): a temporary file in the
// same folder, written and flushed to disk, then renamed over the original (or linked to a new
// name). Readers see the old bytes or the new ones, never a part. On any error the original is
// untouched and the temporary file is gone.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of a new file (default 0o644). A replaced file keeps its own mode. */
  mode?: number;
  /** Fail with EEXIST instead of replacing an existing file (scaffolding never overwrites). */
  exclusive?: boolean;
}

/** The temporary names this module creates end with this marker and a random part. */
export const TEMP_MARKER = '.duckstack-tmp-';

/**
 * Writes data to file atomically. A symbolic link is followed: its target is replaced, the link
 * stays. Throws the underlying error (ENOSPC, EACCES, EEXIST, …) after cleaning up.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  let target = path.resolve(file);
  let existing: fs.Stats | undefined;
  try {
    target = await fs.promises.realpath(target);
    existing = await fs.promises.stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing && options.exclusive) throw Object.assign(new Error(`EEXIST: file already exists, '${target}'`), { code: 'EEXIST', path: target });
  if (existing && !existing.isFile()) throw Object.assign(new Error(`${target} is not a regular file`), { code: 'EISDIR', path: target });

  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
  const mode = existing ? existing.mode & 0o7777 : (options.mode ?? 0o644);
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(temp, 'wx', mode);
    await handle.writeFile(data);
    // open() applies the umask; chmod sets exactly the mode the original had.
    await handle.chmod(mode);
    if (existing && process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) await handle.chown(existing.uid, existing.gid);
    await handle.sync();
    await handle.close();
    handle = undefined;
    if (options.exclusive) {
      await fs.promises.link(temp, target); // EEXIST if a file appeared meanwhile: never replaced
      await fs.promises.unlink(temp);
    } else {
      await fs.promises.rename(temp, target);
    }
  } catch (e) {
    await handle?.close().catch(() => undefined);
    await fs.promises.rm(temp, { force: true }).catch(() => undefined);
    throw e;
  }
  await syncFolder(dir);
}

/** Makes the rename itself durable. Best effort: the new file is already in place. */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some file systems cannot fsync a folder; the data itself was flushed before the rename.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A write error as a short sentence for users: "no space left on the device". */
export function describeWriteError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `permission denied (${err.path ?? 'target folder'})`;
  if (err.code === 'EROFS') return 'the file system is read-only';
  if (err.code === 'ENOSPC') return 'no space left on the device';
  if (err.code === 'EDQUOT') return 'the disk quota is exceeded';
  return err.message ?? String(e);
}
