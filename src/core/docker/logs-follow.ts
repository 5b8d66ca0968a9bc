// A log view that follows one service across restarts and recreations until it is closed.
// `compose logs --follow` ends when the service's containers stop (a restart, Restart Platform's
// down); the follower then waits for the service's next start (the engine's events stream, one
// subscription for the whole follow), marks it in the stream, and follows again from that moment,
// so no line is shown twice and none of the new run is missed.
import type { ComposeRunner } from './compose-cli';
import type { DockerEngine } from './engine';

export type FollowEvent =
  | { kind: 'line'; text: string }
  /** The service started again (a restart, or new containers after down/up): shown as a marker. */
  | { kind: 'restarted'; at: Date; container: string }
  /** The service's containers stopped: the follower waits for its next start. */
  | { kind: 'stopped'; at: Date }
  /** Following cannot go on (no engine); the view says why. */
  | { kind: 'problem'; message: string };

export interface FollowOptions {
  service: string;
  /** Lines of history shown first (default 200). */
  tail?: number;
  /** Ends the follow (the user closed the view). */
  signal: AbortSignal;
  onEvent: (event: FollowEvent) => void;
}

/** How long a follow whose run was replaced (a recreated container) may still print its last lines. */
const REPLACED_GRACE_MS = 500;

/** compose clears the line before each log line (ESC [2K), even with --no-color. */
const ERASE_LINE = /\x1b\[2K/g;

/** The engine's --since value for a moment: seconds with a fraction, so no line of that second is lost or repeated. */
function sinceArg(at: Date): string {
  return (at.getTime() / 1000).toFixed(3);
}

/**
 * Follows `service`'s logs until `signal` aborts, across every restart. Resolves when aborted or
 * when the engine's events stream ends (said as a problem); never throws.
 */
export async function followServiceLogs(runner: ComposeRunner, engine: DockerEngine, project: string, options: FollowOptions): Promise<void> {
  const { service, signal, onEvent } = options;
  // Starts of the service's containers not yet followed, in order, and when one last ended (engine clock).
  const starts: Array<{ at: Date; container: string }> = [];
  let lastDie: Date | undefined;
  let streamOpen = true;
  let wake: (() => void) | undefined;
  const subscribed = await engine.watchProjectEvents(project, {
    onEvent: (event) => {
      if (event.service !== service) return;
      const at = new Date(Math.floor(event.timeNano / 1e6));
      if (event.action === 'die') lastDie = at;
      if (event.action === 'start') {
        starts.push({ at, container: event.containerId.slice(0, 12) });
        wake?.();
      }
    },
    onEnd: (problem) => {
      streamOpen = false;
      if (!signal.aborted) onEvent({ kind: 'problem', message: `Docker's events stream ended${problem ? `: ${problem.cause}` : ''}. New runs of ${service} are not followed any more.` });
      wake?.();
    },
  });
  if (!subscribed.ok) {
    onEvent({ kind: 'problem', message: `${subscribed.problem.cause} ${subscribed.problem.remedy}` });
    return;
  }
  const onAbort = (): void => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    let since: Date | undefined;
    while (!signal.aborted) {
      // A start while following means a new run: compose follows a restart's end but not a
      // recreated container, so this follow is ended (after a moment for the last lines) and a new one begins.
      starts.length = 0;
      const run = new AbortController();
      const stopRun = (): void => run.abort();
      signal.addEventListener('abort', stopRun, { once: true });
      let replaced: NodeJS.Timeout | undefined;
      wake = () => {
        if (starts.length > 0 && !replaced) replaced = setTimeout(() => run.abort(), REPLACED_GRACE_MS);
      };
      const logs = await runner.logs({
        service,
        follow: true,
        ...(since ? { since: sinceArg(since) } : { tail: options.tail ?? 200 }),
        signal: run.signal,
        onLine: (line) => onEvent({ kind: 'line', text: line.text.replace(ERASE_LINE, '') }),
      });
      clearTimeout(replaced);
      signal.removeEventListener('abort', stopRun);
      if (signal.aborted) break;
      if (!logs.ok && !logs.cancelled) onEvent({ kind: 'problem', message: logs.reason });
      onEvent({ kind: 'stopped', at: new Date() });
      const next = await new Promise<{ at: Date; container: string } | undefined>((resolve) => {
        const settle = (): void => {
          const found = starts.shift();
          if (found) resolve(found);
          else if (signal.aborted || !streamOpen) resolve(undefined);
        };
        wake = settle;
        settle();
      });
      wake = undefined;
      if (!next) break;
      onEvent({ kind: 'restarted', at: next.at, container: next.container });
      // From the end of the last run: the new run's first lines are shown, none of the old run again.
      since = lastDie && lastDie.getTime() <= next.at.getTime() ? lastDie : new Date(next.at.getTime() - 1000);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    subscribed.value.close();
  }
}
