// Words and facts about one service that the tree, its tooltips and the commands share: how long
// it has been up (advancing with the clock), what its exit means, and which actions can run on it
// now (and, when one cannot, why).
import { describeState, type ServiceStatus } from './services';

/** "7 s", "1 min 7 s", "2 h 5 min", "3 d 4 h": the time since `since`, as of `now`. */
export function elapsed(since: Date, now: Date): string {
  const s = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** "up 1 min 7 s" from the exact start (or "up about 5 min" from the engine's words); undefined when not running. */
export function upText(s: Pick<ServiceStatus, 'startedAt' | 'startedAtExact' | 'upFor'>, now: Date): string | undefined {
  if (s.startedAt) return `up ${s.startedAtExact ? '' : 'about '}${elapsed(s.startedAt, now)}`;
  return s.upFor ? `up ${s.upFor.toLowerCase()}` : undefined;
}

/** One sentence on how an exited service ended, for tooltips. */
export function exitSentence(s: Pick<ServiceStatus, 'state' | 'exit' | 'exitCode'>): string | undefined {
  if (s.state !== 'exited' || !s.exit) return undefined;
  const code = s.exit.code === undefined ? '' : ` (exit ${s.exit.code})`;
  if (s.exit.oom) return `Failed: the engine killed it for running out of memory${code}.`;
  if (s.exit.kind === 'completed') return 'Completed: it ran to the end and exited with 0, as a one-shot job does.';
  if (s.exit.kind === 'stopped') return s.exit.byUser ? `Stopped on request (docker stop or docker compose stop)${code}.` : `Stopped by a stop signal${code}, not a crash.`;
  return `Failed${code}: Diagnose Service shows why.`;
}

export type ServiceAction = 'start' | 'stop' | 'restart' | 'logs';

const RUNNING = new Set(['running', 'healthy', 'unhealthy', 'starting', 'restarting', 'paused']);

/** Why `action` cannot run on the service now, or undefined when it can. */
export function cannotRun(s: Pick<ServiceStatus, 'name' | 'state' | 'exit' | 'exitCode' | 'containers'>, action: ServiceAction): string | undefined {
  const state = describeState(s);
  switch (action) {
    case 'start':
      return RUNNING.has(s.state) && s.state !== 'paused' ? `${s.name} is already ${state}; Restart Service starts it again.` : undefined;
    case 'stop':
      return RUNNING.has(s.state) ? undefined : `${s.name} is ${state}, so there is nothing to stop.`;
    case 'restart':
      return s.containers.length > 0 ? undefined : `${s.name} is not created yet, so there is nothing to restart; Start Service creates and starts it.`;
    case 'logs':
      return undefined;
  }
}
