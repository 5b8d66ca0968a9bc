// What the engine's events say about containers that its list does not: a stop the user asked for
// (docker stop, docker compose stop), an out-of-memory kill, the exact start time. Fed by the
// events stream and, when a monitor starts, by the events the engine still holds.
import type { ContainerEvent } from './engine';
import type { ContainerHistory } from './services';

export class ContainerEvents implements ContainerHistory {
  readonly stoppedByUser = new Set<string>();
  readonly oomKilled = new Map<string, boolean>();
  readonly startedAt = new Map<string, Date>();

  record(event: ContainerEvent): void {
    const id = event.containerId;
    switch (event.action.split(':')[0].trim()) {
      case 'create':
        this.forget(id);
        break;
      case 'start':
      case 'restart':
        // A new run: how the last one ended no longer describes the container.
        this.stoppedByUser.delete(id);
        this.oomKilled.delete(id);
        this.startedAt.set(id, new Date(Math.floor(event.timeNano / 1e6)));
        break;
      case 'stop':
        this.stoppedByUser.add(id);
        break;
      case 'oom':
        this.oomKilled.set(id, true);
        break;
      case 'die':
        // The engine reports an out-of-memory kill (oom) before the die it causes: a die without
        // one is known not to be one, so its exit 137 needs no inspect.
        if (!this.oomKilled.has(id)) this.oomKilled.set(id, false);
        break;
      case 'destroy':
        this.forget(id);
        break;
      default:
        break;
    }
  }

  private forget(id: string): void {
    this.stoppedByUser.delete(id);
    this.oomKilled.delete(id);
    this.startedAt.delete(id);
  }
}
