// Live service states, driven by the engine's events stream (no polling), the stream re-opened
// with backoff when it ends or the engine goes away. While the engine answers, nothing runs
// between events, and a stopped monitor (hidden view) makes no call at all until start() catches
// up with one list call.
//
// Each event is applied to the model at once, without a call (leading edge): the event names its
// container and says what happened to it (start: running, die: exited with its exit code, pause,
// unpause, health_status: the health, destroy: gone), so listeners see the change within
// milliseconds. Only a die after a kill (docker stop) waits for the stop event that follows it,
// up to 1 s, so a stop never shows for a moment as a crash. What events do not tell (ports, a
// container the model does not know yet, a rename) comes from ONE list call once the project's
// events have been quiet for debounceMs, or startWaitMs after a die, stop or create (the start
// of a docker restart or compose up comes seconds later on a busy machine), or at the latest
// maxWaitMs after the first unread event: a burst costs one list call. The engine sends some
// events a moment before its list shows them (a die listed as running still): where that read
// does not show a container's newest event yet, the event's patch stays on it (until a read shows
// it or a newer event replaces it) instead of a re-read.
import { openDockerEngine, type ContainerDetail, type ContainerEvent, type ContainerSummary, type DockerEngine, type EngineResult } from './engine';
import { uiHostFor } from './endpoint';
import { ContainerEvents } from './history';
import type { EngineProblem } from './problem';
import { buildServiceStatuses, summarize, type StackProject, type StackStatus } from './services';

/** How far back a starting monitor asks the engine for events it still holds (stops, OOM kills, starts). */
const HISTORY_MS = 24 * 3600 * 1000;

/**
 * Lists the containers of `project` with ONE list call, plus one inspect per container that
 * exited with 137 (a stop signal or an out-of-memory kill: only inspect tells) whose answer
 * `history` does not hold yet. Never throws.
 */
async function readContainers(engine: DockerEngine, project: string, history: ContainerEvents): Promise<EngineResult<ContainerSummary[]>> {
  const listed = await engine.listProjectContainers(project);
  if (!listed.ok) return listed;
  const killed = listed.value.filter((c) => c.engineState === 'exited' && /Exited \(137\)/.test(c.statusText) && !history.oomKilled.has(c.id));
  await Promise.all(
    killed.map(async (c) => {
      const detail = await engine.inspectContainer(c.id);
      if (detail.ok) history.oomKilled.set(c.id, detail.value.oomKilled);
    }),
  );
  return listed;
}

/** The model of `project` from its containers: services built and counted by buildServiceStatuses and summarize. */
function statusOf(engine: DockerEngine, project: StackProject, containers: ContainerSummary[], history: ContainerEvents, at: Date): StackStatus {
  const services = buildServiceStatuses(project, containers, uiHostFor(engine.endpoint), history, at);
  return { reachable: true, project: project.name, services, summary: summarize(services), at };
}

/** Reads the state of every service of `project` with ONE list call (see readContainers). Never throws. */
export async function readStackStatus(engine: DockerEngine, project: StackProject, history: ContainerEvents = new ContainerEvents()): Promise<StackStatus> {
  const listed = await readContainers(engine, project.name, history);
  const at = new Date();
  if (!listed.ok) return { reachable: false, project: project.name, problem: listed.problem, at };
  return statusOf(engine, project, listed.value, history, at);
}

/** readStackStatus on the engine `env` points at (DOCKER_HOST, docker context); an endpoint that cannot be opened reads as unreachable. */
export async function readStackStatusFromEnv(project: StackProject, env: NodeJS.ProcessEnv): Promise<StackStatus> {
  const opened = await openDockerEngine(env);
  return opened.ok ? readStackStatus(opened.engine, project) : { reachable: false, project: project.name, problem: opened.problem, at: new Date() };
}

