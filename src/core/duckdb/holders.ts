// Who holds a DuckDB file, read from the kernel's lock table, never by opening the file (an open
// would take DuckDB's lock and refuse the very writer we want to name). Linux: /proc/locks names the
// PID by device and inode; a PID in a container maps to its container id through /proc/<pid>/cgroup
// and then, through the engine's labels, to a compose service. macOS: `lsof -F pcl` lists the
// processes with a lock on the file. Windows has no lock table readable without opening the file:
// holders are not named there.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ContainerInfo {
  id: string;
  /** Container name without the leading slash, e.g. platform-dbt-1. */
  name: string;
  /** Compose project and service, from the container's labels. */
  project?: string;
  service?: string;
  /** The compose project's folder (com.docker.compose.project.working_dir). */
  projectDir?: string;
}

export interface LockHolder {
  pid: number;
  /** WRITE: a read-write open (dbt, Dagster); READ: a read-only open. */
  access: 'read' | 'write';
  /** How a person calls it: "dbt run", "python load.py", "Jupyter kernel", "node hold.js". */
  command: string;
  /** The container id when the process runs in one. */
  containerId?: string;
  /** The container and compose service, when the engine answered. */
  container?: ContainerInfo;
}

export type ContainerResolver = (containerId: string) => Promise<ContainerInfo | undefined>;

export interface HolderLookup {
  /** False where this platform has no lock table DuckStack can read (Windows, or lsof missing). */
  supported: boolean;
  holders: LockHolder[];
}

export interface HolderOptions {
  /** Maps a container id to its container and compose service (the Docker engine). */
  resolveContainer?: ContainerResolver;
  /** Overrides for tests of other platforms. */
  platform?: NodeJS.Platform;
  procRoot?: string;
}

/** "3: POSIX  ADVISORY  WRITE 5749 fe:00:2146349 0 EOF", and "-> " lines of blocked waiters, which are skipped. */
const LOCK_LINE = /^\d+:\s+(POSIX|FLOCK|OFDLCK)\s+\S+\s+(READ|WRITE)\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/;

/** Linux's encoding of st_dev into major and minor numbers. */
function devParts(dev: number): { major: number; minor: number } {
  const big = BigInt(dev);
  const major = Number(((big >> 8n) & 0xfffn) | ((big >> 32n) & ~0xfffn));
  const minor = Number((big & 0xffn) | ((big >> 12n) & ~0xffn));
  return { major, minor };
}

/** The PIDs holding a lock on the file with this device and inode, from the text of /proc/locks. */
export function parseProcLocks(text: string, ino: number, dev: number): Array<{ pid: number; access: 'read' | 'write' }> {
  const { major, minor } = devParts(dev);
  const found = new Map<number, 'read' | 'write'>();
  for (const line of text.split('\n')) {
    const m = LOCK_LINE.exec(line);
    if (!m || Number(m[6]) !== ino || parseInt(m[4], 16) !== major || parseInt(m[5], 16) !== minor) continue;
    const pid = Number(m[3]);
    // OFD locks report -1: no owning process to name.
    if (pid <= 0) continue;
    const access = m[2] === 'WRITE' ? 'write' : 'read';
    if (found.get(pid) !== 'write') found.set(pid, access);
  }
  return [...found].map(([pid, access]) => ({ pid, access }));
}

/** `lsof -F pcl` output: p<pid>, c<command>, then per descriptor l<lock> (r/R read, w/W write, u read and write). */
export function parseLsof(text: string): Array<{ pid: number; access: 'read' | 'write'; comm: string }> {
  const out: Array<{ pid: number; access: 'read' | 'write'; comm: string }> = [];
  let pid = 0;
  let comm = '';
  for (const line of text.split('\n')) {
    const tag = line.charAt(0);
    const value = line.slice(1);
    if (tag === 'p') {
      pid = Number(value);
      comm = '';
    } else if (tag === 'c') comm = value;
    else if (tag === 'l' && pid > 0 && /^[rRwWu]$/.test(value)) {
      const access = /[wWu]/.test(value) ? 'write' : 'read';
      const known = out.find((h) => h.pid === pid);
      if (known) {
        if (access === 'write') known.access = 'write';
      } else out.push({ pid, access, comm });
    }
  }
  return out;
}

