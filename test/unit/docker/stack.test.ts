// The service model and stack control against a real engine and the test compose stack
// (test/fixtures/docker/stack): a healthy web server, a failing healthcheck, a job that
// exits 3, and an app gated on web's health.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { loadComposeProject, type ComposeProject } from '../../../src/core/compose/project';
import { ComposeRunner, detectComposeCli, type OutputLine } from '../../../src/core/docker/compose-cli';
import { ServiceMonitor } from '../../../src/core/docker/monitor';
import { describeState, type StackStatus } from '../../../src/core/docker/services';
import { docker, freePort, requireEngine, service, STACK_DIR, waitForStatus } from './support';

suite('docker: compose stack on a real engine', function () {
  this.timeout(60_000);
  let project: ComposeProject;
  let env: NodeJS.ProcessEnv;
  let runner: ComposeRunner;
  let monitor: ServiceMonitor;
  let webPort: number;
  let appPort: number;

  const isUp = (s: StackStatus, name: string) => s.reachable && ['running', 'healthy'].includes(service(s, name).state);

  suiteSetup(async () => {
    await requireEngine();
    webPort = await freePort();
    appPort = await freePort();
    const projectName = `dstest${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
    env = { ...process.env, WEB_PORT: String(webPort), APP_PORT: String(appPort), COMPOSE_PROJECT_NAME: projectName };
    project = await loadComposeProject(STACK_DIR, { processEnv: env });
    assert.deepEqual(project.errors, []);
    assert.equal(project.name, projectName);
    const detected = await detectComposeCli(env);
    if (!detected.ok) throw new Error(detected.message);
    runner = new ComposeRunner(detected.cli, project, env);
    monitor = await ServiceMonitor.open(project, env, { debounceMs: 100 });
    monitor.start();
    await waitForStatus(monitor, (s) => s.reachable, 'the first status');
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    monitor?.stop();
    if (runner) await runner.down({ timeoutSeconds: 1 });
  });

  test('detects docker compose v2, and says clearly when neither CLI exists', async () => {
    assert.equal(runner.cli.version, 'v2');
    assert.deepEqual([runner.cli.command, ...runner.cli.prefix], ['docker', 'compose']);
    assert.match(runner.cli.release, /^2\./);
    const emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-nopath-'));
    try {
      const missing = await detectComposeCli({ ...env, PATH: emptyPath });
      assert.equal(missing.ok, false);
      if (!missing.ok) assert.match(missing.message, /Neither `docker compose` \(v2\) nor `docker-compose`/);
    } finally {
      fs.rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  test('lists every service of the file before anything exists: nothing published yet, the compose ports declared', () => {
    const status = monitor.current;
    assert.ok(status?.reachable);
    assert.deepEqual(status.services.map((s) => [s.name, s.state, s.active]), [
      ['web', 'not-created', true],
      ['sick', 'not-created', true],
      ['job', 'not-created', true],
      ['app', 'not-created', true],
      ['extra', 'not-created', false],
    ]);
    assert.deepEqual(service(status, 'web').ports, [], 'a service that does not run publishes nothing');
    assert.deepEqual(service(status, 'web').declaredPorts, [{ hostIp: undefined, published: webPort, target: 8080, protocol: 'tcp', source: 'compose' }]);
    assert.deepEqual(service(status, 'extra').profiles, ['extra']);
    assert.equal(status.summary.text, 'not started (4 services)');
    assert.equal(status.summary.nothingRuns, true);
    assert.deepEqual([status.summary.total, status.summary.ok, status.summary.problems, status.summary.level], [4, 0, [], 'warning']);
  });

  test('up --wait starts a service and its health-gated dependency; ports, health and UI link are the real ones', async () => {
    const lines: OutputLine[] = [];
    const result = await runner.up({ services: ['app'], onLine: (l) => lines.push(l) });
    assert.equal(result.ok, true, result.ok ? '' : result.reason);
    assert.ok(lines.some((l) => /web-1\s+Healthy/.test(l.text)), 'compose output streamed line by line');
    const { status } = await waitForStatus(monitor, (s) => s.reachable && service(s, 'web').state === 'healthy' && isUp(s, 'app'), 'web healthy, app running');
    const web = service(status, 'web');
    assert.equal(web.health, 'healthy');
    assert.equal(web.image, 'local/busybox:1');
    assert.equal(web.containers.length, 1);
    assert.match(web.containers[0].id, /^[0-9a-f]{64}$/);
    assert.ok(web.upFor, 'uptime from the engine');
    assert.deepEqual(web.ports.map((p) => [p.published, p.target, p.protocol, p.source]), [[webPort, 8080, 'tcp', 'engine']]);
    assert.deepEqual(web.links, [{ label: `HTTP ${webPort}`, url: `http://localhost:${webPort}/` }]);
    const body = await (await fetch(web.links[0].url)).text();
    assert.equal(body.trim(), 'hello-duckstack');
    const app = service(status, 'app');
    assert.equal(app.state, 'running');
    assert.equal(app.health, undefined);
    assert.equal(app.verdict, 'ok');
    assert.ok(status.reachable);
    // app runs without a healthcheck: counted apart, never as healthy.
    assert.equal(status.summary.text, '1/2 healthy, 1 running (no healthcheck), 2 not created');
    assert.deepEqual(status.summary.byState.running, ['app']);
    assert.ok(app.startedAt instanceof Date && app.startedAtExact, 'the exact start time, from the start event');
    assert.ok(Math.abs(app.startedAt.getTime() - Date.now()) < 60_000);
  });

  test('a service that exits shows its exit code, and up --wait fails with the reason', async () => {
    const result = await runner.startService('job');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.exitCode, 1);
    assert.equal(result.cancelled, false);
    assert.match(result.reason, /exited \(3\)/);
    assert.ok(result.stderrTail.length > 0);
    const { status } = await waitForStatus(monitor, (s) => s.reachable && service(s, 'job').state === 'exited', 'job exited');
    const job = service(status, 'job');
    assert.equal(job.exitCode, 3);
    assert.deepEqual(job.exit, { kind: 'failed', code: 3, byUser: false, oom: false });
    assert.equal(describeState(job), 'failed (exit 3)');
    assert.equal(job.verdict, 'problem');
    assert.deepEqual(job.links, []);
  });

  test('a failing healthcheck turns the service unhealthy through events; inspect gives the check output', async () => {
    const result = await runner.run(['up', '-d', 'sick']);
    assert.equal(result.ok, true, result.ok ? '' : result.reason);
    const { status, reason } = await waitForStatus(monitor, (s) => s.reachable && service(s, 'sick').state === 'unhealthy', 'sick unhealthy', { onlyNext: true });
    assert.equal(reason, 'event');
    const sick = service(status, 'sick');
    assert.equal(sick.health, 'unhealthy');
    assert.ok(status.reachable);
    assert.deepEqual(status.summary.problems.sort(), ['job', 'sick']);
    assert.equal(status.summary.level, 'error');
    const detail = await monitor.inspect(sick.containers[0].id);
    assert.ok(detail.ok);
    assert.equal(detail.value.health?.status, 'unhealthy');
    assert.ok((detail.value.health?.failingStreak ?? 0) >= 2);
    assert.equal(detail.value.health?.log.at(-1)?.exitCode, 1);
    assert.ok(detail.value.startedAt instanceof Date);
  });

  test('docker stop from outside reaches the model through the events stream', async () => {
    const before = monitor.current;
    assert.ok(before?.reachable);
    const webId = service(before, 'web').containers[0].id;
    const changed = waitForStatus(monitor, (s) => s.reachable && service(s, 'web').state === 'exited', 'web exited', { onlyNext: true });
    await docker(['stop', webId]);
    const { status, reason } = await changed;
    assert.equal(reason, 'event');
    const web = service(status, 'web');
    assert.equal(web.exitCode, 137, 'stop_signal SIGKILL');
    assert.deepEqual(web.exit, { kind: 'stopped', code: 137, byUser: true, oom: false }, 'the stop event says the user stopped it');
    assert.equal(describeState(web), 'stopped (exit 137)');
    assert.equal(web.verdict, 'idle');
    assert.deepEqual(web.ports, [], 'a stopped container publishes nothing');
    assert.equal(web.declaredPorts[0].published, webPort);
  });

  test('start, stop, restart and rebuild one service change the real containers', async () => {
    const started = await runner.startService('web');
    assert.equal(started.ok, true, started.ok ? '' : started.reason);
    await waitForStatus(monitor, (s) => s.reachable && service(s, 'web').state === 'healthy', 'web healthy again');

    const stopped = await runner.stopService('app', { timeoutSeconds: 1 });
    assert.equal(stopped.ok, true, stopped.ok ? '' : stopped.reason);
    const { status: afterStop } = await waitForStatus(monitor, (s) => s.reachable && service(s, 'app').state === 'exited', 'app stopped');
    const appId = service(afterStop, 'app').containers[0].id;
    assert.equal(await docker(['inspect', '-f', '{{.State.Running}}', appId]), 'false');

    const restarted = await runner.restartService('app', { timeoutSeconds: 1 });
    assert.equal(restarted.ok, true, restarted.ok ? '' : restarted.reason);
    await waitForStatus(monitor, (s) => isUp(s, 'app'), 'app running after restart');
    assert.equal(await docker(['inspect', '-f', '{{.State.Running}}', appId]), 'true');

    const rebuilt = await runner.rebuildService('app');
    assert.equal(rebuilt.ok, true, rebuilt.ok ? '' : rebuilt.reason);
    const { status: afterRebuild } = await waitForStatus(monitor, (s) => isUp(s, 'app') && service(s, 'app').containers[0]?.id !== appId, 'a new app container');
    assert.equal(service(afterRebuild, 'app').containers.length, 1);
  });

  test('logs show the service output, and a followed log stops when cancelled', async () => {
    const jobLines: string[] = [];
    const once = await runner.logs({ service: 'job', onLine: (l) => jobLines.push(l.text) });
    assert.equal(once.ok, true, once.ok ? '' : once.reason);
    assert.ok(jobLines.some((l) => l.includes('job ran')), jobLines.join('\n'));

    const abort = new AbortController();
    const webLines: string[] = [];
    const followed = await runner.logs({
      service: 'web',
      follow: true,
      tail: 10,
      signal: abort.signal,
      onLine: (l) => {
        webLines.push(l.text);
        if (l.text.includes('web serving')) abort.abort();
      },
    });
    assert.equal(followed.ok, false);
    if (!followed.ok) assert.equal(followed.cancelled, true);
    assert.ok(webLines.some((l) => l.includes('web serving')));
  });

  test('duckstack status prints every service and exits 1 when one is unhealthy or exited', async () => {
    let out = '';
    let err = '';
    const io: CliIo = { cwd: os.tmpdir(), env, out: (t) => (out += t), err: (t) => (err += t) };
    const code = await cli(['status', STACK_DIR], io);
    assert.equal(code, 1, err);
    assert.match(out, /^sick\s+unhealthy\s+unhealthy/m);
    assert.match(out, /^job\s+failed \(exit 3\)/m);
    assert.match(out, new RegExp(`^web\\s+healthy\\s+healthy\\s+${webPort}->8080\\s`, 'm'));
    assert.match(out, /^extra \(profile off\)\s+not created/m);
    assert.match(out, /: 1\/2 healthy, 1 running \(no healthcheck\), 1 unhealthy, 1 failed; needs attention: sick, job$/m);

    out = '';
    assert.equal(await cli(['status', STACK_DIR, '--json'], io), 1);
    const json = JSON.parse(out) as StackStatus;
    assert.ok(json.reachable);
    assert.equal(service(json, 'app').ports[0].published, appPort);

    assert.equal(await cli(['status', STACK_DIR, '--bogus'], io), 2);
  });

  test('duckstack restart <service> and down drive compose and the model follows', async () => {
    let err = '';
    const io: CliIo = { cwd: STACK_DIR, env, out: () => undefined, err: (t) => (err += t) };
    assert.equal(await cli(['restart', 'app', '-t', '1'], io), 0, err);
    assert.match(err, /app-1\s+Started/);
    assert.equal(await cli(['up', 'nosuch'], io), 2);
    const gone = waitForStatus(monitor, (s) => s.reachable && s.services.every((x) => x.state === 'not-created'), 'everything removed');
    assert.equal(await cli(['down', '-t', '1'], io), 0, err);
    const { status } = await gone;
    assert.ok(status.reachable);
    assert.equal(status.summary.text, 'not started (4 services)');
  });
});
