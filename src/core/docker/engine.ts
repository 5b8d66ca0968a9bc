// The read side of the Docker engine (list, inspect, events) over dockerode. dockerode is
// imported only inside openDockerEngine, so loading this module costs nothing at activation.
import type Dockerode from 'dockerode';
import { dockerodeOptions, resolveDockerEndpoint, type DockerEndpoint } from './endpoint';
import { sshDockerAgent } from './ssh';
import { badAddressProblem, describeEngineError, type EngineProblem } from './problem';

export type EngineResult<T> = { ok: true; value: T } | { ok: false; problem: EngineProblem };

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';
const COMPOSE_NUMBER_LABEL = 'com.docker.compose.container-number';
const COMPOSE_ONEOFF_LABEL = 'com.docker.compose.oneoff';

export interface PortBinding {
  /** Host address the port is bound to ("0.0.0.0", "::", "127.0.0.1"); absent when not published. */
  hostIp?: string;
  published?: number;
  target: number;
  protocol: string;
}

/** One container as the list call returns it, reduced to what the service model needs. */
export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  service: string;
  /** Replica number compose gave it (1, 2, …). */
  number: number;
  /** `docker compose run` containers, which are not part of the service's state. */
  oneOff: boolean;
  /** The engine's state: created, running, paused, restarting, removing, exited, dead. */
  engineState: string;
  /** The engine's status line, e.g. "Up 5 minutes (healthy)", "Exited (3) 2 seconds ago". */
  statusText: string;
  created: Date;
  ports: PortBinding[];
}

export interface HealthProbe {
  start: string;
  end: string;
  exitCode: number;
  output: string;
}

/** What only inspect knows: exact start time and the health check log. */
export interface ContainerDetail {
  id: string;
  /** Without the leading slash, e.g. platform-dbt-1. */
  name: string;
  labels: Record<string, string>;
  startedAt?: Date;
  finishedAt?: Date;
  exitCode: number;
  restartCount: number;
  oomKilled: boolean;
  error?: string;
  health?: { status: string; failingStreak: number; log: HealthProbe[] };
}

/** A container event, as much as the model uses of it. */
export interface ContainerEvent {
  action: string;
  containerId: string;
  service?: string;
  /** The exit code a die event carries. */
  exitCode?: number;
  timeNano: number;
}

export interface EventSubscription {
  close(): void;
}

export interface EventHandlers {
  onEvent(event: ContainerEvent): void;
  /** The stream ended or broke (engine stopped, connection lost); `error` is set when it broke. */
  onEnd(problem?: EngineProblem): void;
}

export interface DockerEngine {
  readonly endpoint: DockerEndpoint;
  ping(): Promise<EngineResult<{ version: string; apiVersion: string }>>;
  /** ONE list call: every container (running or not) of a compose project. */
  listProjectContainers(project: string): Promise<EngineResult<ContainerSummary[]>>;
  inspectContainer(id: string): Promise<EngineResult<ContainerDetail>>;
  /** Subscribes to container events of one compose project that can change a service's state. */
  watchProjectEvents(project: string, handlers: EventHandlers): Promise<EngineResult<EventSubscription>>;
  /** The state events of one compose project the engine still holds from `since` until now (one call; the engine keeps its last few hundred). */
  projectEventHistory(project: string, since: Date): Promise<EngineResult<ContainerEvent[]>>;
  /** The local image by reference; `undefined` when the engine does not have it. */
  inspectImage(ref: string): Promise<EngineResult<LocalImage | undefined>>;
  /**
   * Asks the image's registry for its manifest without pulling (the engine's distribution
   * endpoint): ok when the registry has it, else the registry's or the network's error text.
   */
  checkRegistry(ref: string): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Running containers of any project that publish `port` on the host. */
  containersPublishing(port: number): Promise<EngineResult<PortHolder[]>>;
}

export interface LocalImage {
  id: string;
  created?: Date;
  /** The user its containers run as (Config.User; "" is root). */
  user: string;
}

/** A container that publishes a host port. */
export interface PortHolder {
  name: string;
  /** Its compose project and service, when compose made it. */
  project?: string;
  service?: string;
}

/**
 * Actions that can change what the model shows. exec_* (health checks run one every interval),
 * attach, resize, top, … are left out by the engine's own filter so they cost nothing.
 */
export const STATE_EVENTS = [
  'create',
  'start',
  'restart',
  'stop',
  'die',
  'kill',
  'oom',
  'pause',
  'unpause',
  'destroy',
  'rename',
  'update',
  'health_status',
] as const;

