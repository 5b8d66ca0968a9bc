// The checks that need the running stack: the optional full restart, every service running and
// healthy, no error lines in the logs, each web UI answering, and Cube listing its cubes.
// Reads go through the engine (one list call); actions and logs through the compose CLI.
import { locateService } from '../compose/locate';
import { isServiceActive, type ComposeProject, type ComposeService } from '../compose/project';
import { ComposeRunner, detectComposeCli } from '../docker/compose-cli';
import { uiHostFor } from '../docker/endpoint';
import { openDockerEngine } from '../docker/engine';
import { readStackStatus } from '../docker/monitor';
import { describeState, KNOWN_UIS, type ServiceStatus } from '../docker/services';
import { withWaitFailures } from '../docker/wait-failure';
import { cubeToken, httpGet } from './http';
import { findErrorLines, serviceKind } from './logs';
import type { Check } from './types';

export interface RuntimeOptions {
  restart: boolean;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  progress: (step: string) => void;
  httpTimeoutMs: number;
  logTail: number;
  host: 'cli' | 'editor';
}

/** Evidence lines shown per check at most; the count of the rest is said. */
const MAX_EVIDENCE = 20;

const RESTART_TITLE = 'Full restart (down, then up --wait) succeeds';
const CUBE_TITLE = 'Cube lists its cubes (/cubejs-api/v1/meta)';

function capped(lines: string[]): string[] {
  return lines.length <= MAX_EVIDENCE ? lines : [...lines.slice(0, MAX_EVIDENCE), `… and ${lines.length - MAX_EVIDENCE} more`];
}

function cubeService(project: ComposeProject): ComposeService | undefined {
  return project.services.find((s) => isServiceActive(s, project.activeProfiles) && serviceKind(s.name, s.image) === 'cube');
}

/** The known platform UIs a service publishes, from the compose file (for services not running). */
function declaredUis(service: ComposeService): string[] {
  return service.ports
    .filter((p) => p.published !== undefined)
    .flatMap((p) => KNOWN_UIS.filter((k) => String(k.port) === p.target && (k.pattern.test(service.name) || k.pattern.test(service.image ?? ''))))
    .map((k) => k.label);
}

/** The rows that stand for the runtime checks when none of them can run. */
function notCheckedRows(project: ComposeProject, options: RuntimeOptions, reason: string): Check[] {
  const rows: Check[] = [
    { id: 'restart', title: RESTART_TITLE, group: 'services', status: 'not-checked', reason: options.restart ? reason : notAskedReason(options.host), evidence: [] },
    { id: 'services', title: 'Every service is running and healthy', group: 'services', status: 'not-checked', reason, evidence: [] },
    { id: 'logs', title: 'No error lines in the services’ recent logs', group: 'services', status: 'not-checked', reason, evidence: [] },
    { id: 'ui', title: 'Each published UI answers over HTTP', group: 'services', status: 'not-checked', reason, evidence: [] },
  ];
  const cube = cubeService(project);
  rows.push(
    cube
      ? { id: 'cube-meta', title: CUBE_TITLE, group: 'services', status: 'not-checked', reason, evidence: [], service: cube.name }
      : cubeAbsent(),
  );
  return rows;
}

function notAskedReason(host: RuntimeOptions['host']): string {
  return host === 'editor'
    ? 'Not asked for: run DuckStack: Validate Platform again and choose “Full restart, then validate” to check that the stack comes back after down, then up --wait.'
    : 'Not asked for: run with --restart to check that the stack comes back after down, then up --wait.';
}

function cubeAbsent(): Check {
  return { id: 'cube-meta', title: CUBE_TITLE, group: 'services', status: 'not-checked', reason: 'Cube is not in the stack.', evidence: [] };
}

