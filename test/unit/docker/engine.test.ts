// Reaching the engine: DOCKER_HOST and docker contexts, "not reachable" as data, and a
// monitor that recovers by itself when the engine comes back.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dockerodeOptions, resolveDockerEndpoint, uiHostFor } from '../../../src/core/docker/endpoint';
import { openDockerEngine } from '../../../src/core/docker/engine';
import { ServiceMonitor } from '../../../src/core/docker/monitor';
import type { StackProject } from '../../../src/core/docker/services';
import { docker, freePort, requireEngine, service, waitForStatus } from './support';

/** A compose project with one declared service, enough for the monitor. */
function projectNamed(name: string): StackProject {
  return {
    name,
    dir: os.tmpdir(),
    files: [],
    activeProfiles: [],
    services: [{ name: 'svc', ports: [], volumes: [], environment: {}, healthcheck: false, dependsOn: {}, profiles: [], labels: {} }],
  };
}

/** A unix socket that forwards to the real engine and can be taken away, like a daemon that stops. */
class EngineProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  constructor(
    readonly socketPath: string,
    private readonly target: string,
  ) {}

  start(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    return new Promise((resolve) => server.listen(this.socketPath, resolve));
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

suite('docker: reaching the engine', function () {
  this.timeout(30_000);
  let tmp: string;
  let realHost: string;

  suiteSetup(async () => {
    await requireEngine();
    realHost = process.env.DOCKER_HOST ?? '';
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-engine-'));
  });
  suiteTeardown(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  function writeContext(configDir: string, name: string, host: string): void {
    const id = createHash('sha256').update(name).digest('hex');
    const metaDir = path.join(configDir, 'contexts', 'meta', id);
    fs.mkdirSync(metaDir, { recursive: true });
    fs.writeFileSync(path.join(metaDir, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    fs.writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ auths: {}, currentContext: name }));
  }

  test('the current docker context is used when DOCKER_HOST is unset, and DOCKER_HOST wins over it', async () => {
    const configDir = path.join(tmp, 'ctx-config');
    writeContext(configDir, 'duck-remote', realHost);
    const contextEnv = { HOME: tmp, DOCKER_CONFIG: configDir, PATH: process.env.PATH };
    const resolved = await resolveDockerEndpoint(contextEnv);
    assert.deepEqual(resolved, { ok: true, endpoint: { host: realHost, origin: "docker context 'duck-remote'", tls: undefined } });
    const opened = await openDockerEngine(contextEnv);
    assert.ok(opened.ok);
    const ping = await opened.engine.ping();
    assert.ok(ping.ok, ping.ok ? '' : ping.problem.cause);

    const overridden = await resolveDockerEndpoint({ ...contextEnv, DOCKER_HOST: 'tcp://10.1.2.3:2375' });
    assert.ok(overridden.ok);
    assert.equal(overridden.endpoint.origin, 'DOCKER_HOST');

    const named = await resolveDockerEndpoint({ ...contextEnv, DOCKER_CONTEXT: 'gone' });
    assert.equal(named.ok, false);
    if (!named.ok) assert.match(named.message, /docker context 'gone' is selected but .*meta\.json does not exist/);

    const none = await resolveDockerEndpoint({ HOME: tmp, DOCKER_CONFIG: path.join(tmp, 'empty') });
    assert.ok(none.ok);
    assert.equal(none.endpoint.host, 'unix:///var/run/docker.sock');
  });

  test('unix, tcp and ssh addresses become dockerode options; remote engines put their host in UI links', () => {
    const opts = (host: string) => dockerodeOptions({ host, origin: 'DOCKER_HOST' });
    const unix = opts('unix:///run/docker.sock');
    assert.ok(unix.ok);
    assert.equal(unix.options.socketPath, '/run/docker.sock');
    assert.equal(unix.options.host, undefined);
    const tcp = opts('tcp://build-box:2375');
    assert.ok(tcp.ok);
    assert.deepEqual([tcp.options.protocol, tcp.options.host, tcp.options.port, tcp.options.socketPath], ['http', 'build-box', '2375', undefined]);
    const ssh = opts('ssh://me@build-box');
    assert.ok(ssh.ok);
    // Plain HTTP through DuckStack's SSH agent, never dockerode's ssh mode (DEP0170).
    assert.deepEqual([ssh.options.protocol, ssh.options.host, ssh.options.port, ssh.options.sshOptions], ['http', 'build-box', 22, undefined]);
    assert.deepEqual(ssh.ssh, { host: 'build-box', port: 22, username: 'me' });
    const sshPort = opts('ssh://[::1]:2222');
    assert.ok(sshPort.ok);
    assert.deepEqual(sshPort.ssh, { host: '::1', port: 2222, username: undefined });
    const ftp = opts('ftp://x');
    assert.equal(ftp.ok, false);
    assert.equal(uiHostFor({ host: 'ssh://me@build-box', origin: '' }), 'build-box');
    assert.equal(uiHostFor({ host: 'unix:///run/docker.sock', origin: '' }), 'localhost');
  });

  test('DOCKER_HOST pointing at nothing is "not reachable" with the cause, never a throw', async () => {
    const project = projectNamed('nothing');
    const refusedPort = await freePort();
    const cases: [string, string, RegExp][] = [
      ['unix:///nonexistent.sock', 'no-socket', /socket does not exist/],
      [`tcp://127.0.0.1:${refusedPort}`, 'refused', /refused the connection/],
      ['ftp://somewhere', 'bad-address', /not a Docker address|cannot reach/],
    ];
    for (const [host, kind, cause] of cases) {
      const monitor = await ServiceMonitor.open(project, { ...process.env, DOCKER_HOST: host }, { minBackoffMs: 5_000 });
      monitor.start();
      try {
        const { status } = await waitForStatus(monitor, () => true, `a status for ${host}`);
        assert.equal(status.reachable, false, host);
        if (status.reachable) continue;
        assert.equal(status.problem.kind, kind, host);
        assert.equal(status.problem.unreachable, true);
        assert.match(status.problem.cause, cause);
        assert.ok(status.problem.remedy.length > 0);
      } finally {
        monitor.stop();
      }
    }
  });

  test('permission denied on the socket is "not reachable" with what to do', async () => {
    // A socket nobody may use (mode 000). Root ignores permission bits through its DAC-override
    // capabilities, so as root the probe runs without them (setpriv, util-linux).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-socket-'));
    const socket = path.join(dir, 'docker.sock');
    const server = net.createServer((c) => c.destroy());
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    fs.chmodSync(socket, 0o000);
    try {
      const engineModule = path.resolve(__dirname, '../../../src/core/docker/engine.js');
      const probe = `require(${JSON.stringify(engineModule)}).openDockerEngine({ DOCKER_HOST: 'unix://${socket}' })
          .then(async (o) => { const r = o.ok ? await o.engine.listProjectContainers('x') : { ok: false, problem: o.problem };
            process.stdout.write(JSON.stringify(r.ok ? { ok: true } : r.problem)); });`;
      const asRoot = process.getuid?.() === 0;
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          asRoot ? 'setpriv' : process.execPath,
          asRoot ? ['--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-all', process.execPath, '-e', probe] : ['-e', probe],
          { timeout: 30_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))),
      );
      const problem = JSON.parse(output) as { kind?: string; unreachable?: boolean; cause?: string; remedy?: string };
      assert.equal(problem.kind, 'permission', output);
      assert.equal(problem.unreachable, true);
      assert.match(problem.cause ?? '', /Permission denied/);
      assert.match(problem.remedy ?? '', /docker` group/);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('Retry reads again at once, without waiting for the backoff', async () => {
    const monitor = await ServiceMonitor.open(projectNamed('nothing'), { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' }, { minBackoffMs: 60_000 });
    try {
      monitor.start();
      await waitForStatus(monitor, (s) => !s.reachable, 'not reachable');
      const again = waitForStatus(monitor, () => true, 'a status after Retry', { onlyNext: true, timeoutMs: 2_000 });
      monitor.retry();
      const { status, reason } = await again;
      assert.equal(reason, 'manual');
      assert.equal(status.reachable, false);
    } finally {
      monitor.stop();
    }
  });

  test('a changed compose project is watched under its new name', async () => {
    const monitor = await ServiceMonitor.open(projectNamed(`dsfirst${process.pid}`), process.env);
    try {
      monitor.start();
      await waitForStatus(monitor, (s) => s.reachable, 'first project');
      const renamed = waitForStatus(monitor, (s) => s.project === `dssecond${process.pid}`, 'second project', { onlyNext: true });
      monitor.setProject(projectNamed(`dssecond${process.pid}`));
      const { status, reason } = await renamed;
      assert.equal(reason, 'project');
      assert.ok(status.reachable);
    } finally {
      monitor.stop();
    }
  });

  test('the monitor reports the engine gone and recovers by itself, re-subscribing to events', async () => {
    assert.ok(realHost.startsWith('unix://'), 'this test proxies a unix socket engine');
    const proxy = new EngineProxy(path.join(tmp, 'proxy.sock'), realHost.slice('unix://'.length));
    await proxy.start();
    const projectName = `dsrecover${process.pid}`;
    const monitor = await ServiceMonitor.open(projectNamed(projectName), { ...process.env, DOCKER_HOST: `unix://${proxy.socketPath}` }, { minBackoffMs: 100, maxBackoffMs: 400 });
    let containerId = '';
    try {
      monitor.start();
      await waitForStatus(monitor, (s) => s.reachable, 'reachable through the proxy');

      const lost = waitForStatus(monitor, (s) => !s.reachable, 'engine gone');
      await proxy.stop();
      const { status: gone } = await lost;
      assert.ok(!gone.reachable);
      assert.equal(gone.problem.kind, 'no-socket');

      const back = waitForStatus(monitor, (s) => s.reachable, 'engine back');
      await proxy.start();
      await back;

      // The events stream was re-opened: a new container of the project shows up without a refresh call.
      const seen = waitForStatus(monitor, (s) => s.reachable && service(s, 'svc').state === 'running', 'svc running', { onlyNext: true });
      containerId = await docker(['run', '-d', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.service=svc', 'local/busybox:1', 'sleep', '60']);
      const { reason } = await seen;
      assert.equal(reason, 'event');
    } finally {
      monitor.stop();
      await proxy.stop();
      if (containerId) await docker(['rm', '-f', containerId]);
    }
  });
});
