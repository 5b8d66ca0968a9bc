// The live monitor on a real engine: what it costs while stopped (a hidden view), how it catches
// up, and how events become reads (leading edge, bursts coalesced). One busybox container carries
// compose labels of a project name of its own, so the monitor sees it as that project's service.
import * as assert from 'node:assert/strict';
import type { DockerEngine } from '../../../src/core/docker/engine';
import { ServiceMonitor, type RefreshReason } from '../../../src/core/docker/monitor';
import type { StackProject, StackStatus } from '../../../src/core/docker/services';
import { docker, requireEngine, service, waitForStatus } from './support';

/** The real engine with its list and events calls counted: the monitor's cost, read off the engine it uses. */
function counted(engine: DockerEngine): { engine: DockerEngine; calls: { list: number; events: number } } {
  const calls = { list: 0, events: 0 };
  // Every other method is the real engine's, through the prototype.
  const counting = Object.create(engine) as DockerEngine;
  counting.listProjectContainers = (project) => {
    calls.list++;
    return engine.listProjectContainers(project);
  };
  counting.watchProjectEvents = (project, handlers) => {
    calls.events++;
    return engine.watchProjectEvents(project, handlers);
  };
  return { calls, engine: counting };
}

const stateOf = (status: StackStatus): string => service(status, 'svc').state;

suite('docker: the monitor stopped, started and under events (real engine)', function () {
  this.timeout(90_000);
  let engine: DockerEngine;
  let containerId: string;
  const projectName = `dsmon${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
  const project: StackProject = {
    name: projectName,
    dir: __dirname,
    files: [],
    activeProfiles: [],
    services: [{ name: 'svc', ports: [], volumes: [], environment: {}, healthcheck: false, dependsOn: {}, profiles: [], labels: {} }],
  };
  const monitors: ServiceMonitor[] = [];

  suiteSetup(async () => {
    engine = await requireEngine();
    containerId = await docker(['run', '-d', '--stop-signal', 'KILL', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.service=svc', 'local/busybox:1', 'sleep', '3600']);
  });

  suiteTeardown(async () => {
    for (const monitor of monitors) monitor.stop();
    if (containerId) await docker(['rm', '-f', containerId]);
  });

  async function started(options: ConstructorParameters<typeof ServiceMonitor>[2]): Promise<{ monitor: ServiceMonitor; calls: { list: number; events: number }; reasons: RefreshReason[] }> {
    const { engine: countedEngine, calls } = counted(engine);
    const monitor = new ServiceMonitor(countedEngine, project, options);
    monitors.push(monitor);
    const reasons: RefreshReason[] = [];
    monitor.onChange((_status, reason) => reasons.push(reason));
    monitor.start();
    await waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'running', 'svc running');
    return { monitor, calls, reasons };
  }

  test('stopped (a hidden view), it makes no Docker call while the container changes; start() catches up with ONE list call', async () => {
    const { monitor, calls, reasons } = await started({ debounceMs: 50 });
    monitor.stop();
    calls.list = 0;
    calls.events = 0;
    reasons.length = 0;
    await docker(['pause', containerId]);
    await docker(['unpause', containerId]);
    await docker(['stop', containerId]);
    // The engine has emitted its events (kill, die, stop) by the time `docker stop` returns; give
    // a monitor that kept listening the time it would need to read them (50 ms window, 1 s settle).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual({ ...calls, notified: reasons.length }, { list: 0, events: 0, notified: 0 });
    assert.equal(stateOf(monitor.current!), 'running', 'the last state read before stop() stays the model');

    monitor.start();
    const { status, reason } = await waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'exited', 'svc exited after start()', { onlyNext: true });
    assert.equal(reason, 'start');
    assert.equal(stateOf(status), 'exited');
    assert.deepEqual(calls, { list: 1, events: 1 }, 'catching up: the events stream re-opened and one list call');
    monitor.stop();
    await docker(['start', containerId]);
  });

  test('a lone event is read at once (leading edge), not after the debounce window', async () => {
    // A 20 s window: the old trailing debounce would have read after it.
    const { monitor, calls } = await started({ debounceMs: 20_000, settleMs: 60_000 });
    calls.list = 0;
    try {
      await docker(['pause', containerId]);
      await waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'paused', 'svc paused', { timeoutMs: 10_000 });
      // The read at the event, and one re-read 15 ms later when the engine's list lagged its event.
      assert.ok(calls.list >= 1 && calls.list <= 2, `${calls.list} reads`);
    } finally {
      monitor.stop();
      await docker(['unpause', containerId]);
    }
  });

  test('a burst of events costs a few reads, not one per event, and the read when the window closes shows the last state', async () => {
    const { monitor, calls, reasons } = await started({ debounceMs: 10_000, settleMs: 60_000 });
    calls.list = 0;
    reasons.length = 0;
    for (let i = 0; i < 4; i++) {
      await docker(['pause', containerId]);
      await docker(['unpause', containerId]);
    }
    const readsDuringBurst = calls.list;
    // The next read is the window's: it shows the burst's last state.
    const { status } = await waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'running', 'the window-closing read', { timeoutMs: 20_000, onlyNext: true });
    assert.equal(stateOf(status), 'running');
    // 8 events: the read at the first one (and one re-read 15 ms later if it did not show the
    // pause yet), then the window's read (and its re-read): never one read per event.
    assert.ok(readsDuringBurst >= 1 && readsDuringBurst <= 2, `${readsDuringBurst} reads during the burst`);
    assert.ok(calls.list >= 2 && calls.list <= 4, `${calls.list} reads for 8 events`);
    assert.ok(reasons.every((r) => r === 'event'));
    monitor.stop();
  });
});
