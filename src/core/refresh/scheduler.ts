// When a view refreshes, without vscode: every reason to refresh goes through one scheduler per
// view, which debounces them (a burst of file changes is one refresh), runs a manual refresh at
// once, holds everything while the view is hidden (a hidden view costs nothing) and catches up
// with ONE refresh, carrying all the reasons, when it is shown. Refreshes never overlap. A
// reason may name its subject (the file that changed, as a string): the refresh gets every
// subject of the reasons it covers, so a view can update only what changed.

export interface SchedulerOptions<Reason extends string> {
  /** Reasons within this window of the last one are one refresh (trailing). */
  debounceMs: number;
  /** Reasons that run at once, without the debounce (the user's own Refresh). */
  immediate: ReadonlySet<Reason>;
}

export class RefreshScheduler<Reason extends string> {
  private readonly pending = new Set<Reason>();
  private readonly subjects = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private running: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly refresh: (reasons: ReadonlySet<Reason>, subjects: ReadonlySet<string>) => Promise<void>,
    private readonly options: SchedulerOptions<Reason>,
  ) {}

  /** Reasons waiting for the debounce or for the view to be shown. */
  get waiting(): ReadonlySet<Reason> {
    return this.pending;
  }

  /** Asks for a refresh; resolves once a refresh that covers it has run (or it is held while hidden). */
  request(reason: Reason, subject?: string): Promise<void> {
    if (this.disposed) return Promise.resolve();
    this.pending.add(reason);
    if (subject !== undefined) this.subjects.add(subject);
    if (!this.visible) return Promise.resolve();
    if (this.options.immediate.has(reason)) return this.flush();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.debounceMs);
    return Promise.resolve();
  }

  /** Shown: what was held runs now, as one refresh. Hidden: reasons are held from now on. */
  setVisible(visible: boolean): Promise<void> {
    this.visible = visible;
    if (!visible) {
      clearTimeout(this.timer);
      this.timer = undefined;
      return Promise.resolve();
    }
    return this.pending.size > 0 ? this.flush() : Promise.resolve();
  }

  /**
   * Runs the waiting reasons now, visible or not (a command needs the model as it is). With
   * nothing waiting it resolves at once, without waiting for a refresh in progress.
   */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return Promise.resolve();
    const next = this.running.then(async () => {
      if (this.pending.size === 0 || this.disposed) return;
      const reasons = new Set(this.pending);
      const subjects = new Set(this.subjects);
      this.pending.clear();
      this.subjects.clear();
      await this.refresh(reasons, subjects);
    });
    // A failed refresh must not stop the next one; the caller still sees the failure.
    this.running = next.catch(() => undefined);
    return next;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    this.subjects.clear();
  }
}