export interface MonitorOptions {
  /** The list call waits until the project's events have been quiet this long (default 100 ms). */
  debounceMs?: number;
  /**
   * After a die, stop or create, the quiet it waits for instead: the start that may follow (docker
   * restart, a restart policy, compose up) comes within it, so one list call covers both (default 2.5 s).
   */
  startWaitMs?: number;
  /** The list call at the latest this long after the first event it has not read, while events keep coming (default 5 s). */
  maxWaitMs?: number;
  /** First reconnect delay after the stream ends (default 500 ms), doubled up to maxBackoffMs (default 15 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface Disposable {
  dispose(): void;
}

export type RefreshReason = 'start' | 'event' | 'manual' | 'reconnect' | 'project';

/** What the newest event of a container made of it, until a list call shows as much. */
interface Patch {
  event: ContainerEvent;
  /** The container as the event says it is now; `gone` once destroyed. */
  container: ContainerSummary | 'gone';
}

/** Events after which the container may start again soon: the list call waits for that start. */
const BEFORE_START: ReadonlySet<string> = new Set(['die', 'stop', 'create']);
/** A die after a kill is a stop in progress: its patch waits this long at most for the stop event, which says who stopped it. */
const STOP_EVENT_WAIT_MS = 1000;

/** The words the engine's status line uses for a container that has just changed. */
const JUST_NOW = 'Less than a second';
const HEALTH_WORDS = / \((?:healthy|unhealthy|health: starting)\)/g;
const PAUSED_WORDS = ' (Paused)';

/** The action of an event and what follows its colon ("health_status: healthy" → health_status, healthy). */
function parts(event: ContainerEvent): [string, string] {
  const colon = event.action.indexOf(':');
  return colon < 0 ? [event.action.trim(), ''] : [event.action.slice(0, colon).trim(), event.action.slice(colon + 1).trim()];
}

/**
 * The container as the event says it is now, in the list's own terms (state and status line), or
 * `undefined` when only a list call can tell (create, rename, update, a die without exit code).
 * `checked`: its service declares a healthcheck, so a start begins with "health: starting".
 */
function applyEvent(c: ContainerSummary, event: ContainerEvent, checked: boolean): ContainerSummary | 'gone' | undefined {
  const [action, detail] = parts(event);
  switch (action) {
    case 'start':
    case 'restart':
      // A restart event follows the start of the same restart: the container is running already.
      if (c.engineState === 'running') return c;
      return { ...c, engineState: 'running', statusText: `Up ${JUST_NOW}${checked ? ' (health: starting)' : ''}` };
    case 'die':
      // An exited container publishes no port.
      return event.exitCode === undefined ? undefined : { ...c, engineState: 'exited', statusText: `Exited (${event.exitCode}) ${JUST_NOW} ago`, ports: [] };
    case 'pause':
      return c.engineState === 'running' ? { ...c, engineState: 'paused', statusText: `${c.statusText}${PAUSED_WORDS}` } : undefined;
    case 'unpause':
      return c.engineState === 'paused' ? { ...c, engineState: 'running', statusText: c.statusText.replace(PAUSED_WORDS, '') } : undefined;
    case 'health_status': {
      if (c.engineState !== 'running' && c.engineState !== 'paused') return undefined;
      const words = detail === 'starting' ? 'health: starting' : detail;
      if (!['healthy', 'unhealthy', 'health: starting'].includes(words)) return undefined;
      const paused = c.engineState === 'paused' ? PAUSED_WORDS : '';
      return { ...c, statusText: `${c.statusText.replace(PAUSED_WORDS, '').replace(HEALTH_WORDS, '')} (${words})${paused}` };
    }
    case 'destroy':
      return 'gone';
    default:
      return undefined;
  }
}

/** Whether a list call shows what the event says happened to its container. */
function shows(c: ContainerSummary | undefined, event: ContainerEvent): boolean {
  const [action, detail] = parts(event);
  switch (action) {
    case 'destroy':
      return c === undefined;
    case 'start':
    case 'restart':
    case 'unpause':
      return c === undefined || c.engineState === 'running';
    case 'pause':
      return c === undefined || c.engineState === 'paused';
    case 'die':
      // A restart policy's "restarting" comes after the die: the list is ahead of the event.
      return c === undefined || (c.engineState !== 'running' && c.engineState !== 'paused');
    case 'health_status':
      return c === undefined || c.statusText.includes(detail === 'starting' ? '(health: starting)' : `(${detail})`);
    default:
      return true;
  }
}

function isEngine(engine: DockerEngine | EngineProblem): engine is DockerEngine {
  return 'listProjectContainers' in engine;
}

export type StatusListener = (status: StackStatus, reason: RefreshReason) => void;

export class ServiceMonitor {
  private readonly listeners = new Set<StatusListener>();
  private readonly debounceMs: number;
  private readonly startWaitMs: number;
  private readonly maxWaitMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running = false;
  /** Bumped on every (re)connect and stop, so callbacks of an old stream are ignored. */
  private generation = 0;
  private subscription: { close(): void } | undefined;
  /** Restarted by every event: the list call when the project's events have been quiet. */
  private readTimer: NodeJS.Timeout | undefined;
  /** Set by the first event not read yet: the list call while events keep coming. */
  private maxWaitTimer: NodeJS.Timeout | undefined;
  /** Containers sent a kill since they last started or died. */
  private readonly killed = new Set<string>();
  /** Set while a die after a kill waits for its stop event before listeners see it. */
  private stopEventTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private refreshing: Promise<StackStatus> | undefined;
  private refreshAgain: RefreshReason | undefined;
  private latest: StackStatus | undefined;
  /** The containers of the last list call that answered (undefined while none did since connecting). */
  private listed: ContainerSummary[] | undefined;
  /** Per container: its newest event that the last list call did not show yet, applied. */
  private readonly patches = new Map<string, Patch>();
  /** Stops, OOM kills and start times from the events (kept across reconnects: they stay true). */
  private readonly history = new ContainerEvents();

