// A Docker engine at ssh://user@host[:port], reached as the docker CLI reaches it: over SSH, running
// `docker system dial-stdio` on that machine, one SSH connection per HTTP connection. DuckStack
// gives dockerode its own http.Agent doing this, and dockerode speaks plain HTTP through it:
// docker-modem's own ssh mode builds the invalid URL "ssh:host:22…" for every request, which
// Node reports as a deprecation (DEP0170) and a future Node will refuse.
//
// As ssh does: the agent at SSH_AUTH_SOCK and the default key files (~/.ssh/id_ed25519,
// id_ecdsa, id_rsa) authenticate; the host key must be in ~/.ssh/known_hosts (plain or hashed
// entries), so a host never seen or whose key changed is refused with a message saying so.
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Duplex } from 'node:stream';
import type { ConnectConfig } from 'ssh2';

export interface SshTarget {
  host: string;
  port: number;
  /** From the address (ssh://me@host); else the local user's name, as ssh does. */
  username?: string;
}

/** Private key files ssh tries by default, in its order. */
const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

function readRegularFile(file: string): Buffer | undefined {
  try {
    return fs.statSync(file).isFile() ? fs.readFileSync(file) : undefined;
  } catch {
    return undefined;
  }
}

/** The name known_hosts files use for a host: "host", or "[host]:port" off port 22. */
function knownHostsName(target: SshTarget): string {
  return target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}

function hostPatternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    // Hashed: |1|base64(salt)|base64(HMAC-SHA1(salt, name))
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern.split(',').some((p) => p === name);
}

export type HostKeyCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks a host's public key (the SSH wire blob) against known_hosts text, as ssh's
 * StrictHostKeyChecking=yes does: the host must be listed, with this key among its keys.
 */
export function checkHostKey(knownHosts: string | undefined, target: SshTarget, key: Buffer, file: string): HostKeyCheck {
  const name = knownHostsName(target);
  const keys: string[] = [];
  for (const raw of (knownHosts ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    // A marker (@cert-authority, @revoked) is not a plain host key: those lines are not used here.
    if (fields[0].startsWith('@') || fields.length < 3) continue;
    if (hostPatternMatches(fields[0], name)) keys.push(fields[2]);
  }
  const offered = key.toString('base64');
  if (keys.includes(offered)) return { ok: true };
  if (keys.length === 0) {
    return { ok: false, message: `the host key of ${name} is not in ${file}; connect once with \`ssh${target.port === 22 ? '' : ` -p ${target.port}`} ${target.username ? `${target.username}@` : ''}${target.host}\` and accept it, then retry` };
  }
  return { ok: false, message: `the host key of ${name} does not match the one in ${file}: it changed, or someone is in between; check it before connecting` };
}

/** The SSH connection settings for a target, from the environment the way ssh reads it. */
export function sshConnectConfig(target: SshTarget, env: NodeJS.ProcessEnv): { config: ConnectConfig; hostKeyProblem: () => string | undefined } {
  const sshDir = path.join(homeOf(env), '.ssh');
  const knownHostsFile = path.join(sshDir, 'known_hosts');
  const privateKey = DEFAULT_KEYS.map((k) => readRegularFile(path.join(sshDir, k))).find((k) => k !== undefined);
  let problem: string | undefined;
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    username: target.username || env.USER || os.userInfo().username,
    agent: env.SSH_AUTH_SOCK || undefined,
    privateKey,
    readyTimeout: 10_000,
    hostVerifier: (key: Buffer) => {
      const checked = checkHostKey(readRegularFile(knownHostsFile)?.toString('utf8'), target, key, knownHostsFile);
      problem = checked.ok ? undefined : checked.message;
      return checked.ok;
    },
  };
  return { config, hostKeyProblem: () => problem };
}

/**
 * An http.Agent whose every connection is `docker system dial-stdio` on the target over SSH.
 * ssh2 is loaded on the first connection (it is bundled with dockerode, off the activation path).
 */
export function sshDockerAgent(target: SshTarget, env: NodeJS.ProcessEnv): http.Agent {
  const { config, hostKeyProblem } = sshConnectConfig(target, env);
  const agent = new http.Agent();
  const dial = async (): Promise<Duplex> => {
    const { Client } = await import('ssh2');
    const conn = new Client();
    return new Promise<Duplex>((resolve, reject) => {
      conn.once('error', (e) => {
        const hostKey = hostKeyProblem();
        reject(hostKey ? new Error(hostKey) : e);
      });
      conn.once('ready', () => {
        conn.exec('docker system dial-stdio', (err, stream) => {
          if (err) {
            conn.end();
            reject(err);
            return;
          }
          stream.once('close', () => conn.end());
          resolve(stream);
        });
      });
      conn.connect(config);
    });
  };
  // Node's Agent takes a callback-style createConnection: the socket arrives when SSH is ready.
  const withCallback = agent as unknown as { createConnection: (options: unknown, callback: (err: Error | null, socket?: Duplex) => void) => undefined };
  withCallback.createConnection = (_options, callback) => {
    dial().then((stream) => callback(null, stream), (e: unknown) => callback(e instanceof Error ? e : new Error(String(e))));
    return undefined;
  };
  return agent;
}
