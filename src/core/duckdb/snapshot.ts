// Point-in-time copies of a DuckDB file (and its .wal) in a private temp folder, so that every read
// opens the copy and never the original: DuckDB takes its file lock on open, even read-only, and a
// writer that starts while anyone holds that lock fails at once. Copying takes no lock.
// A copy-on-write clone (FICLONE) where the file system offers one, a plain copy otherwise. A copy
// made while a writer changed the file is detected by the size and mtime of both files before and
// after copying, and taken again. Leftovers of crashed processes are swept by the next start.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type CopyMethod = 'clone' | 'copy';

export interface Snapshot {
  /** The copy of the database file; its .wal (when the original had one) is beside it. */
  readonly file: string;
  /** The private folder holding the copy. */
  readonly dir: string;
  readonly method: CopyMethod;
  /** Bytes copied (file and .wal). */
  readonly bytes: number;
  /** False when the original changed during every attempt: the copy may be torn. */
  readonly settled: boolean;
  /** Deletes the folder. Idempotent, never throws; on Linux it may run while DuckDB still has the files open. */
  drop(): void;
}

export interface SnapshotOptions {
  /** Folder that holds the snapshot folders (default: a per-user folder in the system temp folder). */
  root?: string;
  /** Copies taken while the original changes before giving up on a settled one (default 5). */
  attempts?: number;
}

/** The per-user folder holding snapshot folders, created private (0700). */
export function snapshotRoot(): string {
  const uid = typeof process.getuid === 'function' ? String(process.getuid()) : os.userInfo().username;
  return path.join(os.tmpdir(), `duckstack-snapshots-${uid}`);
}

/** Size and mtime of a file, '-' when absent: what a writer changes. */
export function fileSignature(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** The file and its WAL together. */
export function databaseSignature(file: string): string {
  return `${fileSignature(file)}|${fileSignature(`${file}.wal`)}`;
}

// Cached per process: whether the temp folder's file system clones (btrfs, XFS, APFS with reflink) or not.
let cloneSupported: boolean | undefined;

/** Copies src to dst, cloning when possible; reports which method the file system gave. */
export function copyFile(src: string, dst: string): CopyMethod {
  if (cloneSupported !== false) {
    try {
      fs.copyFileSync(src, dst, fs.constants.COPYFILE_FICLONE_FORCE);
      cloneSupported = true;
      return 'clone';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // Not supported by this file system (or across devices): plain copies from now on.
      if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EXDEV' && code !== 'EINVAL' && code !== 'ENOSYS') throw e;
      cloneSupported = false;
    }
  }
  fs.copyFileSync(src, dst);
  return 'copy';
}

/** Whether clones work here: known after the first copy, or probed with a one-byte file. */
export function cloneAvailable(root = snapshotRoot()): boolean {
  if (cloneSupported !== undefined) return cloneSupported;
  ensureRoot(root);
  const dir = fs.mkdtempSync(path.join(root, `${process.pid}-probe-`));
  try {
    fs.writeFileSync(path.join(dir, 'a'), 'x');
    return copyFile(path.join(dir, 'a'), path.join(dir, 'b')) === 'clone';
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function ensureRoot(root: string): void {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Copies `original` and its .wal into a new private folder. Throws only for I/O errors of the
 * copy itself (no space, permission); the caller turns them into a problem.
 */
export async function takeSnapshot(original: string, options: SnapshotOptions = {}): Promise<Snapshot> {
  const root = options.root ?? snapshotRoot();
  const attempts = Math.max(1, options.attempts ?? 5);
  ensureRoot(root);
  const dir = fs.mkdtempSync(path.join(root, `${process.pid}-`));
  const file = path.join(dir, path.basename(original));
  const wal = `${file}.wal`;
  let dropped = false;
  const drop = (): void => {
    if (dropped) return;
    try {
      fs.rmSync(dir, { recursive: true, force: true });
      dropped = true;
    } catch {
      // Windows refuses while DuckDB has the files open; the caller drops again after closing.
    }
  };
  try {
    for (let attempt = 1; ; attempt++) {
      const before = databaseSignature(original);
      fs.rmSync(wal, { force: true });
      const method = copyFile(original, file);
      let bytes = fs.statSync(file).size;
      if (fs.existsSync(`${original}.wal`)) {
        try {
          copyFile(`${original}.wal`, wal);
          bytes += fs.statSync(wal).size;
        } catch (e) {
          // A checkpoint removed the WAL between the check and the copy: the signature differs, copy again.
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
      const settled = databaseSignature(original) === before;
      if (settled || attempt >= attempts) return { file, dir, method, bytes, settled, drop };
      // A writer is busy (checkpointing): give it a moment, more each time.
      await pause(5 * 2 ** attempt);
    }
  } catch (e) {
    drop();
    throw e;
  }
}

/**
 * Removes snapshot folders left by processes that no longer run (a crash, a killed extension host).
 * Folder names start with the PID of the process that made them. Returns how many were removed.
 */
export function sweepSnapshots(root = snapshotRoot()): number {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of entries) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    try {
      fs.rmSync(path.join(root, name), { recursive: true, force: true });
      removed++;
    } catch {
      // Another sweeper got there first, or it is not ours to remove.
    }
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
