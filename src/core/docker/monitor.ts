// Live service states: one list call per refresh, refreshes driven by the engine's events
// stream, the stream re-opened with backoff when it ends or the engine goes away. No polling:
// while the engine answers, nothing runs between events, and a stopped monitor (hidden view)
// makes no call at all until start() catches up with one list call.
//
// An event is read at once (leading edge): a lone change reaches listeners one list call after
// the engine reported it. Events within debounceMs of that read coalesce into one more read when
// the window closes, so a burst costs two list calls per window, plus the settle re-read. The
// engine sends some events a moment before its list shows them: a die is read when the window
// closes, and a read that does not show what the newest event says is repeated once 15 ms later.
import { openDockerEngine, type ContainerDetail, type ContainerEvent, type DockerEngine, type EngineResult } from './engine';
import { uiHostFor } from './endpoint';
import { ContainerEvents } from './history';
import type { EngineProblem } from './problem';
import { buildServiceStatuses, summarize, type ServiceState, type StackProject, type StackStatus } from './services';

/** How far back a starting monitor asks the engine for events it still holds (stops, OOM kills, starts). */
const HISTORY_MS = 24 * 3600 * 1000;

/**
 * Reads the state of every service of `project` with ONE list call, plus one inspect per container
 * that exited with 137 (a stop signal or an out-of-memory kill: only inspect tells) whose answer
 * `history` does not hold yet. Never throws.
 */
export async function readStackStatus(engine: DockerEngine, project: StackProject, history: ContainerEvents = new ContainerEvents()): Promise<StackStatus> {
  const listed = await engine.listProjectContainers(project.name);
  const at = new Date();
  if (!listed.ok) return { reachable: false, project: project.name, problem: listed.problem, at };
  const killed = listed.value.filter((c) => c.engineState === 'exited' && /Exited \(137\)/.test(c.statusText) && !history.oomKilled.has(c.id));
  await Promise.all(
    killed.map(async (c) => {
      const detail = await engine.inspectContainer(c.id);
      if (detail.ok) history.oomKilled.set(c.id, detail.value.oomKilled);
    }),
  );
  const services = buildServiceStatuses(project, listed.value, uiHostFor(engine.endpoint), history, at);
  return { reachable: true, project: project.name, services, summary: summarize(services), at };
}

