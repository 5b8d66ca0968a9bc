// The service state model: every service of a compose project, created or not, with the state,
// ports and links the engine reports for its containers. Pure functions of (project, containers),
// so the VS Code tree and `duckstack status` show exactly the same thing.
import { isServiceActive, type ComposeProject } from '../compose/project';
import type { ContainerSummary, PortBinding } from './engine';
import type { EngineProblem } from './problem';

/** The part of the compose model the service view needs. */
export type StackProject = Pick<ComposeProject, 'name' | 'dir' | 'files' | 'services' | 'activeProfiles'>;

export type ServiceState =
  | 'not-created'
  | 'created'
  | 'starting'
  | 'running'
  | 'healthy'
  | 'unhealthy'
  | 'restarting'
  | 'exited'
  | 'paused'
  | 'dead';

export type Health = 'starting' | 'healthy' | 'unhealthy';

/**
 * Why an exited container is not running: `stopped` by the user (a stop the engine reported) or by
 * a stop signal (exit 130, 137 without an out-of-memory kill, 143), `completed` (exit 0: a one-shot
 * job done), or `failed` (any other exit code, or killed for lack of memory).
 */
export type ExitKind = 'stopped' | 'completed' | 'failed';

export interface ExitInfo {
  kind: ExitKind;
  code?: number;
  /** The engine reported a stop (`docker stop`, `docker compose stop`) for this container. */
  byUser: boolean;
  /** The engine reported an out-of-memory kill. */
  oom: boolean;
}

/** What the engine's events told about containers that its list does not say. */
export interface ContainerHistory {
  /** Containers whose last exit followed a stop request (docker stop, compose stop). */
  stoppedByUser: ReadonlySet<string>;
  /** Whether a container's last exit was an out-of-memory kill, where known (an oom event, or inspect). */
  oomKilled: ReadonlyMap<string, boolean>;
  /** When each container last started, from its start event. */
  startedAt: ReadonlyMap<string, Date>;
}

export const NO_HISTORY: ContainerHistory = { stoppedByUser: new Set(), oomKilled: new Map(), startedAt: new Map() };

export interface PublishedPort extends PortBinding {
  /** 'engine' when read from a container, 'compose' when taken from the (interpolated) compose file. */
  source: 'engine' | 'compose';
}

export interface ContainerStatus {
  id: string;
  shortId: string;
  name: string;
  number: number;
  image: string;
  state: ServiceState;
  exitCode?: number;
  /** For an exited container: stopped, completed or failed. */
  exit?: ExitInfo;
  health?: Health;
  /** The engine's own status line ("Up 5 minutes (healthy)"). */
  statusText: string;
  /** "5 minutes" for a running container, from the engine's status line. */
  upFor?: string;
  /** When it started, for a running or paused container: exact from its start event, else estimated from the status line. */
  startedAt?: Date;
  /** Whether startedAt came from the engine (exact) or the status line's words (about). */
  startedAtExact?: boolean;
  created: Date;
  ports: PortBinding[];
}

export interface UiLink {
  /** "Dagster", "Superset", … or "HTTP 8080" for any other published web port. */
  label: string;
  url: string;
}

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  /** Exit code when state is 'exited' (the highest among replicas). */
  exitCode?: number;
  /** For an exited service: stopped, completed or failed (the worst replica). */
  exit?: ExitInfo;
  health?: Health;
  /** The compose file declares a healthcheck. */
  hasHealthcheck: boolean;
  image?: string;
  containers: ContainerStatus[];
  /** Ports published now, as the engine reports them: none while the service does not run. */
  ports: PublishedPort[];
  /** Ports the compose file publishes when the service runs (interpolated). */
  declaredPorts: PublishedPort[];
  upFor?: string;
  /** The earliest start of its running containers (see ContainerStatus.startedAt). */
  startedAt?: Date;
  startedAtExact?: boolean;
  links: UiLink[];
  /** The compose profiles the service belongs to (none: it always starts). */
  profiles: string[];
  /** False for a service whose profiles are not active and which has no container. */
  active: boolean;
  /**
   * 'ok' (healthy, running without healthcheck, or completed), 'problem' (unhealthy, failed, dead,
   * restarting), else 'idle' (not created, created, starting, paused, stopped).
   */
  verdict: 'ok' | 'problem' | 'idle';
}

