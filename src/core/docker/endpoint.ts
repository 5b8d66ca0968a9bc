// Which Docker engine to talk to, resolved the way the docker CLI does it: DOCKER_HOST wins,
// then DOCKER_CONTEXT, then the config's currentContext (its endpoint comes from the context
// meta store), then the platform's default socket.
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DockerOptions } from 'dockerode';
import { defaultDockerHost } from '../fs/paths';
import type { SshTarget } from './ssh';

export interface DockerEndpoint {
  /** The engine address as docker writes it: unix:///var/run/docker.sock, tcp://h:2376, ssh://user@h. */
  host: string;
  /** Where the address came from, for messages ("DOCKER_HOST", "docker context 'remote'", "default socket"). */
  origin: string;
  tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; verify: boolean };
}

export type EndpointResult = { ok: true; endpoint: DockerEndpoint } | { ok: false; message: string };


function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch {
    return undefined;
  }
}

async function tlsFrom(dir: string, verify: boolean): Promise<DockerEndpoint['tls']> {
  const [ca, cert, key] = await Promise.all(['ca.pem', 'cert.pem', 'key.pem'].map((f) => readOptional(path.join(dir, f))));
  if (!ca && !cert && !key) return verify ? { verify } : undefined;
  return { ca, cert, key, verify };
}

interface ContextMeta {
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

async function currentContextName(env: NodeJS.ProcessEnv, configDir: string): Promise<string | undefined> {
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  const raw = await readOptional(path.join(configDir, 'config.json'));
  if (!raw) return undefined;
  try {
    const config = JSON.parse(raw.toString('utf8')) as { currentContext?: unknown };
    return typeof config.currentContext === 'string' && config.currentContext !== '' ? config.currentContext : undefined;
  } catch {
    return undefined;
  }
}

/** The machine the default engine address is chosen for (this one, unless a test says otherwise). */
export interface EndpointPlatform {
  platform: NodeJS.Platform;
  exists: (file: string) => boolean;
}

const THIS_MACHINE: EndpointPlatform = { platform: process.platform, exists: (file) => existsSync(file) };

/** Resolves the engine endpoint from an environment (process.env in production, a fixture in tests). */
export async function resolveDockerEndpoint(env: NodeJS.ProcessEnv, machine: EndpointPlatform = THIS_MACHINE): Promise<EndpointResult> {
  if (env.DOCKER_HOST) {
    const verify = env.DOCKER_TLS_VERIFY === '1';
    const tls = env.DOCKER_CERT_PATH ? await tlsFrom(env.DOCKER_CERT_PATH, verify) : verify ? { verify } : undefined;
    return { ok: true, endpoint: { host: env.DOCKER_HOST, origin: 'DOCKER_HOST', tls } };
  }
  const configDir = dockerConfigDir(env);
  const name = await currentContextName(env, configDir);
  if (!name || name === 'default') {
    return { ok: true, endpoint: { host: defaultDockerHost(machine.platform, env.HOME || os.homedir(), machine.exists), origin: 'the default socket' } };
  }

  const id = createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  const raw = await readOptional(metaFile);
  if (!raw) return { ok: false, message: `docker context '${name}' is selected but ${metaFile} does not exist; run \`docker context use default\` or recreate the context` };
  let meta: ContextMeta;
  try {
    meta = JSON.parse(raw.toString('utf8')) as ContextMeta;
  } catch {
    return { ok: false, message: `docker context '${name}': ${metaFile} is not valid JSON` };
  }
  const docker = meta.Endpoints?.docker;
  if (!docker?.Host) return { ok: false, message: `docker context '${name}' has no Docker endpoint` };
  const tls = await tlsFrom(path.join(configDir, 'contexts', 'tls', id, 'docker'), !docker.SkipTLSVerify);
  return { ok: true, endpoint: { host: docker.Host, origin: `docker context '${name}'`, tls: tls?.ca || tls?.cert ? tls : undefined } };
}

export type ModemOptionsResult = { ok: true; options: DockerOptions; ssh?: SshTarget } | { ok: false; message: string };

/**
 * Options for dockerode. Every connection field is set (undefined where unused) because
 * docker-modem merges its own defaults read from process.env underneath ours.
 */
export function dockerodeOptions(endpoint: DockerEndpoint): ModemOptionsResult {
  const base: DockerOptions = { socketPath: undefined, host: undefined, port: undefined, protocol: undefined, username: undefined };
  const { host } = endpoint;
  if (host.startsWith('unix://')) return { ok: true, options: { ...base, socketPath: host.slice('unix://'.length) || '/var/run/docker.sock' } };
  if (host.startsWith('npipe://')) return { ok: true, options: { ...base, socketPath: host.slice('npipe://'.length) || '//./pipe/docker_engine' } };
  let url: URL;
  try {
    url = new URL(host.includes('://') ? host : `tcp://${host}`);
  } catch {
    return { ok: false, message: `${endpoint.origin} is '${host}', which is not a Docker address (expected unix:///path, tcp://host:port or ssh://user@host)` };
  }
  if (url.protocol === 'ssh:') {
    // Plain HTTP through DuckStack's own SSH agent (see ./ssh): dockerode's ssh mode prints DEP0170.
    const ssh = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 22), username: decodeURIComponent(url.username) || undefined };
    return { ok: true, options: { ...base, protocol: 'http', host: ssh.host, port: ssh.port }, ssh };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = endpoint.tls;
    const https = url.protocol === 'https:' || Boolean(tls) || url.port === '2376';
    return {
      ok: true,
      options: {
        ...base,
        protocol: https ? 'https' : 'http',
        host: url.hostname,
        port: url.port || (https ? 2376 : 2375),
        ca: tls?.ca,
        cert: tls?.cert,
        key: tls?.key,
      },
    };
  }
  return { ok: false, message: `${endpoint.origin} uses '${url.protocol}', which DuckStack cannot reach (use unix://, tcp:// or ssh://)` };
}

/** The host name to put in "Open UI" links: the engine's machine for tcp/ssh, else localhost. */
export function uiHostFor(endpoint: DockerEndpoint): string {
  if (endpoint.host.startsWith('unix://') || endpoint.host.startsWith('npipe://')) return 'localhost';
  try {
    const name = new URL(endpoint.host.includes('://') ? endpoint.host : `tcp://${endpoint.host}`).hostname;
    return name === '' || name === '0.0.0.0' ? 'localhost' : name;
  } catch {
    return 'localhost';
  }
}