export interface MonitorOptions {
  /** Events within this window after a read cause one more read when it closes (default 100 ms). */
  debounceMs?: number;
  /** A second refresh this long after the first event of a burst (default 1 s). */
  settleMs?: number;
  /** First reconnect delay after the stream ends (default 500 ms), doubled up to maxBackoffMs (default 15 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface Disposable {
  dispose(): void;
}

export type RefreshReason = 'start' | 'event' | 'manual' | 'reconnect' | 'project';

/** A read that does not show the newest event yet is repeated this much later, then when the window closes. */
const STALE_RETRY_MS = 15;
/** Reads after the first that wait for one event to show (a one-off container never does). */
const STALE_READS = 2;

const UP: ReadonlySet<ServiceState> = new Set<ServiceState>(['running', 'healthy', 'unhealthy', 'starting', 'restarting']);

/** Whether a read shows what the event says happened to its container (unknown actions: yes). */
function shows(status: StackStatus, event: ContainerEvent): boolean {
  if (!status.reachable) return true;
  const container = status.services.flatMap((s) => s.containers).find((c) => c.id === event.containerId);
  switch (event.action) {
    case 'create':
      return container !== undefined;
    case 'destroy':
      return container === undefined;
    case 'start':
    case 'unpause':
    case 'restart':
      return container === undefined || UP.has(container.state);
    case 'pause':
      return container === undefined || container.state === 'paused';
    case 'die':
    case 'stop':
      return container === undefined || !UP.has(container.state) || container.state === 'restarting';
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
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private running = false;
  /** Bumped on every (re)connect and stop, so callbacks of an old stream are ignored. */
  private generation = 0;
  private subscription: { close(): void } | undefined;
  /** Open for debounceMs after an event's read: later events only mark `eventsInWindow`. */
  private windowTimer: NodeJS.Timeout | undefined;
  private eventsInWindow = false;
  /** The last event received, which a read after it must show. */
  private newestEvent: ContainerEvent | undefined;
  private staleTimer: NodeJS.Timeout | undefined;
  private staleReads = 0;
  private settleTimer: NodeJS.Timeout | undefined;
  private readonly settleMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private refreshing: Promise<StackStatus> | undefined;
  private refreshAgain: RefreshReason | undefined;
  private latest: StackStatus | undefined;
  /** Stops, OOM kills and start times from the events (kept across reconnects: they stay true). */
  private readonly history = new ContainerEvents();

  /** `engine` is a problem when the endpoint itself is unusable (bad DOCKER_HOST or context). */
  constructor(
    private readonly engine: DockerEngine | EngineProblem,
    private project: StackProject,
    options: MonitorOptions = {},
  ) {
    this.debounceMs = options.debounceMs ?? 100;
    this.settleMs = options.settleMs ?? 1000;
    this.minBackoffMs = options.minBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.backoffMs = this.minBackoffMs;
  }

  /** A monitor for the engine that `env` points at (DOCKER_HOST, docker context). */
  static async open(project: StackProject, env: NodeJS.ProcessEnv = process.env, options?: MonitorOptions): Promise<ServiceMonitor> {
    const opened = await openDockerEngine(env);
    return new ServiceMonitor(opened.ok ? opened.engine : opened.problem, project, options);
  }

  /** The last status read, if any. */
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
    clearTimeout(this.windowTimer);
    clearTimeout(this.staleTimer);
    clearTimeout(this.settleTimer);
    clearTimeout(this.reconnectTimer);
    this.windowTimer = undefined;
    this.staleTimer = undefined;
    this.eventsInWindow = false;
    this.settleTimer = undefined;
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
    const status =
      isEngine(this.engine)
        ? await readStackStatus(this.engine, this.project, this.history)
        : ({ reachable: false, project: this.project.name, problem: this.engine, at: new Date() } satisfies StackStatus);
    this.latest = status;
    for (const listener of [...this.listeners]) listener(status, reason);
    return status;
  }

  private onEvent(event: ContainerEvent): void {
    this.history.record(event);
    // A kill only sends a signal: the die that follows (if the process ends) changes the state,
    // and reading at the kill would only spend the leading read on the old state.
    if (event.action === 'kill') return;
    this.newestEvent = event;
    this.staleReads = 0;
    // A newer event: the read it brings (now or when the window closes) replaces a quick re-read.
    clearTimeout(this.staleTimer);
    this.staleTimer = undefined;
    if (this.windowTimer) {
      // Within the window of the last read: one more read when it closes covers this event.
      this.eventsInWindow = true;
    } else if (event.action === 'die') {
      // The engine lists a container as running for a moment after its die (and a stop or a
      // restart sends more events right after): read when the window closes, not at once.
      this.eventsInWindow = true;
      this.openWindow();
    } else {
      void this.readForEvents();
      this.openWindow();
    }
    // The engine can emit an event (die) a moment before its list shows the new state, and no
    // further event follows: one more read after the burst has settled catches that.
    if (!this.settleTimer) {
      this.settleTimer = setTimeout(() => {
        this.settleTimer = undefined;
        void this.refresh('event');
      }, this.settleMs);
    }
  }

  /** Reads for the events so far; re-reads once shortly, then at the window's close, while the read does not show the newest one. */
  private async readForEvents(): Promise<void> {
    const event = this.newestEvent;
    const generation = this.generation;
    const status = await this.refresh('event');
    if (generation !== this.generation || !event || event !== this.newestEvent || shows(status, event)) return;
    // More events in this window: its closing read comes anyway. A die the list does not show yet
    // is the settle re-read's case (a stop or restart brings its own next event).
    if (this.eventsInWindow || this.staleReads >= STALE_READS || event.action === 'die') return;
    this.staleReads++;
    if (this.staleReads > 1) {
      if (this.windowTimer) this.eventsInWindow = true;
      return;
    }
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      void this.readForEvents();
    }, STALE_RETRY_MS);
  }

  private openWindow(): void {
    this.windowTimer = setTimeout(() => {
      this.windowTimer = undefined;
      if (!this.eventsInWindow) return;
      this.eventsInWindow = false;
      void this.readForEvents();
      // Events still arriving keep to one read per window.
      this.openWindow();
    }, this.debounceMs);
  }

  private async connect(reason: RefreshReason): Promise<void> {
    const generation = ++this.generation;
    const engine = this.engine;
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
