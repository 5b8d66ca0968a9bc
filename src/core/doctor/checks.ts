// The guide's "Service won't start" checks for one service, each a pure function of what was
// read (the compose model, the engine's inspect data, logs, port holders), so the report says
// exactly what was seen.
import type { ComposeService } from '../compose/project';
import type { ContainerDetail, PortHolder } from '../docker/engine';
import { accessDeniedRemedy, explainComposeFailure, type ComposeFailure } from '../docker/compose-failure';
import { describeState, type ServiceStatus } from '../docker/services';
import { findErrorLines, serviceKind, stripComposePrefix } from '../validate/logs';
import type { ListenerLookup } from './host-ports';
import type { BuildFailure, Finding } from './types';
import type { VariableFinding } from './variables';

/** Evidence lines kept per finding. */
const MAX_EVIDENCE = 20;

function capped(lines: string[]): string[] {
  return lines.length <= MAX_EVIDENCE ? lines : [...lines.slice(0, MAX_EVIDENCE), `… and ${lines.length - MAX_EVIDENCE} more`];
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function notChecked(area: Finding['area'], reason: string): Finding {
  return { area, status: 'not-checked', reason, evidence: [] };
}

export interface ContainerRead {
  name: string;
  /** Its state as the tree shows it ("failed (exit 3)", "stopped (exit 137)", "unhealthy"): no times, so reports compare. */
  state: string;
  detail?: ContainerDetail;
}

/** Restarts of one container from which it is in a restart loop. */
export const RESTART_LOOP = 3;

/** Exit code, OOM flag, start error and restart count, explained. */
export function stateFinding(service: string, status: ServiceStatus, containers: readonly ContainerRead[]): Finding {
  if (containers.length === 0) {
    return {
      area: 'state',
      status: 'found',
      reason: 'It has no container: `docker compose up` did not create it (or it was removed).',
      evidence: [],
      action: `Start it (\`docker compose up -d ${service}\`); when that fails, the other findings and compose's output say why.`,
    };
  }
  const evidence: string[] = [];
  const problems: Array<{ reason: string; action: string }> = [];
  for (const c of containers) {
    const d = c.detail;
    evidence.push(`${c.name}: ${c.state}`);
    if (!d) continue;
    const stopped = status.state === 'exited' || status.state === 'created' || status.state === 'dead';
    if ((stopped && (d.error || status.state !== 'created')) || d.exitCode !== 0) evidence.push(`${c.name}: exit code ${d.exitCode}${d.oomKilled ? ', OOMKilled' : ''}`);
    if (d.error) evidence.push(`${c.name}: ${d.error}`);
    if (d.restartCount > 0) evidence.push(`${c.name}: restarted ${d.restartCount} time${d.restartCount === 1 ? '' : 's'}`);
    const why = d.error ? explainComposeFailure([d.error]) : undefined;
    if (why?.kind === 'command-not-found') {
      const missing = /executable file not found/.test(d.error ?? '');
      problems.push({
        reason: `It could not start: ${lowerFirst(why.cause).slice(0, -1)} (exit ${d.exitCode || (missing ? 127 : 126)}${missing ? ', command not found' : ', not executable'}).`,
        action: why.remedy,
      });
    } else if (why && why.kind !== 'unknown' && stopped) {
      problems.push({ reason: `It could not start: ${lowerFirst(why.cause)}`, action: why.remedy });
    } else if (d.error && stopped) {
      problems.push({ reason: `It could not start: ${d.error}`, action: 'Fix the cause the engine gives, then start it again.' });
    } else if (stopped && d.exitCode === 137) {
      problems.push(
        d.oomKilled
          ? {
              reason: 'It was killed for running out of memory: exit 137 (SIGKILL), and the engine recorded OOMKilled.',
              action: 'Raise its memory limit (mem_limit, or deploy.resources.limits.memory) or make it use less; `docker stats` shows its use.',
            }
          : {
              reason: 'It was killed with SIGKILL (exit 137), and the engine recorded no out-of-memory kill: something stopped it (docker kill, a stop timeout, or the host’s OOM killer).',
              action: 'Check who stopped it (`docker events`, the host’s kernel log); start it again.',
            },
      );
    } else if (stopped && d.exitCode === 127) {
      problems.push({ reason: 'Its command was not found (exit 127): the program it runs is not in the image or not on PATH.', action: 'Fix the service’s command or entrypoint, or install the program in the image.' });
    } else if (stopped && d.exitCode === 126) {
      problems.push({ reason: 'Its command could not be executed (exit 126): the file is not executable, or permission is denied.', action: 'Make the file executable in the image (`chmod +x` in the Dockerfile), or fix the command.' });
    } else if (status.state === 'exited' && d.exitCode !== 0) {
      problems.push({ reason: `It exited with code ${d.exitCode}.`, action: 'Its logs below say why; fix the cause, then start it again.' });
    }
    if (status.state === 'restarting' || d.restartCount >= RESTART_LOOP) {
      problems.push({ reason: `It is in a restart loop: restarted ${d.restartCount} times.`, action: 'Its logs and exit code say why it keeps stopping; fix that, rather than restarting it.' });
    }
  }
  if (problems.length === 0) {
    const exited0 = status.state === 'exited' && status.exitCode === 0;
    return { area: 'state', status: 'fine', reason: exited0 ? 'It ran to completion (exit 0).' : `It is ${describeState(status)}.`, evidence };
  }
  return { area: 'state', status: 'found', reason: problems.map((p) => p.reason).join(' '), evidence, action: [...new Set(problems.map((p) => p.action))].join(' ') };
}

/** The last health check results. */
export function healthFinding(service: ComposeService, containers: readonly ContainerRead[]): Finding {
  if (!service.healthcheck) return notChecked('health', 'No healthcheck is declared, so nothing can tell whether it is ready.');
  const withHealth = containers.filter((c) => c.detail?.health);
  if (withHealth.length === 0) return notChecked('health', containers.length === 0 ? 'It has no container, so no health check ran.' : 'No health check has run yet.');
  const evidence: string[] = [];
  let unhealthy = 0;
  let starting = 0;
  for (const c of withHealth) {
    const h = c.detail?.health;
    if (!h) continue;
    if (h.status === 'unhealthy') unhealthy++;
    if (h.status === 'starting') starting++;
    const last = h.log.at(-1);
    if (last) {
      const output = last.output.trim().split('\n').filter((l) => l.trim() !== '').slice(-5);
      evidence.push(`${c.name}: ${h.status}, last check exit ${last.exitCode}${output.length > 0 ? `: ${output.join(' / ')}` : ' (no output)'}`);
    } else evidence.push(`${c.name}: ${h.status}`);
  }
  if (unhealthy > 0) {
    return {
      area: 'health',
      status: 'found',
      reason: 'Its healthcheck fails, so compose does not count it as ready.',
      evidence,
      action: 'Run the healthcheck’s command in the container (`docker compose exec` it) and fix what it reports, or fix the check.',
    };
  }
  if (starting > 0) {
    return { area: 'health', status: 'found', reason: 'Its healthcheck has not passed yet.', evidence, action: 'Wait for the start period, then diagnose again; a check that never passes shows here as failing.' };
  }
  return { area: 'health', status: 'fine', reason: 'Its healthcheck passes.', evidence };
}

/** Error lines of its recent logs, each with the line before it as context. */
export function logsFinding(service: ComposeService, lines: readonly string[], tail: number): Finding {
  const texts = lines.map(stripComposePrefix);
  const errors = findErrorLines(texts, serviceKind(service.name, service.image));
  if (errors.length === 0) {
    const last = texts.slice(-5);
    return {
      area: 'logs',
      status: 'fine',
      reason: texts.length === 0 ? 'Its logs are empty.' : `No error lines in its last ${texts.length} lines (tail ${tail})${last.length > 0 ? '; the last ones:' : '.'}`,
      evidence: last,
    };
  }
  const evidence: string[] = [];
  const shown = new Set<number>();
  let from = 0;
  for (const e of errors) {
    const at = texts.indexOf(e.line, from);
    from = at + 1;
    if (at > 0 && !shown.has(at - 1)) {
      evidence.push(`  ${texts[at - 1]}`);
      shown.add(at - 1);
    }
    if (!shown.has(at)) evidence.push(`> ${texts[at]}`);
    shown.add(at);
  }
  const kinds = [...new Set(errors.flatMap((e) => e.matched))];
  return {
    area: 'logs',
    status: 'found',
    reason: `${errors.length} error line${errors.length === 1 ? '' : 's'} in its last ${texts.length} lines (${kinds.join(', ')}).`,
    evidence: capped(evidence),
    action: `Read them in context: \`docker compose logs --tail ${tail} ${service.name}\`.`,
  };
}

const CONDITION_WORD: Record<string, string> = {
  service_healthy: 'healthy',
  service_started: 'started',
  service_completed_successfully: 'completed successfully',
};

function satisfies(condition: string, dep: ServiceStatus): boolean {
  if (condition === 'service_healthy') return dep.state === 'healthy';
  if (condition === 'service_completed_successfully') return dep.state === 'exited' && dep.exitCode === 0;
  return ['running', 'healthy', 'unhealthy', 'starting'].includes(dep.state);
}

/** Each depends_on service's state against the condition waited for, and which ones block. */
export function dependenciesFinding(service: ComposeService, statuses: readonly ServiceStatus[]): Finding {
  const deps = Object.entries(service.dependsOn);
  if (deps.length === 0) return { area: 'dependencies', status: 'fine', reason: 'It depends on no other service.', evidence: [] };
  const evidence: string[] = [];
  const blocking: string[] = [];
  for (const [name, { condition }] of deps) {
    const dep = statuses.find((s) => s.name === name);
    const state = dep ? describeState(dep) : 'not in the project';
    evidence.push(`${name}: waited for until ${CONDITION_WORD[condition] ?? condition}; it is ${state}`);
    if (!dep || !satisfies(condition, dep)) blocking.push(`${name} (${state})`);
  }
  if (blocking.length === 0) return { area: 'dependencies', status: 'fine', reason: 'Every service it depends on is as it waits for.', evidence };
  return {
    area: 'dependencies',
    status: 'found',
    reason: `It is blocked by ${blocking.join(', ')}: compose starts it only once ${blocking.length === 1 ? 'that service is' : 'those services are'} as it waits for.`,
    evidence,
    action: `Diagnose ${blocking.map((b) => b.replace(/ \(.*$/, '')).join(', ')} first.`,
  };
}

export interface PortRead {
  port: number;
  /** Whether this service's own container publishes it now. */
  own: boolean;
  /** Other containers that publish it. */
  containers: PortHolder[];
  /** Host processes that listen on it (undefined when the engine is not on this machine). */
  listeners?: ListenerLookup;
}

/** Published host ports held by another container or a host process. */
export function portsFinding(reads: readonly PortRead[], remoteEngine: string | undefined): Finding {
  if (reads.length === 0) return { area: 'ports', status: 'fine', reason: 'It publishes no host port.', evidence: [] };
  const evidence: string[] = [];
  const held: string[] = [];
  const unknown: string[] = [];
  for (const r of reads) {
    if (r.own) {
      evidence.push(`${r.port}: published by this service`);
      continue;
    }
    if (r.containers.length > 0) {
      for (const c of r.containers) {
        evidence.push(`${r.port}: published by container ${c.name}${c.project ? ` (project ${c.project}${c.service ? `, service ${c.service}` : ''})` : ' (not a compose container)'}`);
      }
      held.push(String(r.port));
      continue;
    }
    const l = r.listeners;
    if (!l) {
      unknown.push(String(r.port));
      evidence.push(`${r.port}: no container publishes it; host processes not checked (${remoteEngine ?? 'the engine is not on this machine'})`);
    } else if (!l.supported) {
      unknown.push(String(r.port));
      evidence.push(`${r.port}: no container publishes it; host processes not checked (${l.reason})`);
    } else if (!l.listening) evidence.push(`${r.port}: free`);
    else {
      held.push(String(r.port));
      if (l.holders.length === 0) evidence.push(`${r.port}: a process listens on it, which this user may not inspect`);
      for (const h of l.holders) evidence.push(`${r.port}: held by PID ${h.pid}: ${h.command}`);
    }
  }
  if (held.length > 0) {
    return {
      area: 'ports',
      status: 'found',
      reason: `Host port${held.length === 1 ? '' : 's'} ${held.join(', ')} ${held.length === 1 ? 'is' : 'are'} held by something else, so the container cannot publish ${held.length === 1 ? 'it' : 'them'}.`,
      evidence,
      action: 'Stop what holds the port, or give this service another host port (the variable in .env that sets it).',
    };
  }
  if (unknown.length > 0) return { area: 'ports', status: 'not-checked', reason: `No container holds host port${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; host processes could not be checked.`, evidence };
  return { area: 'ports', status: 'fine', reason: `Its host port${reads.length === 1 ? ' is' : 's are'} free or its own.`, evidence };
}

const STATE_WORDS: Record<Exclude<VariableFinding['state'], 'set'>, string> = {
  empty: 'set but empty',
  'only-example': 'unset (only in .env.example)',
  unset: 'unset',
};

/** Variables it uses that are unset, empty or only documented; a missing .env. Names only, never values. */
export function environmentFinding(
  found: readonly VariableFinding[],
  files: { dotEnv: boolean; example?: string },
): Finding {
  const problems = found.filter((v) => v.state !== 'set');
  const noDotEnv = !files.dotEnv && files.example !== undefined;
  if (problems.length === 0) {
    return {
      area: 'environment',
      status: 'fine',
      reason: found.length === 0 ? 'It uses no variables without a default.' : `The ${found.length} variable${found.length === 1 ? '' : 's'} it uses without a default ${found.length === 1 ? 'is' : 'are'} set.`,
      evidence: [],
    };
  }
  const evidence = problems.map((v) => `${v.name}: ${STATE_WORDS[v.state as Exclude<VariableFinding['state'], 'set'>]}${v.required ? ', required (compose refuses to start without it)' : ''}`);
  if (noDotEnv) evidence.push(`no .env file beside the compose file (${files.example} exists)`);
  const names = problems.map((v) => v.name).join(', ');
  const required = problems.some((v) => v.required && v.state !== 'empty') || problems.some((v) => v.required);
  const finding: Finding = {
    area: 'environment',
    status: 'found',
    reason: `${problems.length === 1 ? 'A variable it uses is' : `${problems.length} variables it uses are`} not set: ${names}${required ? '; compose will not start the project until the required ones are' : ''}.`,
    evidence,
    action: noDotEnv
      ? `Create .env from ${files.example} with its secrets generated, then set any of ${names} it leaves unset.`
      : `Set ${names} in .env (or in the environment compose runs in).`,
  };
  if (noDotEnv) finding.next = [{ kind: 'create-env' }];
  return finding;
}

/** The doctor's `compose build` of an image that was not built: it built, or why not. */
export type BuildRun =
  | { ok: true; command: string }
  | { ok: false; command: string; cancelled: boolean; timedOutMs?: number; reason: string; failure?: ComposeFailure };

export type ImageRead =
  | { present: true }
  /** Built by its build section; `built` is the doctor's build of it (absent when it could not run one: `why`). */
  | { present: false; build: true; built?: BuildRun; why?: string }
  | { present: false; build: false; registry?: { ok: true } | { ok: false; message: string } };

/** The doctor's build of an image that was not built: it builds now, or the failing step and its Dockerfile line. */
function buildFinding(service: ComposeService, ref: string, built: BuildRun | undefined, why: string | undefined): Finding {
  if (!built) {
    return {
      area: 'image',
      status: 'found',
      reason: `${ref} is not built yet${why ? `, and the doctor could not build it: ${why}` : '.'}`,
      evidence: [],
      action: `Build it: \`docker compose build ${service.name}\` (up builds it too); a failing build names its Dockerfile step.`,
    };
  }
  const ran = `The doctor built the image: ${built.command}`;
  if (built.ok) return { area: 'image', status: 'fine', reason: `${ref} was not built; the doctor built it, and it builds.`, evidence: [ran] };
  if (built.cancelled) {
    const reason = built.timedOutMs !== undefined ? `${ref} is not built, and the doctor's build of it took longer than ${built.timedOutMs >= 1000 ? `${Math.round(built.timedOutMs / 1000)} s` : `${built.timedOutMs} ms`}, so it was stopped.` : `${ref} is not built, and the doctor's build of it was cancelled.`;
    return { ...notChecked('image', reason), evidence: [ran] };
  }
  const failure = built.failure;
  if (!failure) return { area: 'image', status: 'found', reason: `${ref} is not built, and building it failed: ${built.reason}`, evidence: [ran], action: `Run \`docker compose build ${service.name}\` and read its output.` };
  const where: BuildFailure = {
    ...(failure.step ? { step: failure.step } : {}),
    ...(failure.dockerfile ? { dockerfile: failure.dockerfile } : {}),
    ...(failure.line ? { line: failure.line } : {}),
  };
  return {
    area: 'image',
    status: 'found',
    reason: failure.kind === 'build-failed' ? `${ref} is not built, and it does not build: ${failure.cause.replace(/^The image build/, 'the build')}` : `${ref} is not built, and building it failed: ${failure.cause}`,
    evidence: [ran, ...failure.evidence],
    action: failure.remedy,
    // Show Output is the editor's compose output channel, which the doctor does not write.
    ...(failure.actions.some((a) => a.kind === 'open-file') ? { next: failure.actions.filter((a) => a.kind === 'open-file') } : {}),
    ...(failure.kind === 'build-failed' ? { build: where } : {}),
  };
}

/** The image present locally, built by the doctor, or why it cannot be pulled. */
export function imageFinding(service: ComposeService, ref: string | undefined, read: ImageRead): Finding {
  if (!ref) return notChecked('image', 'It names no image and has no build section.');
  if (read.present) return { area: 'image', status: 'fine', reason: `${ref} is present locally.`, evidence: [] };
  if (read.build) return buildFinding(service, ref, read.built, read.why);
  if (!read.registry) return notChecked('image', `${ref} is not present locally; its registry was not asked.`);
  if (read.registry.ok) return { area: 'image', status: 'fine', reason: `${ref} is not present locally; its registry has it, so compose pulls it on up.`, evidence: [] };
  // The engine's words, one line each (a registry's error list comes as "errors:" and a line per error).
  const words = read.registry.message.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== 'errors:');
  const why = explainComposeFailure(words);
  const registry = why.registry ?? 'its registry';
  const reason =
    why.kind === 'registry-unreachable'
      ? `${ref} is not present locally, and its registry ${registry} cannot be reached from the Docker engine, so it cannot be pulled.`
      : why.kind === 'image-not-found'
        ? `${ref} is not present locally, and its registry does not have that tag.`
        : why.kind === 'access-denied'
          ? `${ref} is not present locally, and its registry refuses access: the image does not exist, or it is private and you are not logged in.`
          : `${ref} is not present locally and cannot be pulled: ${why.cause}`;
  // The engine's words name no image here: the login goes to the registry of this one.
  const action = why.kind === 'access-denied' ? accessDeniedRemedy(ref) : why.remedy;
  return { area: 'image', status: 'found', reason, evidence: words, action };
}
