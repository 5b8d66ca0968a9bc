// Engine failures as data: what went wrong in plain words and what the user can do about it.

export type EngineProblemKind =
  | 'no-socket'
  | 'refused'
  | 'permission'
  | 'unknown-host'
  | 'timeout'
  | 'ssh'
  | 'bad-address'
  | 'api'
  | 'other';

export interface EngineProblem {
  kind: EngineProblemKind;
  /** True when the engine cannot be reached at all (as opposed to one request failing). */
  unreachable: boolean;
  /** The engine address tried, e.g. unix:///var/run/docker.sock. */
  host: string;
  /** One sentence: what is wrong. */
  cause: string;
  /** One sentence: what to do. */
  remedy: string;
  /** The raw error text, for logs. */
  detail: string;
}

interface ErrorLike {
  code?: unknown;
  errno?: unknown;
  statusCode?: unknown;
  level?: unknown;
  message?: unknown;
  json?: unknown;
}

function asErrorLike(e: unknown): ErrorLike {
  return typeof e === 'object' && e !== null ? (e as ErrorLike) : { message: String(e) };
}

export function badAddressProblem(host: string, message: string): EngineProblem {
  return {
    kind: 'bad-address',
    unreachable: true,
    host,
    cause: message,
    remedy: 'Fix DOCKER_HOST or the current docker context (`docker context ls`).',
    detail: message,
  };
}

/** Turns an error from dockerode / docker-modem / node:net into a problem the UI can show. */
export function describeEngineError(error: unknown, host: string, origin: string): EngineProblem {
  const e = asErrorLike(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const detail = typeof e.message === 'string' ? e.message : String(error);
  const where = `${host} (from ${origin})`;
  const make = (kind: EngineProblemKind, cause: string, remedy: string, unreachable = true): EngineProblem => ({
    kind,
    unreachable,
    host,
    cause,
    remedy,
    detail,
  });
  switch (code) {
    case 'ENOENT':
      return make('no-socket', `No Docker engine is listening at ${where}: the socket does not exist.`, 'Start Docker (Docker Desktop or `sudo systemctl start docker`), or point DOCKER_HOST / the docker context at a running engine.');
    case 'ECONNREFUSED':
      return make('refused', `The Docker engine at ${where} refused the connection; it is not running there.`, 'Start Docker, or point DOCKER_HOST / the docker context at a running engine.');
    case 'EACCES':
    case 'EPERM':
      return make('permission', `Permission denied on ${where}: this user may not use the Docker socket.`, 'Add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker.');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make('unknown-host', `The host of ${where} cannot be found.`, 'Check the host name in DOCKER_HOST or the docker context.');
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return make('timeout', `The Docker engine at ${where} does not answer (${code}).`, 'Check that the machine is up and reachable from here, then retry.');
    default:
      break;
  }
  if (typeof e.level === 'string' && e.level.startsWith('client-')) {
    return make('ssh', `SSH to ${where} failed: ${detail}.`, 'Check `ssh` to that host works without a password prompt (keys loaded in ssh-agent).');
  }
  if (/timeout/i.test(detail)) {
    return make('timeout', `The Docker engine at ${where} does not answer (timed out).`, 'Check that the machine is up and reachable from here, then retry.');
  }
  if (typeof e.statusCode === 'number') {
    const reason = typeof e.json === 'object' && e.json !== null && typeof (e.json as { message?: unknown }).message === 'string' ? (e.json as { message: string }).message : detail;
    return make('api', `The Docker engine at ${where} answered with an error (HTTP ${e.statusCode}): ${reason}`, 'Retry; if it persists, check `docker info` and the engine logs.', false);
  }
  return make('other', `The Docker engine at ${where} could not be used: ${detail}`, 'Check `docker info` from a terminal with the same environment, then retry.');
}