export interface StackSummary {
  /** Services counted: the active ones. */
  total: number;
  /** Services whose healthcheck passes. */
  healthy: number;
  /** Services with a healthcheck (the denominator of "healthy"). */
  withHealthcheck: number;
  /** Running services that declare no healthcheck: up, but nothing says they work. */
  runningUnchecked: number;
  /** Healthy, running without healthcheck, or completed: nothing to do. */
  ok: number;
  /** Names per kind of state, for tooltips: failed, unhealthy, starting, stopped, completed, not created… */
  byState: Record<SummaryGroup, string[]>;
  /** Services that need attention (unhealthy, failed, dead, restarting). */
  problems: string[];
  /** True when no active service has a container. */
  nothingRuns: boolean;
  /** One line, true in every state: "not started", "2/3 healthy, 1 running (no healthcheck), 2 failed". */
  text: string;
  level: 'ok' | 'warning' | 'error';
}

export type SummaryGroup = 'healthy' | 'running' | 'starting' | 'unhealthy' | 'failed' | 'restarting' | 'completed' | 'stopped' | 'paused' | 'created' | 'not-created';

export type StackStatus =
  | { reachable: true; project: string; services: ServiceStatus[]; summary: StackSummary; at: Date }
  | { reachable: false; project: string; problem: EngineProblem; at: Date };

const HEALTH_IN_STATUS: [RegExp, Health][] = [
  [/\(health: starting\)/, 'starting'],
  [/\(unhealthy\)/, 'unhealthy'],
  [/\(healthy\)/, 'healthy'],
];

/** Exit codes of a process ended by a stop signal: SIGINT (130), SIGKILL (137), SIGTERM (143). */
const STOP_SIGNAL_CODES: ReadonlySet<number> = new Set([130, 137, 143]);

/** Stopped, completed or failed, from the exit code and what the engine's events said. */
export function classifyExit(code: number | undefined, byUser: boolean, oom: boolean): ExitInfo {
  const base = { byUser, oom, ...(code === undefined ? {} : { code }) };
  if (oom) return { kind: 'failed', ...base };
  if (byUser) return { kind: 'stopped', ...base };
  if (code === 0) return { kind: 'completed', ...base };
  if (code !== undefined && STOP_SIGNAL_CODES.has(code)) return { kind: 'stopped', ...base };
  return { kind: 'failed', ...base };
}

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86_400, week: 604_800, month: 2_592_000, year: 31_536_000 };

/** The start time the engine's "Up …" words imply ("40 seconds", "About a minute", "2 hours"), measured from `now`. */
export function startFromUpFor(upFor: string, now: Date): Date | undefined {
  const text = upFor.trim().toLowerCase();
  if (text === 'less than a second') return now;
  const m = /^(?:(about )?(an?|\d+)) (second|minute|hour|day|week|month|year)s?$/.exec(text);
  if (!m) return undefined;
  const count = m[2] === 'a' || m[2] === 'an' ? 1 : Number(m[2]);
  return new Date(now.getTime() - count * UNIT_SECONDS[m[3]] * 1000);
}

function containerState(c: ContainerSummary): { state: ServiceState; exitCode?: number; health?: Health } {
  const health = HEALTH_IN_STATUS.find(([re]) => re.test(c.statusText))?.[1];
  switch (c.engineState) {
    case 'created':
      return { state: 'created' };
    case 'running':
      return { state: health ?? 'running', health };
    case 'restarting':
      return { state: 'restarting' };
    case 'paused':
      return { state: 'paused', health };
    case 'dead':
      return { state: 'dead' };
    default: {
      // exited, and removing (about to disappear): the status line carries the exit code.
      const code = /Exited \((-?\d+)\)/.exec(c.statusText);
      return { state: 'exited', exitCode: code ? Number(code[1]) : undefined };
    }
  }
}

