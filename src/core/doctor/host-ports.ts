// Who listens on a host TCP port, from the kernel's tables (Linux): /proc/net/tcp{,6} give the
// listening socket's inode, /proc/<pid>/fd links name the process that holds it. Nothing is
// opened on the port, so the check changes nothing. Processes this user may not inspect are
// not seen (the answer then says so).
import * as fs from 'node:fs';

export interface PortListener {
  pid: number;
  /** The process's command line, arguments joined by spaces. */
  command: string;
}

export type ListenerLookup =
  | { supported: false; reason: string }
  | { supported: true; listening: boolean; holders: PortListener[] };

const LISTEN = '0A';

/** The inodes of sockets listening on `port` in one /proc/net/tcp-format table. */
export function listeningInodes(table: string, port: number): number[] {
  const inodes: number[] = [];
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10 || cols[3] !== LISTEN) continue;
    const local = cols[1];
    const hexPort = local.slice(local.lastIndexOf(':') + 1);
    if (Number.parseInt(hexPort, 16) !== port) continue;
    const inode = Number(cols[9]);
    if (inode > 0) inodes.push(inode);
  }
  return inodes;
}

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The processes that hold a TCP socket listening on `port` on this machine. */
export function findPortListeners(port: number, proc = '/proc'): ListenerLookup {
  if (process.platform !== 'linux') return { supported: false, reason: `finding the process on a port is done from ${proc} on Linux only` };
  const tables = [readOr(`${proc}/net/tcp`), readOr(`${proc}/net/tcp6`)];
  if (tables.every((t) => t === undefined)) return { supported: false, reason: `${proc}/net/tcp cannot be read` };
  const inodes = new Set(tables.flatMap((t) => (t === undefined ? [] : listeningInodes(t, port))));
  if (inodes.size === 0) return { supported: true, listening: false, holders: [] };
  const holders: PortListener[] = [];
  let pids: string[] = [];
  try {
    pids = fs.readdirSync(proc).filter((d) => /^\d+$/.test(d));
  } catch {
    pids = [];
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`${proc}/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`${proc}/${pid}/fd/${fd}`));
        return m !== null && inodes.has(Number(m[1]));
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    const command = (readOr(`${proc}/${pid}/cmdline`) ?? '').split('\0').filter((a) => a !== '').join(' ');
    holders.push({ pid: Number(pid), command });
  }
  holders.sort((a, b) => a.pid - b.pid);
  return { supported: true, listening: true, holders };
}
