// Fault injection for the "never hang, never hide" rules: the CLI runs as a child process with a
// timeout (a hang is a timeout, not a stuck suite), optionally as an unprivileged user, and every
// run is counted: inputs tried, crashes, hangs, files changed without being asked.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..', '..');
/** The compiled CLI (tsc output), so the tests need no bundle. */
export const CLI = path.join(repo, 'out', 'src', 'cli.js');

export interface Tally {
  tried: number;
  crashes: string[];
  hangs: string[];
  changed: string[];
}

export function newTally(): Tally {
  return { tried: 0, crashes: [], hangs: [], changed: [] };
}

export interface Run {
  code: number | null;
  out: string;
  err: string;
}

const NOBODY = 65534;

/**
 * Runs `duckstack <args>` in cwd with a timeout. A timeout counts as a hang, an exit code other
 * than 0, 1 or 2 or a stack trace on stderr as a crash. `bundle` runs another build of the CLI (dist/cli.js). `asNobody` drops to uid/gid 65534 through
 * setpriv when running as root (as CI does), so permission bits mean what they say.
 */
/**
 * Runs the CLI as a user would. `ci` sets CI=true as CI services do; otherwise CI is unset, so the
 * working-copy rules (a missing .env) run as on a developer's machine, whatever machine runs the tests.
 */
export function runCli(tally: Tally, label: string, cwd: string, args: string[], options: { asNobody?: boolean; timeoutMs?: number; bundle?: string; ci?: boolean } = {}): Run {
  tally.tried++;
  const script = options.bundle ?? CLI;
  let command = process.execPath;
  let argv = [script, ...args];
  if (options.asNobody && process.getuid?.() === 0) {
    command = 'setpriv';
    argv = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, script, ...args];
  }
  const r = spawnSync(command, argv, { cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 60_000, maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: options.ci ? 'true' : '' } });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    assert.fail(`${command} is needed to run this test as an unprivileged user (util-linux's setpriv): ${r.error.message}`);
  }
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') tally.hangs.push(label);
  else if (r.signal !== null || ![0, 1, 2].includes(r.status ?? -1) || /\n\s+at .+:\d+:\d+\)?\n/.test(r.stderr) || /Maximum call stack/.test(r.stderr)) {
    tally.crashes.push(`${label}: exit ${r.status} signal ${r.signal}: ${r.stderr.slice(0, 500)}`);
  }
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

/** sha256 of every regular file under dir, by relative path (FIFOs and devices by type only). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const rel = path.relative(dir, full);
      const stat = fs.lstatSync(full);
      if (e.isDirectory()) {
        out.set(rel, `dir ${stat.mode.toString(8)}`);
        if (stat.mode & 0o500) {
          try {
            visit(full);
          } catch {
            // An unreadable folder (as the test set it up) is compared by its mode only.
          }
        }
      } else if (e.isFile()) {
        let hash = 'unreadable';
        try {
          hash = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
        } catch {
          // Unreadable by design in some tests; compared by mode.
        }
        out.set(rel, `file ${stat.mode.toString(8)} ${stat.size} ${hash}`);
      } else out.set(rel, `other ${stat.mode.toString(8)}`);
    }
  };
  visit(dir);
  return out;
}

/** Records every path added, removed or changed between two snapshots. */
export function compareSnapshots(tally: Tally, label: string, before: Map<string, string>, after: Map<string, string>): void {
  for (const [rel, sig] of before) if (after.get(rel) !== sig) tally.changed.push(`${label}: ${rel} ${after.has(rel) ? 'changed' : 'removed'}`);
  for (const rel of after.keys()) if (!before.has(rel)) tally.changed.push(`${label}: ${rel} added`);
}

/** A fresh folder that an unprivileged user can enter (mkdtemp makes it 0700). */
export function tempProject(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function mkfifo(file: string): void {
  const r = spawnSync('mkfifo', [file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mkfifo ${file} failed (coreutils' mkfifo is needed): ${r.stderr ?? r.error?.message}`);
}

/** Prints and asserts the tally, as the issue asks: crashes 0, hangs 0, files changed unasked 0. */
export function reportTally(name: string, tally: Tally): void {
  console.log(`      ${name}: ${tally.tried} inputs tried; crashes ${tally.crashes.length}, hangs ${tally.hangs.length}, files changed unasked ${tally.changed.length}`);
  assert.deepEqual(tally.crashes, [], 'crashes');
  assert.deepEqual(tally.hangs, [], 'hangs');
  assert.deepEqual(tally.changed, [], 'files changed unasked');
}

export const GOLDEN = '| Tool | Package / Image | Golden Version |\n|---|---|---|\n| PostgreSQL | postgres | 16 |\n| Python | python | 3.11 |\n';
/** A compose file with one known warning (no healthcheck) and nothing else. */
export const COMPOSE = 'services:\n  db:\n    image: postgres:16\n';

/** A billion-laughs document: nine levels of ten aliases each (10^9 nodes if expanded). */
export function aliasBomb(): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push('services:', '  bomb:', '    image: busybox', '    environment: *a8', '');
  return lines.join('\n');
}
