// The service state model: every service of a compose project, created or not, with the state,
// ports and links the engine reports for its containers. Pure functions of (project, containers),
// so the VS Code tree and `duckstack status` show exactly the same thing.
import type { ComposeProject } from '../compose/project';
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
  health?: Health;
  /** The engine's own status line ("Up 5 minutes (healthy)"). */
  statusText: string;
  /** "5 minutes" for a running container, from the engine's status line. */
  upFor?: string;
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
  health?: Health;
  /** The compose file declares a healthcheck. */
  hasHealthcheck: boolean;
  image?: string;
  containers: ContainerStatus[];
  ports: PublishedPort[];
  upFor?: string;
  links: UiLink[];
  /** False for a service whose profiles are not active and which has no container. */
  active: boolean;
  /** 'ok' (healthy, or running without healthcheck), 'problem' (unhealthy, exited, dead, restarting), else 'idle'. */
  verdict: 'ok' | 'problem' | 'idle';
}

export interface StackSummary {
  /** Services counted: the active ones. */
  total: number;
  ok: number;
  problems: string[];
  /** "5/7 healthy". */
  text: string;
  level: 'ok' | 'warning' | 'error';
}

export type StackStatus =
  | { reachable: true; project: string; services: ServiceStatus[]; summary: StackSummary; at: Date }
  | { reachable: false; project: string; problem: EngineProblem; at: Date };

const HEALTH_IN_STATUS: [RegExp, Health][] = [
  [/\(health: starting\)/, 'starting'],
  [/\(unhealthy\)/, 'unhealthy'],
  [/\(healthy\)/, 'healthy'],
];

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

function toContainerStatus(c: ContainerSummary): ContainerStatus {
  const s = containerState(c);
  return {
    id: c.id,
    shortId: c.id.slice(0, 12),
    name: c.name,
    number: c.number,
    image: c.image,
    state: s.state,
    exitCode: s.exitCode,
    health: s.health,
    statusText: c.statusText,
    upFor: c.engineState === 'running' || c.engineState === 'paused' ? upForFrom(c.statusText) : undefined,
    created: c.created,
    ports: c.ports,
  };
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

function verdictOf(state: ServiceState): ServiceStatus['verdict'] {
  if (state === 'healthy' || state === 'running') return 'ok';
  return PROBLEM_STATES.has(state) ? 'problem' : 'idle';
}

function isActive(service: StackProject['services'][number], activeProfiles: string[]): boolean {
  return service.profiles.length === 0 || service.profiles.some((p) => activeProfiles.includes(p));
}

/**
 * The state of every service: those of the compose file in file order, then any service that
 * has containers but is no longer in the file (renamed or removed, still running).
 */
export function buildServiceStatuses(project: StackProject, containers: ContainerSummary[], uiHost = 'localhost'): ServiceStatus[] {
  const byService = new Map<string, ContainerStatus[]>();
  for (const c of containers) {
    if (c.oneOff || !c.service) continue;
    const list = byService.get(c.service) ?? [];
    list.push(toContainerStatus(c));
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
    const fromEngine = enginePorts(replicas);
    const ports = fromEngine.length > 0 ? fromEngine : service ? composePorts(service) : [];
    const image = replicas[0]?.image ?? service?.image;
    return {
      name,
      state,
      exitCode: state === 'exited' && exited.length > 0 ? Math.max(...exited.map((c) => c.exitCode ?? 0)) : undefined,
      health: worst?.health,
      hasHealthcheck: service?.healthcheck ?? false,
      image,
      containers: replicas,
      ports,
      upFor: replicas.find((c) => c.upFor)?.upFor,
      links: fromEngine.length > 0 && (state === 'running' || state === 'healthy' || state === 'starting' || state === 'unhealthy') ? uiLinks(name, image, fromEngine, uiHost) : [],
      active: replicas.length > 0 || (service ? isActive(service, project.activeProfiles) : false),
      verdict: verdictOf(state),
    };
  });
}

/** "5/7 healthy" over the active services; error when any has a problem. */
export function summarize(services: ServiceStatus[]): StackSummary {
  const counted = services.filter((s) => s.active);
  const ok = counted.filter((s) => s.verdict === 'ok').length;
  const problems = counted.filter((s) => s.verdict === 'problem').map((s) => s.name);
  const level: StackSummary['level'] = problems.length > 0 ? 'error' : ok < counted.length ? 'warning' : 'ok';
  return { total: counted.length, ok, problems, text: `${ok}/${counted.length} healthy`, level };
}

/** One-line description of a service state for lists and tooltips: "exited (3)", "healthy", "not created". */
export function describeState(s: Pick<ServiceStatus, 'state' | 'exitCode'>): string {
  if (s.state === 'exited') return s.exitCode === undefined ? 'exited' : `exited (${s.exitCode})`;
  return s.state.replace('-', ' ');
}