/** Most severe first: a service is as well as its worst replica. */
const SEVERITY: ServiceState[] = ['dead', 'unhealthy', 'restarting', 'exited', 'starting', 'paused', 'created', 'running', 'healthy', 'not-created'];

const PROBLEM_STATES: ReadonlySet<ServiceState> = new Set(['unhealthy', 'exited', 'dead', 'restarting']);

function upForFrom(statusText: string): string | undefined {
  const m = /^Up (.+?)(?: \((?:healthy|unhealthy|health: starting|Paused)\))*$/.exec(statusText);
  return m ? m[1] : undefined;
}

function toContainerStatus(c: ContainerSummary, history: ContainerHistory, now: Date): ContainerStatus {
  const s = containerState(c);
  const up = c.engineState === 'running' || c.engineState === 'paused';
  const upFor = up ? upForFrom(c.statusText) : undefined;
  const known = up ? history.startedAt.get(c.id) : undefined;
  const estimated = up && !known && upFor ? startFromUpFor(upFor, now) : undefined;
  const status: ContainerStatus = {
    id: c.id,
    shortId: c.id.slice(0, 12),
    name: c.name,
    number: c.number,
    image: c.image,
    state: s.state,
    exitCode: s.exitCode,
    health: s.health,
    statusText: c.statusText,
    upFor,
    created: c.created,
    ports: c.ports,
  };
  if (s.state === 'exited') status.exit = classifyExit(s.exitCode, history.stoppedByUser.has(c.id), history.oomKilled.get(c.id) === true);
  if (known || estimated) {
    status.startedAt = known ?? estimated;
    status.startedAtExact = known !== undefined;
  }
  return status;
}

/** Published ports of the containers, one per (host port, target, protocol): IPv4 and IPv6 bindings collapse. */
function enginePorts(containers: ContainerStatus[]): PublishedPort[] {
  const seen = new Map<string, PublishedPort>();
  for (const c of containers) {
    for (const p of c.ports) {
      if (p.published === undefined) continue;
      const key = `${p.published}/${p.target}/${p.protocol}`;
      const existing = seen.get(key);
      if (!existing || (existing.hostIp?.includes(':') && !p.hostIp?.includes(':'))) seen.set(key, { ...p, source: 'engine' });
    }
  }
  return [...seen.values()].sort((a, b) => (a.published ?? 0) - (b.published ?? 0) || a.target - b.target);
}

/** The compose file's ports after interpolation; ranges give their first port. */
function composePorts(service: StackProject['services'][number]): PublishedPort[] {
  return service.ports.map((p) => {
    const published = p.published ? Number.parseInt(p.published, 10) : undefined;
    return {
      hostIp: p.hostIp,
      published: published !== undefined && Number.isFinite(published) ? published : undefined,
      target: Number.parseInt(p.target, 10),
      protocol: p.protocol || 'tcp',
      source: 'compose' as const,
    };
  });
}

interface KnownUi {
  label: string;
  pattern: RegExp;
  port: number;
}

/** The platform's web UIs, recognised by service or image name and container port. */
export const KNOWN_UIS: readonly KnownUi[] = [
  { label: 'Dagster', pattern: /dagster/i, port: 3000 },
  { label: 'Superset', pattern: /superset/i, port: 8088 },
  { label: 'Cube', pattern: /cube/i, port: 4000 },
  { label: 'Jupyter', pattern: /jupyter|notebook|pandasai/i, port: 8888 },
];

/** Container ports that are known not to speak HTTP (databases, brokers, Cube's SQL API). */
const NON_HTTP_PORTS: ReadonlySet<number> = new Set([22, 1433, 3306, 5432, 6379, 9092, 11211, 15432, 27017, 5672, 2181]);

