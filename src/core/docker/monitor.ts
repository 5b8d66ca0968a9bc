// Live service states: one list call per refresh, refreshes driven by the engine's events
// stream (debounced), the stream re-opened with backoff when it ends or the engine goes away.
// No polling: while the engine answers, nothing runs between events.
import { openDockerEngine, type ContainerDetail, type DockerEngine, type EngineResult } from './engine';
import { uiHostFor } from './endpoint';
import type { EngineProblem } from './problem';
import { buildServiceStatuses, summarize, type StackProject, type StackStatus } from './services';

/** Reads the state of every service of `project` with ONE list call. Never throws. */
export async function readStackStatus(engine: DockerEngine, project: StackProject): Promise<StackStatus> {
  const listed = await engine.listProjectContainers(project.name);
  const at = new Date();
  if (!listed.ok) return { reachable: false, project: project.name, problem: listed.problem, at };
  const services = buildServiceStatuses(project, listed.value, uiHostFor(engine.endpoint));
  return { reachable: true, project: project.name, services, summary: summarize(services), at };
}

export interface MonitorOptions {
  /** Events within this window cause one refresh (default 100 ms). */
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
  private debounceTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private readonly settleMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private backoffMs: number;
  private refreshing: Promise<StackStatus> | undefined;
  private refreshAgain: RefreshReason | undefined;
  private latest: StackStatus | undefined;

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

  /** Stops watching: closes the events stream and cancels timers. Call when the view is hidden. */
  stop(): void {
    this.running = false;
    this.generation++;
    this.subscription?.close();
    this.subscription = undefined;
    clearTimeout(this.debounceTimer);
    clearTimeout(this.settleTimer);
    clearTimeout(this.reconnectTimer);
    this.debounceTimer = undefined;
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
        ? await readStackStatus(this.engine, this.project)
        : ({ reachable: false, project: this.project.name, problem: this.engine, at: new Date() } satisfies StackStatus);
    this.latest = status;
    for (const listener of [...this.listeners]) listener(status, reason);
    return status;
  }

  private scheduleRefresh(): void {
    // Not reset by later events, so a burst delays the refresh by at most debounceMs.
    if (!this.debounceTimer) {
      this.debounceTimer = setTimeout(() => {
        this.debounceTimer = undefined;
        void this.refresh('event');
      }, this.debounceMs);
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

  private async connect(reason: RefreshReason): Promise<void> {
    const generation = ++this.generation;
    const engine = this.engine;
    if (!isEngine(engine)) {
      await this.refresh(reason);
      return;
    }
    // Subscribe before listing, so no change between the list and the stream is lost.
    const sub = await engine.watchProjectEvents(this.project.name, {
      onEvent: () => {
        if (generation === this.generation) this.scheduleRefresh();
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
