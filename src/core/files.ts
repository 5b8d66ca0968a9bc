// Reading files the user points at, safely: only regular files are read. A FIFO would block the
// read forever, /dev/zero would never end, a folder is not text: each is refused with a message
// saying what the path is. The file is checked before it is opened and again on the open
// descriptor (opened non-blocking, so even a FIFO that appears in between cannot hang the read).
import * as fs from 'node:fs';

/** A failed read says why; `missing` is true when nothing is at the path (often not an error). */
export type ReadResult = { ok: true; text: string } | { ok: false; message: string; missing: boolean };

/** "a folder", "a FIFO (named pipe)", …: what a path that is not a regular file is. */
export function describeFileType(stat: fs.Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(stat: fs.Stats): string {
  return `is ${describeFileType(stat)}, not a regular file`;
}

function failure(e: unknown): { ok: false; message: string; missing: boolean } {
  return { ok: false, message: errorText(e), missing: (e as NodeJS.ErrnoException)?.code === 'ENOENT' || (e as NodeJS.ErrnoException)?.code === 'ENOTDIR' };
}

function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return `permission denied (${err.code})`;
  if (err?.code === 'EISDIR') return 'is a folder, not a regular file';
  return e instanceof Error ? e.message : String(e);
}

// O_NONBLOCK makes open() of a FIFO return at once instead of waiting for a writer.
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** Why a path cannot be read as a regular file, or undefined when it can be opened for reading. */
export function regularFileProblem(file: string): string | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return errorText(e);
  }
  if (!stat.isFile()) return notRegular(stat);
  try {
    fs.accessSync(file, fs.constants.R_OK);
  } catch (e) {
    return errorText(e);
  }
  return undefined;
}

/** Reads a regular file as UTF-8; anything else (missing, unreadable, a FIFO, a device, a folder) is a message. */
export function readRegularFileSync(file: string): ReadResult {
  let fd: number | undefined;
  try {
    const before = fs.statSync(file);
    if (!before.isFile()) return { ok: false, message: notRegular(before), missing: false };
    fd = fs.openSync(file, OPEN_FLAGS);
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, message: notRegular(stat), missing: false };
    return { ok: true, text: fs.readFileSync(fd, 'utf8') };
  } catch (e) {
    return failure(e);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The asynchronous form of readRegularFileSync. */
export async function readRegularFile(file: string): Promise<ReadResult> {
  const read = await readRegularFileBytes(file);
  return read.ok ? { ok: true, text: read.bytes.toString('utf8') } : read;
}

/** A regular file's bytes, for callers that must know whether they are UTF-8 (before rewriting them). */
export async function readRegularFileBytes(file: string): Promise<{ ok: true; bytes: Buffer } | { ok: false; message: string; missing: boolean }> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    const before = await fs.promises.stat(file);
    if (!before.isFile()) return { ok: false, message: notRegular(before), missing: false };
    handle = await fs.promises.open(file, OPEN_FLAGS);
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, message: notRegular(stat), missing: false };
    return { ok: true, bytes: await handle.readFile() };
  } catch (e) {
    return failure(e);
  } finally {
    await handle?.close();
  }
}

/** The text of a regular file, or undefined for anything that cannot be read as one. */
export function readTextOrUndefined(file: string): string | undefined {
  const read = readRegularFileSync(file);
  return read.ok ? read.text : undefined;
}