function toDate(iso: string | undefined): Date | undefined {
  if (!iso || iso.startsWith('0001-')) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function asStatus(e: unknown): number | undefined {
  const code = typeof e === 'object' && e !== null ? (e as { statusCode?: unknown }).statusCode : undefined;
  return typeof code === 'number' ? code : undefined;
}

function toSummary(c: Dockerode.ContainerInfo): ContainerSummary {
  const labels = c.Labels ?? {};
  const ports: PortBinding[] = (c.Ports ?? []).map((p) => ({
    hostIp: p.IP || undefined,
    published: p.PublicPort || undefined,
    target: p.PrivatePort,
    protocol: p.Type || 'tcp',
  }));
  return {
    id: c.Id,
    name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
    image: c.Image,
    service: labels[COMPOSE_SERVICE_LABEL] ?? '',
    number: Number(labels[COMPOSE_NUMBER_LABEL] ?? '1') || 1,
    oneOff: (labels[COMPOSE_ONEOFF_LABEL] ?? '').toLowerCase() === 'true',
    engineState: c.State,
    statusText: c.Status,
    created: new Date(c.Created * 1000),
    ports,
  };
}

interface RawEvent {
  Type?: string;
  Action?: string;
  status?: string;
  id?: string;
  timeNano?: number;
  time?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

function toEvent(raw: RawEvent): ContainerEvent | undefined {
  const action = raw.Action ?? raw.status;
  const containerId = raw.Actor?.ID ?? raw.id;
  if (!action || !containerId) return undefined;
  const exitCode = Number.parseInt(raw.Actor?.Attributes?.exitCode ?? '', 10);
  return {
    action,
    containerId,
    service: raw.Actor?.Attributes?.[COMPOSE_SERVICE_LABEL],
    ...(Number.isInteger(exitCode) ? { exitCode } : {}),
    timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
  };
}

/** True for event actions that can change a service's state (health_status carries ": healthy"). */
export function isStateEvent(action: string): boolean {
  const head = action.split(':')[0].trim();
  return (STATE_EVENTS as readonly string[]).includes(head);
}

export class DockerodeEngine implements DockerEngine {
  constructor(
    readonly endpoint: DockerEndpoint,
    private readonly docker: Dockerode,
  ) {}

  private problem(error: unknown): EngineProblem {
    return describeEngineError(error, this.endpoint.host, this.endpoint.origin);
  }

  async ping(): Promise<EngineResult<{ version: string; apiVersion: string }>> {
    try {
      const v = await this.docker.version();
      return { ok: true, value: { version: v.Version, apiVersion: v.ApiVersion } };
    } catch (e) {
      return { ok: false, problem: this.problem(e) };
    }
  }

  async listProjectContainers(project: string): Promise<EngineResult<ContainerSummary[]>> {
    try {
      const list = await this.docker.listContainers({ all: true, filters: { label: [`${COMPOSE_PROJECT_LABEL}=${project}`] } });
      return { ok: true, value: list.map(toSummary) };
    } catch (e) {
      return { ok: false, problem: this.problem(e) };
    }
  }

  async inspectContainer(id: string): Promise<EngineResult<ContainerDetail>> {
    try {
      const info = await this.docker.getContainer(id).inspect();
      const s = info.State;
      return {
        ok: true,
        value: {
          id: info.Id,
          name: info.Name.replace(/^\//, ''),
          labels: info.Config?.Labels ?? {},
          startedAt: toDate(s.StartedAt),
          finishedAt: toDate(s.FinishedAt),
          exitCode: s.ExitCode,
          restartCount: info.RestartCount,
          oomKilled: s.OOMKilled,
          error: s.Error || undefined,
          health: s.Health
            ? {
                status: s.Health.Status,
                failingStreak: s.Health.FailingStreak,
                log: (s.Health.Log ?? []).map((l) => ({ start: l.Start, end: l.End, exitCode: l.ExitCode, output: l.Output })),
              }
            : undefined,
        },
      };
    } catch (e) {
      return { ok: false, problem: this.problem(e) };
    }
  }

  async watchProjectEvents(project: string, handlers: EventHandlers): Promise<EngineResult<EventSubscription>> {
    const abort = new AbortController();
    let stream: NodeJS.ReadableStream;
    try {
      stream = await this.docker.getEvents({
        filters: { type: ['container'], label: [`${COMPOSE_PROJECT_LABEL}=${project}`], event: [...STATE_EVENTS] },
        abortSignal: abort.signal,
      });
    } catch (e) {
      return { ok: false, problem: this.problem(e) };
    }
    let buffered = '';
    let ended = false;
    const end = (problem?: EngineProblem): void => {
      if (ended) return;
      ended = true;
      handlers.onEnd(problem);
    };
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline: number;
      // The engine writes one JSON object per line, but a chunk may hold several or half of one.
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        let raw: RawEvent;
        try {
          raw = JSON.parse(line) as RawEvent;
        } catch {
          continue;
        }
        const event = toEvent(raw);
        if (event && isStateEvent(event.action)) handlers.onEvent(event);
      }
    });
    stream.on('end', () => end());
    stream.on('close', () => end());
    stream.on('error', (e: unknown) => end(abort.signal.aborted ? undefined : this.problem(e)));
    return {
      ok: true,
      value: {
        close: () => {
          ended = true;
          abort.abort();
          (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        },
      },
    };
  }

  async projectEventHistory(project: string, since: Date): Promise<EngineResult<ContainerEvent[]>> {
    try {
      // Fractional seconds: the engine reads the digits after the point as a fraction, so the
      // events of this very second are included and the stream ends at once.
      const stream = await this.docker.getEvents({
        since: Math.floor(since.getTime() / 1000),
        until: Date.now() / 1000,
        filters: { type: ['container'], label: [`${COMPOSE_PROJECT_LABEL}=${project}`], event: [...STATE_EVENTS] },
      });
      const text = await new Promise<string>((resolve, reject) => {
        let buffered = '';
        stream.on('data', (chunk: Buffer | string) => (buffered += chunk.toString()));
        stream.on('end', () => resolve(buffered));
        stream.on('error', reject);
      });
      const events: ContainerEvent[] = [];
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        try {
          const event = toEvent(JSON.parse(line) as RawEvent);
          if (event) events.push(event);
        } catch {
          // A line that is not JSON is not an event.
        }
      }
      return { ok: true, value: events };
    } catch (e) {
      return { ok: false, problem: this.problem(e) };
    }
  }

  async inspectImage(ref: string): Promise<EngineResult<LocalImage | undefined>> {
    try {
      const info = await this.docker.getImage(ref).inspect();
      return { ok: true, value: { id: info.Id, created: toDate(info.Created), user: info.Config?.User ?? '' } };
    } catch (e) {
      if (asStatus(e) === 404) return { ok: true, value: undefined };
      return { ok: false, problem: this.problem(e) };
    }
  }

  async checkRegistry(ref: string): Promise<{ ok: true } | { ok: false; message: string }> {
    try {
      await this.docker.getImage(ref).distribution();
      return { ok: true };
    } catch (e) {
      const json = (e as { json?: unknown }).json;
      const message = typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string' ? (json as { message: string }).message : e instanceof Error ? e.message : String(e);
      return { ok: false, message };
    }
  }

  async containersPublishing(port: number): Promise<EngineResult<PortHolder[]>> {
    try {
      const list = await this.docker.listContainers({ filters: { publish: [String(port)] } });
      return {
        ok: true,
        value: list
          .filter((c) => (c.Ports ?? []).some((p) => p.PublicPort === port))
          .map((c) => ({
            name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
            project: c.Labels?.[COMPOSE_PROJECT_LABEL],
            service: c.Labels?.[COMPOSE_SERVICE_LABEL],
          })),
      };
    } catch (e) {
      return { ok: false, problem: this.problem(e) };
    }
  }
}

