// Shared by the write fault-injection tests: a real small tmpfs to run out of space on, the CLI
// run in-process, byte snapshots of folders, and the tally every suite prints.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** The command threw instead of returning an exit code. */
  crashed?: unknown;
}

export async function runCli(cwd: string, args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIo = { cwd, env: {}, out: (t) => (out += t), err: (t) => (err += t) };
  try {
    return { code: await cli(args, io), out, err };
  } catch (e) {
    return { code: -1, out, err, crashed: e };
  }
}

/**
 * A tmpfs of `bytes` at a fresh folder: a real file system that runs out of space (ENOSPC).
 * Mounting needs root (as in CI); anything else fails the test with the reason.
 */
export function mountTmpfs(bytes: number): { dir: string; unmount(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-faults-tmpfs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    fs.rmdirSync(dir);
    throw new Error(
      `The ENOSPC tests need a small tmpfs, and mounting one failed (mount -t tmpfs -o size=${bytes} tmpfs ${dir}: ` +
        `${mounted.error?.message ?? mounted.stderr.trim()}). Run the unit tests as root (CI does), or in a container with CAP_SYS_ADMIN.`,
    );
  }
  return {
    dir,
    unmount() {
      spawnSync('umount', [dir]);
      fs.rmdirSync(dir);
    },
  };
}

/** Fills the file system of dir with `filler` until exactly `free` bytes (whole pages) are left. */
export function leaveFree(filler: string, free: number): number {
  fs.rmSync(filler, { force: true });
  const stat = fs.statfsSync(path.dirname(filler));
  const available = stat.bavail * stat.bsize;
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, available - free)));
  const after = fs.statfsSync(path.dirname(filler));
  return after.bavail * after.bsize;
}

/** Every entry under dir (folders with a trailing slash) → its bytes' sha256 ('' for folders). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.set(`${r}/`, '');
        walk(path.join(d, e.name), r);
      } else {
        out.set(r, sha(fs.readFileSync(path.join(d, e.name))));
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

export function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

/** Bytes as a short readable statement for test output: length, hash, and the start escaped. */
export function describeBytes(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 48)).toString('latin1').replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${bytes.length} bytes, sha256 ${sha(bytes)}, starting "${head}"`;
}

/** What a fault suite counts; printed at its end and asserted to be zero where it says so. */
export class Tally {
  tried = 0;
  crashes: string[] = [];
  lost: string[] = [];
  changedUnasked: string[] = [];

  constructor(private readonly name: string) {}

  summary(): string {
    return `${this.name}: ${this.tried} inputs tried; crashes ${this.crashes.length}, files lost ${this.lost.length}, files changed unasked ${this.changedUnasked.length}`;
  }
}