export async function runtimeChecks(project: ComposeProject, options: RuntimeOptions): Promise<Check[]> {
  options.progress('Connecting to Docker…');
  const opened = await openDockerEngine(options.env);
  if (!opened.ok) return notCheckedRows(project, options, `Docker is not reachable: ${opened.problem.cause}`);
  const engine = opened.engine;
  const ping = await engine.ping();
  if (!ping.ok) return notCheckedRows(project, options, `Docker is not reachable: ${ping.problem.cause}`);

  const detected = await detectComposeCli(options.env);
  const runner = detected.ok ? new ComposeRunner(detected.cli, project, options.env) : undefined;
  const noCliReason = detected.ok ? '' : detected.message;
  const checks: Check[] = [];

  if (!options.restart) {
    checks.push({ id: 'restart', title: RESTART_TITLE, group: 'services', status: 'not-checked', reason: notAskedReason(options.host), evidence: [] });
  } else if (!runner) {
    checks.push({ id: 'restart', title: RESTART_TITLE, group: 'services', status: 'not-checked', reason: noCliReason, evidence: [] });
  } else {
    options.progress('Full restart: docker compose down, then up -d --wait…');
    const start = performance.now();
    // A failed up --wait names every service that failed to become healthy or exited.
    const result = await withWaitFailures(await runner.restartStack({ signal: options.signal }), project, options.env);
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    checks.push(
      result.ok
        ? { id: 'restart', title: RESTART_TITLE, group: 'services', status: 'pass', reason: `down, then up -d --wait succeeded in ${seconds} s.`, evidence: [] }
        : {
            id: 'restart',
            title: RESTART_TITLE,
            group: 'services',
            status: result.cancelled ? 'not-checked' : 'fail',
            reason: result.cancelled ? 'Cancelled.' : result.failure ? `${result.failure.cause} ${result.failure.remedy}` : result.reason,
            evidence: capped([...(result.failure?.services ?? []).map((s) => `${s.name}: ${s.state}`), ...result.stderrTail.filter((l) => l.trim() !== '')]),
            ...(whereIs(project, result.failure?.services?.[0]?.name ?? result.failure?.service) ?? { file: project.files[0] }),
          },
    );
  }
  if (options.signal?.aborted) return [...checks, ...notCheckedRows(project, options, 'Cancelled.').filter((c) => c.id !== 'restart')];

  options.progress('Reading the services’ state…');
  const status = await readStackStatus(engine, project);
  if (!status.reachable) {
    return [...checks, ...notCheckedRows(project, options, `Docker is not reachable: ${status.problem.cause}`).filter((c) => c.id !== 'restart')];
  }
  const services = status.services.filter((s) => s.active);
  for (const s of services) checks.push(serviceCheck(s, project, options.host));

  for (const s of services) {
    if (options.signal?.aborted) break;
    options.progress(`Reading ${s.name}’s logs…`);
    checks.push(await logsCheck(s, project, runner, noCliReason, options));
  }

  for (const s of services) {
    if (options.signal?.aborted) break;
    const check = await uiCheck(s, project, options);
    if (check) checks.push(check);
  }

  const cube = cubeService(project);
  if (!cube) checks.push(cubeAbsent());
  else if (!options.signal?.aborted) {
    options.progress('Asking Cube for its cubes…');
    checks.push(await cubeCheck(cube, services.find((s) => s.name === cube.name), uiHostFor(engine.endpoint), options));
  }
  if (options.signal?.aborted) {
    const done = new Set(checks.map((c) => c.id));
    for (const s of services) {
      if (!done.has(`logs:${s.name}`)) checks.push({ id: `logs:${s.name}`, title: logsTitle(s.name), group: 'services', status: 'not-checked', reason: 'Cancelled.', evidence: [], service: s.name });
    }
    if (cube && !done.has('cube-meta')) checks.push({ id: 'cube-meta', title: CUBE_TITLE, group: 'services', status: 'not-checked', reason: 'Cancelled.', evidence: [], service: cube.name });
  }
  return checks;
}

function serviceCheck(s: ServiceStatus, project: ComposeProject, host: RuntimeOptions['host']): Check {
  const base = { id: `service:${s.name}`, title: `${s.name} is running and healthy`, group: 'services' as const, service: s.name, ...(whereIs(project, s.name) ?? { file: project.files[0] }) };
  const evidence = s.containers.map((c) => `${c.name}: ${c.statusText}`);
  const state = describeState(s);
  if (s.state === 'healthy') return { ...base, status: 'pass', reason: `healthy${s.upFor ? `, up ${s.upFor}` : ''}.`, evidence };
  if (s.state === 'running') return { ...base, status: 'pass', reason: `running (no healthcheck declared)${s.upFor ? `, up ${s.upFor}` : ''}.`, evidence };
  if (s.state === 'exited' && s.exit?.kind === 'completed') return { ...base, status: 'pass', reason: 'ran to completion (exit 0).', evidence };
  const start = host === 'editor' ? 'Start Platform (or Start Service) in Platform Services' : 'duckstack up, or docker compose up -d';
  if (s.state === 'not-created') return { ...base, status: 'fail', reason: `not created: start it (${start}).`, evidence };
  if (s.state === 'exited' && s.exit?.kind === 'stopped') return { ...base, status: 'fail', reason: `${state}${s.exit.byUser ? ', stopped on request' : ''}: start it (${start}).`, evidence };
  const health = s.containers.find((c) => c.health === 'unhealthy');
  const why = s.state === 'unhealthy' ? 'its healthcheck fails' : s.state === 'starting' ? 'its healthcheck has not passed yet' : state;
  return { ...base, status: 'fail', reason: `${why}${health ? ` (${health.name})` : ''}.`, evidence };
}

/** The compose file and line that define a service, for the report's link. */
function whereIs(project: ComposeProject, service: string | undefined): { file: string; line: number } | undefined {
  return service === undefined ? undefined : locateService(project.files, service);
}

function logsTitle(name: string): string {
  return `No error lines in ${name}’s recent logs`;
}