function uiLinks(serviceName: string, image: string | undefined, ports: PublishedPort[], uiHost: string): UiLink[] {
  const links: UiLink[] = [];
  for (const p of ports) {
    if (p.published === undefined || p.protocol !== 'tcp') continue;
    const host = p.hostIp && !['0.0.0.0', '::', ''].includes(p.hostIp) && uiHost === 'localhost' ? p.hostIp : uiHost;
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const scheme = p.target === 443 || p.target === 8443 ? 'https' : 'http';
    const url = `${scheme}://${hostPart}:${p.published}/`;
    const known = KNOWN_UIS.find((k) => k.port === p.target && (k.pattern.test(serviceName) || k.pattern.test(image ?? '')));
    if (known) links.push({ label: known.label, url });
    else if (!NON_HTTP_PORTS.has(p.target)) links.push({ label: `HTTP ${p.published}`, url });
  }
  // Known platform UIs first, so "Open UI" picks Dagster over a side port.
  return links.sort((a, b) => Number(a.label.startsWith('HTTP ')) - Number(b.label.startsWith('HTTP ')));
}

function verdictOf(state: ServiceState, exit: ExitInfo | undefined): ServiceStatus['verdict'] {
  if (state === 'healthy' || state === 'running') return 'ok';
  if (state === 'exited') return exit?.kind === 'completed' ? 'ok' : exit?.kind === 'stopped' ? 'idle' : 'problem';
  return PROBLEM_STATES.has(state) ? 'problem' : 'idle';
}

/** The worse of two exits: failed, then stopped, then completed. */
function worseExit(a: ExitInfo | undefined, b: ExitInfo | undefined): ExitInfo | undefined {
  const rank = (e: ExitInfo | undefined): number => (e === undefined ? -1 : ['completed', 'stopped', 'failed'].indexOf(e.kind));
  return rank(b) > rank(a) ? b : a;
}

/**
 * The state of every service: those of the compose file in file order, then any service that
 * has containers but is no longer in the file (renamed or removed, still running).
 */
export function buildServiceStatuses(
  project: StackProject,
  containers: ContainerSummary[],
  uiHost = 'localhost',
  history: ContainerHistory = NO_HISTORY,
  now: Date = new Date(),
): ServiceStatus[] {
  const byService = new Map<string, ContainerStatus[]>();
  for (const c of containers) {
    if (c.oneOff || !c.service) continue;
    const list = byService.get(c.service) ?? [];
    list.push(toContainerStatus(c, history, now));
    byService.set(c.service, list);
  }
  const declared = new Map(project.services.map((s) => [s.name, s]));
  const names = [...project.services.map((s) => s.name), ...[...byService.keys()].filter((n) => !declared.has(n)).sort()];
  return names.map((name): ServiceStatus => {
    const service = declared.get(name);
    const replicas = (byService.get(name) ?? []).sort((a, b) => a.number - b.number);
    const worst = replicas.reduce<ContainerStatus | undefined>(
      (w, c) => (!w || SEVERITY.indexOf(c.state) < SEVERITY.indexOf(w.state) ? c : w),
      undefined,
    );
    const state: ServiceState = worst?.state ?? 'not-created';
    const exited = replicas.filter((c) => c.state === 'exited' && c.exitCode !== undefined);
    const exit = state === 'exited' ? replicas.reduce<ExitInfo | undefined>((w, c) => worseExit(w, c.exit), undefined) : undefined;
    // Ports exist only while published: an exited or never created container publishes nothing.
    const ports = enginePorts(replicas);
    const image = replicas[0]?.image ?? service?.image;
    const started = replicas.filter((c) => c.startedAt).sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))[0];
    const status: ServiceStatus = {
      name,
      state,
      exitCode: state === 'exited' && exited.length > 0 ? Math.max(...exited.map((c) => c.exitCode ?? 0)) : undefined,
      health: worst?.health,
      hasHealthcheck: service?.healthcheck ?? false,
      image,
      containers: replicas,
      ports,
      declaredPorts: service ? composePorts(service) : [],
      upFor: replicas.find((c) => c.upFor)?.upFor,
      links: ports.length > 0 && (state === 'running' || state === 'healthy' || state === 'starting' || state === 'unhealthy') ? uiLinks(name, image, ports, uiHost) : [],
      profiles: service?.profiles ?? [],
      active: replicas.length > 0 || (service ? isServiceActive(service, project.activeProfiles) : false),
      verdict: verdictOf(state, exit),
    };
    if (exit) status.exit = exit;
    if (started?.startedAt) {
      status.startedAt = started.startedAt;
      status.startedAtExact = started.startedAtExact;
    }
    return status;
  });
}