  /** `engine` is a problem when the endpoint itself is unusable (bad DOCKER_HOST or context). */
  constructor(
    private readonly engine: DockerEngine | EngineProblem,
    private project: StackProject,
    options: MonitorOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 100;
    this.startWaitMs = options.startWaitMs ?? 2500;
    this.maxWaitMs = options.maxWaitMs ?? 5000;
    this.minBackoffMs = options.minBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.backoffMs = this.minBackoffMs;
  }

  /** A monitor for the engine that `env` points at (DOCKER_HOST, docker context). */
  static async open(project: StackProject, env: NodeJS.ProcessEnv = process.env, options?: MonitorOptions): Promise<ServiceMonitor> {
    const opened = await openDockerEngine(env);
    return new ServiceMonitor(opened.ok ? opened.engine : opened.problem, project, options);
  }

  /** The last status, read or patched by an event, if any. */
  get current(): StackStatus | undefined {
    return this.latest;
  }

  get isRunning(): boolean {
    return this.running;
  }

  onChange(listener: StatusListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Starts watching (idempotent). Call when the view becomes visible. */
  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect('start');
  }

  /**
   * Stops watching: closes the events stream and cancels timers, so no Docker call is made until
   * start(), which reads the state once. Call when the view is hidden.
   */
  stop(): void {
    this.running = false;
    this.generation++;
    this.subscription?.close();
    this.subscription = undefined;
    this.cancelRead();
    this.forgetEvents();
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** The Retry action: reconnect now, with the backoff reset. */
  retry(): void {
    if (!this.running) {
      this.start();
      return;
    }
    this.backoffMs = this.minBackoffMs;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (!this.subscription) void this.connect('manual');
    else void this.refresh('manual');
  }

  /** The compose files changed: watch the new project (re-subscribing when its name changed). */
  setProject(project: StackProject): void {
    const renamed = project.name !== this.project.name;
    this.project = project;
    if (!this.running) return;
    if (renamed) {
      this.subscription?.close();
      this.subscription = undefined;
      void this.connect('project');
    } else {
      void this.refresh('project');
    }
  }

  /** Lists now and notifies listeners; concurrent calls share one list call, plus one more if asked meanwhile. */
  refresh(reason: RefreshReason = 'manual'): Promise<StackStatus> {
    if (this.refreshing) {
      this.refreshAgain = reason;
      return this.refreshing;
    }
    this.refreshing = this.readAndNotify(reason).finally(() => {
      this.refreshing = undefined;
      const again = this.refreshAgain;
      this.refreshAgain = undefined;
      if (again) void this.refresh(again);
    });
    return this.refreshing;
  }

  /** Health detail (last health check output, exact start time): one inspect call, on demand. */
  async inspect(containerId: string): Promise<EngineResult<ContainerDetail>> {
    return isEngine(this.engine) ? this.engine.inspectContainer(containerId) : { ok: false, problem: this.engine };
  }

  private async readAndNotify(reason: RefreshReason): Promise<StackStatus> {
    const engine = this.engine;
    if (!isEngine(engine)) {
      this.listed = undefined;
      return this.notify({ reachable: false, project: this.project.name, problem: engine, at: new Date() }, reason);
    }
    const listed = await readContainers(engine, this.project.name, this.history);
    if (!listed.ok) {
      this.listed = undefined;
      this.patches.clear();
      return this.notify({ reachable: false, project: this.project.name, problem: listed.problem, at: new Date() }, reason);
    }
    this.listed = listed.value;
    // The list is the truth where it shows a container's newest event; where it lags it (the
    // engine sends some events a moment before its list shows them), the event's patch stays.
    for (const [id, patch] of this.patches) {
      const listedNow = listed.value.find((c) => c.id === id);
      const still = !shows(listedNow, patch.event) && listedNow ? applyEvent(listedNow, patch.event, this.checked(listedNow)) : undefined;
      if (still) patch.container = still;
      else this.patches.delete(id);
    }
    return this.notify(statusOf(engine, this.project, this.containers(this.listed), this.history, new Date()), reason);
  }

  private notify(status: StackStatus, reason: RefreshReason): StackStatus {
    this.latest = status;
    for (const listener of [...this.listeners]) listener(status, reason);
    return status;
  }

  /** The listed containers with the patches of events the list did not show yet. */
  private containers(listed: ContainerSummary[]): ContainerSummary[] {
    return listed.flatMap((c) => {
      const patch = this.patches.get(c.id);
      if (!patch) return [c];
      return patch.container === 'gone' ? [] : [patch.container];
    });
  }

  /** Whether the container's service declares a healthcheck (its start begins with "health: starting"). */
  private checked(c: ContainerSummary): boolean {
    return this.project.services.find((s) => s.name === c.service)?.healthcheck ?? false;
  }

  private onEvent(event: ContainerEvent): void {
    this.history.record(event);
    const [action] = parts(event);
    // A kill only sends a signal: the die that follows (if the process ends) changes the state.
    if (action === 'kill') {
      this.killed.add(event.containerId);
      return;
    }
    // Whether this die ends a kill (a stop in progress); a start begins a new run.
    const killed = (action === 'die' || action === 'start') && this.killed.delete(event.containerId);
    this.applyAtOnce(event, action === 'die' && killed);
    // One list call for the burst: when its events have been quiet long enough.
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => this.readForEvents(), BEFORE_START.has(action) ? this.startWaitMs : this.debounceMs);
    this.maxWaitTimer ??= setTimeout(() => this.readForEvents(), this.maxWaitMs);
  }