async function logsCheck(
  s: ServiceStatus,
  project: ComposeProject,
  runner: ComposeRunner | undefined,
  noCliReason: string,
  options: RuntimeOptions,
): Promise<Check> {
  const base = { id: `logs:${s.name}`, title: logsTitle(s.name), group: 'services' as const, service: s.name };
  if (s.containers.length === 0) return { ...base, status: 'not-checked', reason: 'The service has no container, so no logs.', evidence: [] };
  if (!runner) return { ...base, status: 'not-checked', reason: noCliReason, evidence: [] };
  const lines: string[] = [];
  const result = await runner.logs({ service: s.name, tail: options.logTail, signal: options.signal, onLine: (l) => lines.push(l.text) });
  if (!result.ok) return { ...base, status: 'not-checked', reason: result.reason, evidence: [] };
  const declared = project.services.find((d) => d.name === s.name);
  const found = findErrorLines(lines, serviceKind(s.name, declared?.image ?? s.image));
  if (found.length === 0) return { ...base, status: 'pass', reason: `no error lines in the last ${lines.length} lines (tail ${options.logTail}).`, evidence: [] };
  const kinds = [...new Set(found.flatMap((f) => f.matched))];
  return {
    ...base,
    status: 'fail',
    reason: `${found.length} error line${found.length === 1 ? '' : 's'} in the last ${options.logTail} (${kinds.join(', ')}).`,
    evidence: capped(found.map((f) => f.line)),
  };
}

async function uiCheck(s: ServiceStatus, project: ComposeProject, options: RuntimeOptions): Promise<Check | undefined> {
  const declared = project.services.find((d) => d.name === s.name);
  const expected = declared ? declaredUis(declared) : [];
  const label = s.links[0]?.label ?? expected[0];
  if (label === undefined) return undefined;
  const base = { id: `ui:${s.name}`, title: `${label.startsWith('HTTP ') ? `${s.name} (${label})` : label} answers over HTTP`, group: 'services' as const, service: s.name };
  if (s.links.length === 0) return { ...base, status: 'fail', reason: `${s.name} is ${describeState(s)}, so its UI cannot answer.`, evidence: [] };
  options.progress(`Opening ${s.links.map((l) => l.url).join(', ')}…`);
  const evidence: string[] = [];
  const failures: string[] = [];
  for (const link of s.links) {
    const answer = await httpGet(link.url, { timeoutMs: options.httpTimeoutMs, signal: options.signal });
    if (answer.ok) {
      evidence.push(`GET ${link.url} → HTTP ${answer.status} in ${answer.ms} ms`);
      if (answer.status >= 500) failures.push(`${link.url} answered HTTP ${answer.status}`);
    } else {
      evidence.push(`GET ${link.url} → ${answer.error}`);
      failures.push(`${link.url}: ${answer.error}`);
    }
  }
  return failures.length === 0
    ? { ...base, status: 'pass', reason: `${s.links.map((l) => l.url).join(', ')} answer${s.links.length === 1 ? 's' : ''}.`, evidence }
    : { ...base, status: 'fail', reason: `${failures.join('; ')}.`, evidence };
}

interface CubeMeta {
  cubes?: Array<{ name?: unknown }>;
}

async function cubeCheck(cube: ComposeService, status: ServiceStatus | undefined, uiHost: string, options: RuntimeOptions): Promise<Check> {
  const base = { id: 'cube-meta', title: CUBE_TITLE, group: 'services' as const, service: cube.name };
  const port = status?.ports.find((p) => p.source === 'engine' && p.target === 4000 && p.published !== undefined);
  if (!status || !port) {
    const running = status !== undefined && (status.state === 'running' || status.state === 'healthy' || status.state === 'unhealthy' || status.state === 'starting');
    const why = running ? 'does not publish container port 4000' : `is ${status ? describeState(status) : 'not created'}`;
    return { ...base, status: 'fail', reason: `${cube.name} ${why}, so Cube cannot be asked.`, evidence: [] };
  }
  const url = `http://${uiHost.includes(':') ? `[${uiHost}]` : uiHost}:${port.published}/cubejs-api/v1/meta`;
  const secret = cube.environment.CUBEJS_API_SECRET;
  const headers: Record<string, string> = secret ? { Authorization: cubeToken(secret) } : {};
  const answer = await httpGet(url, { timeoutMs: options.httpTimeoutMs, signal: options.signal, headers });
  if (!answer.ok) return { ...base, status: 'fail', reason: `GET ${url}: ${answer.error}.`, evidence: [] };
  const evidence = [`GET ${url} → HTTP ${answer.status} in ${answer.ms} ms`];
  if (answer.status !== 200) {
    return { ...base, status: 'fail', reason: `Cube answered HTTP ${answer.status}.`, evidence: [...evidence, answer.body.slice(0, 300)] };
  }
  let meta: CubeMeta;
  try {
    meta = JSON.parse(answer.body) as CubeMeta;
  } catch {
    return { ...base, status: 'fail', reason: 'Cube’s answer is not JSON.', evidence: [...evidence, answer.body.slice(0, 300)] };
  }
  const names = (Array.isArray(meta.cubes) ? meta.cubes : []).map((c) => String(c?.name ?? '?'));
  if (names.length === 0) return { ...base, status: 'fail', reason: 'Cube answers but lists no cubes: check its model folder and DuckDB connection.', evidence };
  return { ...base, status: 'pass', reason: `Cube lists ${names.length} cube${names.length === 1 ? '' : 's'}.`, evidence: [...evidence, ...capped(names)] };
}