/** A container id in /proc/<pid>/cgroup: docker (cgroupfs and systemd drivers), containerd, podman. */
export function containerIdFromCgroup(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /(?:docker|libpod|cri-containerd|crio)[-/]([0-9a-f]{64})(?:\.scope)?(?:\/|$)/.exec(line) ?? /\/([0-9a-f]{64})(?:\/|$)/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

// Platform tools seen on a command line, with how many following words say what they do.
const TOOLS: Array<{ pattern: RegExp; words: number }> = [
  { pattern: /^dbt$/, words: 1 },
  { pattern: /^dagster(-daemon)?$/, words: 1 },
  { pattern: /^(dagster-webserver|dagit|duckdb)$/, words: 0 },
  { pattern: /^superset$/, words: 1 },
];

/** A short name for a command line: "dbt run", "Jupyter kernel", "python load.py", "node hold.js". */
export function describeCommand(args: readonly string[], comm = ''): string {
  if (args.length === 0) return comm || 'unknown process';
  if (args.some((a) => /ipykernel(_launcher)?(\.py)?$/.test(path.basename(a)) || /^ipykernel/.test(a))) return 'Jupyter kernel';
  for (let i = 0; i < args.length; i++) {
    const base = path.basename(args[i]);
    const tool = TOOLS.find((t) => t.pattern.test(base));
    if (!tool) continue;
    const next = args.slice(i + 1, i + 1 + tool.words).filter((a) => !a.startsWith('-'));
    return [base, ...next].join(' ');
  }
  const head = path.basename(args[0]);
  // An interpreter: name the script (or module) it runs.
  if (/^(python[\d.]*|node|ruby|perl|bash|sh|java)$/.test(head)) {
    const moduleIndex = args.indexOf('-m');
    if (moduleIndex > 0 && args[moduleIndex + 1]) return `${head.replace(/[\d.]+$/, '')} -m ${args[moduleIndex + 1]}`;
    const script = args.slice(1).find((a) => !a.startsWith('-'));
    return script ? `${head.replace(/^python[\d.]+$/, 'python')} ${path.basename(script)}` : head;
  }
  return head;
}

/** The command of a process from /proc, when it can be read. */
function procCommand(procRoot: string, pid: number): string {
  let args: string[] = [];
  let comm = '';
  try {
    args = fs.readFileSync(path.join(procRoot, String(pid), 'cmdline'), 'utf8').split('\0').filter((a) => a !== '');
  } catch {
    // Gone, or not ours to read.
  }
  try {
    comm = fs.readFileSync(path.join(procRoot, String(pid), 'comm'), 'utf8').trim();
  } catch {
    // As above.
  }
  return describeCommand(args, comm);
}

function procContainer(procRoot: string, pid: number): string | undefined {
  try {
    return containerIdFromCgroup(fs.readFileSync(path.join(procRoot, String(pid), 'cgroup'), 'utf8'));
  } catch {
    return undefined;
  }
}

function lsof(file: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('lsof', ['-F', 'pcl', '--', file], { timeout: 3000 }, (error, stdout) => {
      // lsof exits 1 when no process has the file open: that is an answer, not a failure.
      const code = (error as (NodeJS.ErrnoException & { code?: unknown }) | null)?.code;
      if (error && (code === 'ENOENT' || typeof code !== 'number')) resolve(undefined);
      else resolve(stdout);
    });
  });
}

/** The processes holding a lock on `file`, named as a person would name them. Never throws, never opens the file with DuckDB. */
export async function findLockHolders(file: string, options: HolderOptions = {}): Promise<HolderLookup> {
  const platform = options.platform ?? process.platform;
  let found: Array<{ pid: number; access: 'read' | 'write'; command?: string; containerId?: string }>;
  if (platform === 'linux') {
    const procRoot = options.procRoot ?? '/proc';
    let stat: fs.Stats;
    let table: string;
    try {
      stat = fs.statSync(file);
      table = fs.readFileSync(path.join(procRoot, 'locks'), 'utf8');
    } catch {
      return { supported: fs.existsSync(path.join(procRoot, 'locks')), holders: [] };
    }
    found = parseProcLocks(table, stat.ino, stat.dev).map((h) => ({ ...h, command: procCommand(procRoot, h.pid), containerId: procContainer(procRoot, h.pid) }));
  } else if (platform === 'darwin') {
    const text = await lsof(file);
    if (text === undefined) return { supported: false, holders: [] };
    found = parseLsof(text).map((h) => ({ pid: h.pid, access: h.access, command: h.comm }));
  } else {
    return { supported: false, holders: [] };
  }
  const holders: LockHolder[] = [];
  for (const h of found.filter((f) => f.pid !== process.pid)) {
    const holder: LockHolder = { pid: h.pid, access: h.access, command: h.command ?? 'unknown process' };
    if (h.containerId) {
      holder.containerId = h.containerId;
      const container = await options.resolveContainer?.(h.containerId).catch(() => undefined);
      if (container) holder.container = container;
    }
    holders.push(holder);
  }
  // Writers first: they are the ones a person looks for.
  return { supported: true, holders: holders.sort((a, b) => (a.access === b.access ? a.pid - b.pid : a.access === 'write' ? -1 : 1)) };
}

/** "dbt (container platform-dbt-1, PID 4242)" or "dbt run (PID 4242)". */
export function holderText(holder: LockHolder): string {
  if (holder.container) {
    const who = holder.container.service ?? holder.command;
    return `${who} (container ${holder.container.name}, PID ${holder.pid})`;
  }
  if (holder.containerId) return `${holder.command} (container ${holder.containerId.slice(0, 12)}, PID ${holder.pid})`;
  return `${holder.command} (PID ${holder.pid})`;
}