/** The group a service counts in, for the summary and the status bar. */
export function summaryGroup(s: Pick<ServiceStatus, 'state' | 'exit' | 'hasHealthcheck'>): SummaryGroup {
  switch (s.state) {
    case 'exited':
      return s.exit?.kind === 'completed' ? 'completed' : s.exit?.kind === 'stopped' ? 'stopped' : 'failed';
    case 'dead':
      return 'failed';
    default:
      return s.state;
  }
}

const GROUP_WORDS: Array<[SummaryGroup, string]> = [
  ['running', 'running (no healthcheck)'],
  ['unhealthy', 'unhealthy'],
  ['failed', 'failed'],
  ['restarting', 'restarting'],
  ['starting', 'starting'],
  ['paused', 'paused'],
  ['stopped', 'stopped'],
  ['completed', 'completed'],
  ['created', 'created'],
  ['not-created', 'not created'],
];

/**
 * The active services in one line that is true in every state: "not started (5 services)" when
 * none has a container, else the healthy ones over those with a healthcheck, then every other
 * group by name ("2/3 healthy, 1 running (no healthcheck), 1 failed, 1 completed").
 */
export function summarize(services: ServiceStatus[]): StackSummary {
  const counted = services.filter((s) => s.active);
  const byState = Object.fromEntries(
    (['healthy', 'running', 'starting', 'unhealthy', 'failed', 'restarting', 'completed', 'stopped', 'paused', 'created', 'not-created'] as SummaryGroup[]).map((g) => [g, [] as string[]]),
  ) as Record<SummaryGroup, string[]>;
  for (const s of counted) byState[summaryGroup(s)].push(s.name);
  const withHealthcheck = counted.filter((s) => s.hasHealthcheck).length;
  const healthy = byState.healthy.length;
  const ok = counted.filter((s) => s.verdict === 'ok').length;
  const problems = counted.filter((s) => s.verdict === 'problem').map((s) => s.name);
  const nothingRuns = counted.every((s) => s.containers.length === 0);
  const level: StackSummary['level'] = problems.length > 0 ? 'error' : ok < counted.length ? 'warning' : 'ok';
  let text: string;
  if (counted.length === 0) text = 'no service to run';
  else if (nothingRuns) text = `not started (${counted.length} service${counted.length === 1 ? '' : 's'})`;
  else {
    const parts: string[] = [];
    if (withHealthcheck > 0) parts.push(`${healthy}/${withHealthcheck} healthy`);
    for (const [group, words] of GROUP_WORDS) if (byState[group].length > 0) parts.push(`${byState[group].length} ${words}`);
    text = parts.join(', ');
  }
  return { total: counted.length, healthy, withHealthcheck, runningUnchecked: byState.running.length, ok, byState, problems, nothingRuns, text, level };
}

/** One-line description of a service state for lists and tooltips: "failed (exit 3)", "stopped", "healthy", "not created". */
export function describeState(s: Pick<ServiceStatus, 'state' | 'exitCode' | 'exit'>): string {
  if (s.state === 'exited') {
    const exit = s.exit;
    const code = exit?.code ?? s.exitCode;
    if (!exit) return code === undefined ? 'exited' : `exited (${code})`;
    if (exit.oom) return `failed: out of memory${code === undefined ? '' : ` (exit ${code})`}`;
    if (exit.kind === 'completed') return 'completed (exit 0)';
    if (exit.kind === 'stopped') return code === undefined ? 'stopped' : `stopped (exit ${code})`;
    return code === undefined ? 'failed' : `failed (exit ${code})`;
  }
  return s.state.replace('-', ' ');
}
