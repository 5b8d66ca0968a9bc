// Shared by the Docker tests: the engine prerequisite, free ports, waiting on the monitor.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { openDockerEngine, type DockerEngine } from '../../../src/core/docker/engine';
import type { RefreshReason, ServiceMonitor } from '../../../src/core/docker/monitor';
import type { StackStatus } from '../../../src/core/docker/services';
export { freePort } from '../../harness/processes';

export const STACK_DIR = path.resolve(__dirname, '../../../../test/fixtures/docker/stack');

/** The engine the test runner provides; a clear failure when there is none. */
export async function requireEngine(): Promise<DockerEngine> {
  const host = process.env.DOCKER_HOST;
  const howTo = 'Run `eval "$(scripts/ensure-docker.sh)"` first (it starts or reuses a private dockerd and exports DOCKER_HOST and DOCKER_CONFIG).';
  if (!host) throw new Error(`DOCKER_HOST is not set: these tests need a real Docker engine. ${howTo}`);
  const opened = await openDockerEngine(process.env);
  if (!opened.ok) throw new Error(`DOCKER_HOST=${host} is unusable: ${opened.problem.cause} ${howTo}`);
  const ping = await opened.engine.ping();
  if (!ping.ok) throw new Error(`DOCKER_HOST=${host} does not answer: ${ping.problem.cause} ${howTo}`);
  return opened.engine;
}

export function docker(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('docker', args, { env: process.env }, (error, stdout, stderr) => {
      if (error) reject(new Error(`docker ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout.trim());
    });
  });
}

function describe(status: StackStatus | undefined): string {
  if (!status) return 'no status yet';
  if (!status.reachable) return `not reachable (${status.problem.kind})`;
  return status.services.map((s) => `${s.name}=${s.state}${s.exitCode === undefined ? '' : `(${s.exitCode})`}`).join(' ');
}

/**
 * Resolves with the first status (current or next) matching `predicate`; with `onlyNext`,
 * the current one is not considered, so the match must come from a later refresh.
 */
export function waitForStatus(
  monitor: ServiceMonitor,
  predicate: (s: StackStatus) => boolean,
  what: string,
  { timeoutMs = 20_000, onlyNext = false } = {},
): Promise<{ status: StackStatus; reason: RefreshReason | 'current' }> {
  return new Promise((resolve, reject) => {
    const current = monitor.current;
    if (!onlyNext && current && predicate(current)) {
      resolve({ status: current, reason: 'current' });
      return;
    }
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${describe(monitor.current)}`));
    }, timeoutMs);
    const subscription = monitor.onChange((status, reason) => {
      if (!predicate(status)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve({ status, reason });
    });
  });
}

export function service(status: StackStatus, name: string) {
  if (!status.reachable) throw new Error(`engine not reachable: ${status.problem.cause}`);
  const found = status.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name} in ${status.services.map((s) => s.name).join(', ')}`);
  return found;
}