export type OpenEngineResult = { ok: true; engine: DockerEngine } | { ok: false; problem: EngineProblem };

/**
 * Resolves the endpoint from `env` (DOCKER_HOST, docker context) and creates the client.
 * Does not contact the engine: the first call does, and reports "not reachable" as a value.
 */
export async function openDockerEngine(env: NodeJS.ProcessEnv = process.env): Promise<OpenEngineResult> {
  const resolved = await resolveDockerEndpoint(env);
  if (!resolved.ok) return { ok: false, problem: badAddressProblem(env.DOCKER_HOST ?? '(docker context)', resolved.message) };
  const options = dockerodeOptions(resolved.endpoint);
  if (!options.ok) return { ok: false, problem: badAddressProblem(resolved.endpoint.host, options.message) };
  const { default: Docker } = await import('dockerode');
  // A connect timeout so an unreachable tcp/ssh host fails in seconds; no request timeout,
  // which would cut the long-lived events stream. An ssh:// engine: HTTP through an SSH agent.
  const withTimeout: Dockerode.DockerOptions & { connectionTimeout: number } = {
    ...options.options,
    ...(options.ssh ? { agent: sshDockerAgent(options.ssh, env) } : {}),
    connectionTimeout: options.ssh ? 15_000 : 5000,
  };
  const docker = new Docker(withTimeout);
  return { ok: true, engine: new DockerodeEngine(resolved.endpoint, docker) };
}
