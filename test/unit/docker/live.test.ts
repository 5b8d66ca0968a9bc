// The stack of issue 18 on a real engine (test/fixtures/docker/live): healthy, unhealthy, no
// healthcheck, one-shot exit 0 and exit 3, profile-only, and a service stopped by
// `docker compose stop`. Each must be told apart: by the state model, the summary, and a failed
// `up --wait`, which names every service that failed to become healthy or exited.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { loadComposeProject, type ComposeProject } from '../../../src/core/compose/project';
import { ComposeRunner, detectComposeCli } from '../../../src/core/docker/compose-cli';
import { ServiceMonitor } from '../../../src/core/docker/monitor';
import { describeState, type StackStatus } from '../../../src/core/docker/services';
import { openDockerEngine } from '../../../src/core/docker/engine';
import { followServiceLogs, type FollowEvent } from '../../../src/core/docker/logs-follow';
import { withWaitFailures } from '../../../src/core/docker/wait-failure';
import { docker, freePort, requireEngine, service, waitForStatus } from './support';

const LIVE_DIR = path.resolve(__dirname, '../../../../test/fixtures/docker/live');

suite('docker: every state of the live stack told apart (real engine)', function () {
  this.timeout(90_000);
  let project: ComposeProject;
  let env: NodeJS.ProcessEnv;
  let runner: ComposeRunner;
  let monitor: ServiceMonitor;
  let webPort: number;
  let idlePort: number;

  suiteSetup(async () => {
    await requireEngine();
    webPort = await freePort();
    idlePort = await freePort();
    const projectName = `dslive${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
    env = { ...process.env, LIVE_WEB_PORT: String(webPort), LIVE_IDLE_PORT: String(idlePort), COMPOSE_PROJECT_NAME: projectName };
    project = await loadComposeProject(LIVE_DIR, { processEnv: env });
    assert.deepEqual(project.errors, []);
    const detected = await detectComposeCli(env);
    if (!detected.ok) throw new Error(detected.message);
    runner = new ComposeRunner(detected.cli, project, env);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    monitor?.stop();
    if (runner) await runner.down({ timeoutSeconds: 1 });
  });

  test('a failed up --wait names every service that failed to become healthy or exited, with Diagnose on each', async () => {
    const result = await withWaitFailures(await runner.up(), project, env);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const failure = result.failure;
    assert.ok(failure);
    const named = (failure.services ?? []).map((s) => s.name).sort();
    // compose stops at the first exit it sees: the others are named from the engine's state.
    assert.deepEqual(named, ['oneshot', 'sick'], failure.cause);
    assert.match(failure.cause, /^Not every service became healthy: /);
    assert.match(failure.cause, /oneshot failed \(exit 3\)/);
    assert.match(failure.cause, /sick is (unhealthy|not healthy yet \(health: starting\))/);
    assert.doesNotMatch(failure.cause, /\bdone\b/, 'a one-shot job that completed is not a failure');
    assert.deepEqual(failure.actions.filter((a) => a.kind === 'diagnose').map((a) => (a.kind === 'diagnose' ? a.service : '')).sort(), ['oneshot', 'sick']);
  });

  test('docker compose stop is "stopped" (not a crash), known to a monitor started afterwards; its port is gone', async () => {
    await docker(['compose', '-p', project.name, '-f', project.files[0], 'stop', 'idle']);
    monitor = await ServiceMonitor.open(project, env, { debounceMs: 100 });
    monitor.start();
    const settled = (s: StackStatus): boolean =>
      s.reachable && service(s, 'sick').state === 'unhealthy' && service(s, 'idle').state === 'exited' && service(s, 'web').state === 'healthy';
    const { status } = await waitForStatus(monitor, settled, 'sick unhealthy, idle stopped, web healthy', { timeoutMs: 30_000 });
    const idle = service(status, 'idle');
    assert.deepEqual(idle.exit, { kind: 'stopped', code: 137, byUser: true, oom: false }, 'the stop is read from the events the engine still holds');
    assert.equal(describeState(idle), 'stopped (exit 137)');
    assert.deepEqual(idle.ports, []);
    assert.equal(idle.declaredPorts[0].published, idlePort);
    assert.equal(describeState(service(status, 'oneshot')), 'failed (exit 3)');
    assert.equal(describeState(service(status, 'done')), 'completed (exit 0)');
    assert.equal(service(status, 'done').verdict, 'ok');
    assert.equal(service(status, 'worker').state, 'running');
    assert.equal(service(status, 'worker').hasHealthcheck, false);
    assert.deepEqual([service(status, 'extra').active, service(status, 'extra').state, service(status, 'extra').profiles], [false, 'not-created', ['extra']]);
    assert.deepEqual(service(status, 'web').ports.map((p) => p.published), [webPort]);
    assert.ok(status.reachable);
    assert.equal(status.summary.text, '1/2 healthy, 1 running (no healthcheck), 1 unhealthy, 1 failed, 1 stopped, 1 completed');
    assert.deepEqual(status.summary.problems, ['sick', 'oneshot']);
  });

  test('duckstack up prints every failing service and the doctor command for each', async () => {
    let err = '';
    const io: CliIo = { cwd: os.tmpdir(), env, out: () => undefined, err: (t) => (err += t) };
    assert.equal(await cli(['up', LIVE_DIR], io), 1, err);
    assert.match(err, /^duckstack up: Not every service became healthy: /m);
    assert.match(err, /^ {2}oneshot: failed \(exit 3\)$/m);
    assert.match(err, /^ {2}sick: unhealthy$/m);
    assert.match(err, /^ {2}next: duckstack doctor oneshot /m);
    assert.match(err, /^ {2}next: duckstack doctor sick /m);
  });

  test('a log follow survives a restart and a recreation, marking each, showing every run once, until closed', async () => {
    const opened = await openDockerEngine(env);
    assert.ok(opened.ok);
    const events: FollowEvent[] = [];
    const abort = new AbortController();
    let changed: () => void = () => undefined;
    const following = followServiceLogs(runner, opened.engine, project.name, {
      service: 'idle',
      tail: 100,
      signal: abort.signal,
      onEvent: (e) => {
        events.push(e);
        changed();
      },
    });
    const lines = (): string[] => events.flatMap((e) => (e.kind === 'line' ? [e.text] : []));
    const waitUntil = (what: string, predicate: () => boolean): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}`)), 30_000);
        changed = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          changed = () => undefined;
          resolve();
        };
        changed();
      });
    const runs = (): number => lines().filter((l) => /idle up$/.test(l)).length;
    await waitUntil('the history of the current run', () => runs() >= 1);
    const before = runs();
    await runner.restartService('idle', { timeoutSeconds: 0 });
    await waitUntil('the restarted run', () => runs() === before + 1 && events.some((e) => e.kind === 'restarted'));
    const recreated = await runner.run(['up', '-d', '--force-recreate', 'idle']);
    assert.ok(recreated.ok, recreated.ok ? '' : recreated.reason);
    await waitUntil('the recreated run', () => runs() === before + 2 && events.filter((e) => e.kind === 'restarted').length === 2);
    assert.equal(events.filter((e) => e.kind === 'problem').length, 0, JSON.stringify(events));
    const kinds = events.filter((e) => e.kind !== 'line').map((e) => e.kind);
    assert.deepEqual(kinds, ['stopped', 'restarted', 'stopped', 'restarted']);
    abort.abort();
    await following;
    assert.equal(runs(), before + 2, 'no run is shown twice');
  });
});
