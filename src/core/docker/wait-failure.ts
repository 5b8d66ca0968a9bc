// A failed `up --wait` names only the first container compose gave up on ("container p-job-1
// exited (3)"). After it fails, the engine is read once and every service that failed to become
// healthy or exited is named, each with Diagnose, so the one compose did not mention is not missed.
import { joinWithAnd } from '../text/list';
import type { ComposeResult } from './compose-cli';
import type { ComposeFailure } from './compose-failure';
import { readStackStatusFromEnv } from './monitor';
import { describeState, type ServiceStatus, type StackProject } from './services';

export interface FailedService {
  name: string;
  /** "failed (exit 3)", "unhealthy", "starting" (health not passed yet when compose stopped waiting). */
  state: string;
}

/** The services `up` starts for `names`: them and, transitively, what they depend on. */
export function withDependencies(project: StackProject, names: readonly string[]): string[] {
  const out = new Set<string>();
  const visit = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    for (const dep of Object.keys(project.services.find((s) => s.name === name)?.dependsOn ?? {})) visit(dep);
  };
  for (const name of names) visit(name);
  return [...out];
}

/** Services (of those `up` was asked for, or all active ones) that failed to become healthy or exited with an error. */
export function servicesThatFailed(statuses: readonly ServiceStatus[], asked: readonly string[] = []): FailedService[] {
  const wanted = (s: ServiceStatus): boolean => (asked.length === 0 ? s.active : asked.includes(s.name));
  return statuses
    .filter(wanted)
    .filter((s) => s.verdict === 'problem' || s.state === 'starting' || (s.state === 'exited' && s.exit?.kind !== 'completed'))
    .map((s) => ({ name: s.name, state: s.state === 'starting' ? 'not healthy yet (health: starting)' : describeState(s) }));
}

function listed(failed: readonly FailedService[]): string {
  const parts = failed.map((f) => (/^(failed|stopped|completed|exited)\b/.test(f.state) ? `${f.name} ${f.state}` : `${f.name} is ${f.state}`));
  return joinWithAnd(parts);
}

/** The failure of an `up --wait`, naming every failing service from `statuses`. */
export function explainWaitFailure(failure: ComposeFailure, failed: readonly FailedService[]): ComposeFailure {
  if (failed.length === 0) return failure;
  return {
    ...failure,
    kind: 'unhealthy',
    cause: `Not every service became healthy: ${listed(failed)}.`,
    remedy: failed.length === 1 ? `Diagnose ${failed[0].name}: its exit, healthcheck output and logs say why.` : 'Diagnose each of them: their exit, healthcheck output and logs say why.',
    actions: [...failed.map((f) => ({ kind: 'diagnose' as const, service: f.name })), { kind: 'show-output' as const }],
    services: [...failed],
    ...(failed.length === 1 ? { service: failed[0].name } : {}),
  };
}

/** Whether a compose result is a failed `up` whose waiting compose gave up on (an exit or a failing healthcheck). */
export function isWaitFailure(result: ComposeResult): boolean {
  if (result.ok || result.cancelled || !result.failure) return false;
  const verb = result.args.find((a) => a === 'up' || a === 'down');
  return verb === 'up' && (result.failure.kind === 'unhealthy' || result.failure.kind === 'unknown');
}

/**
 * After a failed `up --wait`: reads the engine once and names every service that failed to become
 * healthy or exited. Any other result is returned as it is; so is this one when the engine cannot be read.
 */
export async function withWaitFailures(result: ComposeResult, project: StackProject, env: NodeJS.ProcessEnv, asked: readonly string[] = []): Promise<ComposeResult> {
  if (!isWaitFailure(result) || result.ok || !result.failure) return result;
  const status = await readStackStatusFromEnv(project, env);
  if (!status.reachable) return result;
  const failed = servicesThatFailed(status.services, asked);
  return { ...result, failure: explainWaitFailure(result.failure, failed) };
}
