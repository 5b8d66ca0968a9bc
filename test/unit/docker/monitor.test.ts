// The live monitor on a real engine: what it costs while stopped (a hidden view), how it catches
// up, and how events reach the model (at once, without a call) and become reads (one per burst). One busybox container carries
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
    const { monitor, calls, reasons } = await started({ debounceMs: 50, startWaitMs: 500 });
    monitor.stop();
    calls.list = 0;
    calls.events = 0;
    reasons.length = 0;
    await docker(['pause', containerId]);
    await docker(['unpause', containerId]);
    await docker(['stop', containerId]);
    // The engine has emitted its events (kill, die, stop) by the time `docker stop` returns; give
    // a monitor that kept listening the time it would need to tell and read them (500 ms after the stop).
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

  test('a lone change reaches listeners before any list call (leading edge): pause, unpause, and a stop with its exit and who stopped it', async () => {
    // Windows of 20 s: every status told in this test comes from the events alone.
    const { monitor, calls, reasons } = await started({ debounceMs: 20_000, startWaitMs: 20_000, maxWaitMs: 60_000 });
    calls.list = 0;
    reasons.length = 0;
    try {
      const paused = waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'paused', 'svc paused', { onlyNext: true, timeoutMs: 10_000 });
      await docker(['pause', containerId]);
      await paused;
      const running = waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'running', 'svc running', { onlyNext: true, timeoutMs: 10_000 });
      await docker(['unpause', containerId]);
      await running;
      const exited = waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'exited', 'svc exited', { onlyNext: true, timeoutMs: 10_000 });
      await docker(['stop', containerId]);
      const { status } = await exited;
      const svc = service(status, 'svc');
      // The die's exit code, and the stop event that came after it: told together, never as a crash first.
      assert.deepEqual([svc.exitCode, svc.exit], [137, { kind: 'stopped', code: 137, byUser: true, oom: false }]);
      assert.deepEqual(svc.ports, []);
      assert.equal(calls.list, 0, 'no list call: the events alone');
      assert.ok(reasons.every((r) => r === 'event'));
    } finally {
      monitor.stop();
      await docker(['start', containerId]);
    }
  });

  test('stopped before its list call, the monitor keeps no event patch: a Refresh while stopped shows the list', async () => {
    const { monitor } = await started({ debounceMs: 20_000, startWaitMs: 20_000, maxWaitMs: 60_000 });
    const exited = waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'exited', 'svc exited', { onlyNext: true, timeoutMs: 10_000 });
    await docker(['stop', containerId]);
    await exited;
    // Hidden before the list call: the events after it are not followed, so the stop's patch goes.
    monitor.stop();
    await docker(['start', containerId]);
    assert.equal(stateOf(await monitor.refresh('manual')), 'running');
  });

  test('a docker restart burst (kill, die, stop, start, restart) costs exactly ONE list call, and the model shows the restarted container', async () => {
    // startWaitMs of 5 s: on this shared machine the start comes up to 2 s after the stop.
    const { monitor, calls } = await started({ debounceMs: 100, startWaitMs: 5_000, maxWaitMs: 20_000 });
    const seen: Array<{ state: string; calls: number; startedAt?: Date }> = [];
    monitor.onChange((s) => {
      if (s.reachable) seen.push({ state: stateOf(s), calls: calls.list, startedAt: service(s, 'svc').startedAt });
    });
    calls.list = 0;
    const before = Date.now();
    try {
      await docker(['restart', '-t', '0', containerId]);
      const { status } = await waitForStatus(monitor, () => calls.list > 0, 'the list call after the burst', { onlyNext: true, timeoutMs: 20_000 });
      // Longer than every window: a second read would have come by now.
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      assert.equal(calls.list, 1, `list calls for the burst: ${JSON.stringify(seen)}`);
      assert.equal(stateOf(status), 'running');
      const svc = service(status, 'svc');
      assert.ok(svc.startedAt && svc.startedAtExact && svc.startedAt.getTime() >= before - 1000, 'the start time of the restart, from its start event');
      // Before that read, the events alone told the stop and the start.
      const told = seen.filter((t) => t.calls === 0).map((t) => t.state);
      assert.ok(told.indexOf('exited') >= 0 && told.lastIndexOf('running') > told.indexOf('exited'), `told before the read: ${told.join(', ')}`);
    } finally {
      monitor.stop();
    }
  });

  test('a burst of 8 events costs no read while it lasts and ONE when it has been quiet, which shows the last state', async () => {
    const { monitor, calls, reasons } = await started({ debounceMs: 10_000, maxWaitMs: 60_000 });
    calls.list = 0;
    reasons.length = 0;
    for (let i = 0; i < 4; i++) {
      await docker(['pause', containerId]);
      await docker(['unpause', containerId]);
    }
    assert.equal(calls.list, 0, 'no read during the burst');
    // The events alone already tell the last state; the read when the burst has been quiet agrees.
    await waitForStatus(monitor, (s) => s.reachable && stateOf(s) === 'running' && reasons.includes('event'), 'the burst told');
    const { status } = await waitForStatus(monitor, (s) => s.reachable && calls.list === 1, 'the read after the burst', { timeoutMs: 20_000, onlyNext: true });
    assert.equal(stateOf(status), 'running');
    assert.equal(calls.list, 1);
    assert.ok(reasons.every((r) => r === 'event'));
    monitor.stop();
  });
});