  /**
   * The leading edge: the event applied to the model and listeners told, without a call. A die
   * after a kill (docker stop, compose stop) is told with the stop event that follows it, which
   * says the user stopped it, or STOP_EVENT_WAIT_MS later when none comes (docker kill).
   */
  private applyAtOnce(event: ContainerEvent, stopping: boolean): void {
    if (!this.listed) return;
    const [action] = parts(event);
    const before = this.containers(this.listed).find((c) => c.id === event.containerId);
    if (!before) return; // a container the model does not know: only the list call can tell
    const after = applyEvent(before, event, this.checked(before));
    if (after !== undefined) this.patches.set(event.containerId, { event, container: after });
    // stop and oom change how an exit reads (stopped by the user, out of memory): the history says so.
    else if (action !== 'stop' && action !== 'oom') return;
    if (stopping) {
      this.stopEventTimer ??= setTimeout(() => this.notifyPatched(), STOP_EVENT_WAIT_MS);
      return;
    }
    this.notifyPatched();
  }

  private notifyPatched(): void {
    clearTimeout(this.stopEventTimer);
    this.stopEventTimer = undefined;
    if (!isEngine(this.engine) || !this.listed) return;
    this.notify(statusOf(this.engine, this.project, this.containers(this.listed), this.history, new Date()), 'event');
  }

  private readForEvents(): void {
    this.cancelRead();
    void this.refresh('event');
  }

  /** No events followed (stopped, stream ended): a list call, when one comes, is the whole truth, not a list that lags events. */
  private forgetEvents(): void {
    this.patches.clear();
    this.killed.clear();
  }

  private cancelRead(): void {
    clearTimeout(this.readTimer);
    clearTimeout(this.maxWaitTimer);
    clearTimeout(this.stopEventTimer);
    this.readTimer = undefined;
    this.maxWaitTimer = undefined;
    this.stopEventTimer = undefined;
  }

  private async connect(reason: RefreshReason): Promise<void> {
    const generation = ++this.generation;
    const engine = this.engine;
    this.listed = undefined;
    this.forgetEvents();
    if (!isEngine(engine)) {
      await this.refresh(reason);
      return;
    }
    // Subscribe before listing, so no change between the list and the stream is lost.
    const sub = await engine.watchProjectEvents(this.project.name, {
      onEvent: (event) => {
        if (generation === this.generation) this.onEvent(event);
      },
      onEnd: () => {
        if (generation !== this.generation) return;
        this.subscription = undefined;
        this.forgetEvents();
        // The engine may be gone: show it now rather than after the first reconnect attempt.
        void this.refresh('reconnect');
        this.scheduleReconnect();
      },
    });
    if (generation !== this.generation) {
      if (sub.ok) sub.value.close();
      return;
    }
    if (!sub.ok) {
      await this.refresh(reason);
      this.scheduleReconnect();
      return;
    }
    this.subscription = sub.value;
    // Before the first read: how the containers that exited while nobody watched were stopped.
    const past = await engine.projectEventHistory(this.project.name, new Date(Date.now() - HISTORY_MS));
    if (generation !== this.generation) return;
    if (past.ok) for (const event of past.value) this.history.record(event);
    const status = await this.refresh(reason);
    if (status.reachable) this.backoffMs = this.minBackoffMs;
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.running && !this.subscription) void this.connect('reconnect');
    }, delay);
  }
}
