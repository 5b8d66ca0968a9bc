// The guide's "Database connection issues" for one service: the DuckDB files it names (in its
// environment, or bind-mounted) exist on the host, its container user can read them (uid/gid
// against the file's owner and mode), a BI service mounts them read-only, and a simple query
// works. The query runs on a snapshot (issue 10's reads): the file itself is never opened.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ComposeService, ComposeVolume } from '../compose/project';
import { toHostPath } from '../duckdb/discovery';
import { serviceKind } from '../validate/logs';
import { walkWorkspace } from '../workspace/walk';
import type { Finding } from './types';

export interface DuckdbPath {
  /** As the container sees it (or as written, for a host path). */
  declared: string;
  host: string;
  /** The bind mount it reaches the container through. */
  mount?: ComposeVolume;
}

const DUCKDB_FILE = /\.(duckdb|ddb)$/i;
const DUCKDB_URI = /^duckdb:\/\/\/?([^?]+)/i;

function mountFor(containerPath: string, mounts: readonly ComposeVolume[]): ComposeVolume | undefined {
  return mounts
    .filter((m) => m.type === 'bind' && (containerPath === m.target || containerPath.startsWith(`${m.target.replace(/\/+$/, '')}/`)))
    .sort((a, b) => b.target.length - a.target.length)[0];
}

/** DuckDB files under a bind-mounted folder, two levels of folders deep at most. */
function filesUnder(dir: string): string[] {
  return [...walkWorkspace(dir, { maxDepth: 2 })].filter((e) => e.type === 'file' && DUCKDB_FILE.test(e.name)).map((e) => e.path);
}

/** The DuckDB files a service names: environment values that are DuckDB paths or URIs, and its bind mounts. */
export function serviceDuckdbPaths(service: ComposeService, projectDir: string): DuckdbPath[] {
  const out = new Map<string, DuckdbPath>();
  const add = (declared: string): void => {
    const host = toHostPath(declared, projectDir, service.volumes);
    if (!out.has(host)) out.set(host, { declared, host, mount: path.isAbsolute(declared) ? mountFor(declared, service.volumes) : undefined });
  };
  for (const value of Object.values(service.environment)) {
    if (typeof value !== 'string') continue;
    const uri = DUCKDB_URI.exec(value);
    const candidate = uri ? `/${uri[1].replace(/^\/+/, '')}` : value;
    if (DUCKDB_FILE.test(candidate)) add(candidate);
  }
  for (const m of service.volumes) {
    if (m.type !== 'bind' || !m.source) continue;
    if (DUCKDB_FILE.test(m.source)) add(m.target);
    else for (const file of filesUnder(m.source)) add(path.posix.join(m.target, path.relative(m.source, file).split(path.sep).join('/')));
  }
  return [...out.values()];
}

/** "1000:1000" → numbers; "" / "root" / "0" → root; a name → undefined (its uid is in the image's /etc/passwd). */
export function parseUser(user: string): { uid: number; gid?: number } | 'root' | undefined {
  if (user === '' || user === 'root' || user === '0' || user === '0:0') return 'root';
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  return m ? { uid: Number(m[1]), ...(m[2] !== undefined ? { gid: Number(m[2]) } : {}) } : undefined;
}

/** Whether uid/gid may read a file of this owner and mode (the permission bits only). */
export function canRead(stat: { uid: number; gid: number; mode: number }, who: { uid: number; gid?: number }): boolean {
  if (who.uid === stat.uid) return (stat.mode & 0o400) !== 0;
  if (who.gid !== undefined && who.gid === stat.gid) return (stat.mode & 0o040) !== 0;
  return (stat.mode & 0o004) !== 0;
}

export async function duckdbFinding(service: ComposeService, projectDir: string, imageUser: string | undefined): Promise<Finding> {
  const paths = serviceDuckdbPaths(service, projectDir);
  if (paths.length === 0) return { area: 'duckdb', status: 'fine', reason: 'It names no DuckDB file.', evidence: [] };
  const userText = service.user ?? imageUser;
  const who = userText === undefined ? undefined : parseUser(userText);
  const bi = ['superset', 'cube'].includes(serviceKind(service.name, service.image));
  const evidence: string[] = [];
  const problems: string[] = [];
  const actions = new Set<string>();
  for (const p of paths) {
    const shown = p.declared === p.host ? p.host : `${p.declared} (host ${p.host})`;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p.host);
    } catch {
      evidence.push(`${shown}: does not exist on the host`);
      problems.push(`${p.declared} does not exist on the host`);
      actions.add('Check the bind mount’s host path in the compose file, or run the pipeline that creates the database.');
      continue;
    }
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    const facts = [`owner ${stat.uid}:${stat.gid} mode ${mode}`];
    if (who === 'root') facts.push('readable (the container runs as root)');
    else if (who === undefined) facts.push(`read access not checked (the container user ${userText ?? '(unknown)'} is a name, resolved inside the image)`);
    else if (canRead(stat, who)) facts.push(`readable by ${who.uid}${who.gid !== undefined ? `:${who.gid}` : ''}`);
    else {
      facts.push(`not readable by ${who.uid}${who.gid !== undefined ? `:${who.gid}` : ''}`);
      problems.push(`${p.declared} is not readable by the container's user ${who.uid}${who.gid !== undefined ? `:${who.gid}` : ''}`);
      actions.add('Make the file readable by that user (`chmod o+r`, or `chown` it to the user), or run the service as its owner.');
    }
    if (bi && p.mount && !p.mount.readOnly) {
      facts.push('mounted read-write');
      problems.push(`${service.name} is a BI service but mounts ${p.mount.target} read-write`);
      actions.add('Mount the DuckDB folder read-only (`:ro`) in BI services, as the platform guide requires.');
    }
    // Loaded only here: DuckDB's native library is not needed until a file is read.
    const { runReadOnlyQuery } = await import('../duckdb/reader.js');
    const query = await runReadOnlyQuery(p.host, 'SELECT count(*) AS tables FROM duckdb_tables()', { timeoutMs: 15_000 });
    if (query.ok) facts.push(`a simple query works (${query.result.rows[0]?.[0] ?? '0'} tables, read on a snapshot)`);
    else {
      facts.push(`a simple query fails: ${query.problem.cause}`);
      problems.push(`a simple query on ${p.declared} fails: ${query.problem.cause}`);
      actions.add(query.problem.remedy);
    }
    evidence.push(`${shown}: ${facts.join('; ')}`);
  }
  if (problems.length === 0) return { area: 'duckdb', status: 'fine', reason: `Its DuckDB file${paths.length === 1 ? ' is' : 's are'} present, readable and answer a simple query.`, evidence };
  return { area: 'duckdb', status: 'found', reason: `${problems.join('; ')}.`, evidence, action: [...actions].join(' ') };
}
