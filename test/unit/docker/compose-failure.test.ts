// Every failing compose call in plain words. The first suite makes compose fail for real on the
// engine (local images only) and explains what it wrote; the second is a table of messages this
// machine cannot produce (Docker Hub's and ghcr.io's answers, a full disk, a newer BuildKit), quoted
// from Docker's and compose's own error texts, and the default socket's words. A registry that
// answers, for real, is in test/unit/doctor/registry.test.ts (a stand-in on 127.0.0.1).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { loadComposeProject } from '../../../src/core/compose/project';
import { ComposeRunner, detectComposeCli, type ComposeCli, type ComposeResult } from '../../../src/core/docker/compose-cli';
import { explainComposeFailure, type ComposeFailure } from '../../../src/core/docker/compose-failure';
import { tempDir } from '../validate/support';
import { freePort, requireEngine } from './support';

function failed(result: ComposeResult): Extract<ComposeResult, { ok: false }> & { failure: ComposeFailure } {
  assert.equal(result.ok, false, 'compose was expected to fail');
  if (result.ok || !result.failure) throw new Error('no failure');
  return result as Extract<ComposeResult, { ok: false }> & { failure: ComposeFailure };
}

/** The one line of `lines` matching `re` (a real line, whose machine-specific parts vary). */
function lineMatching(lines: readonly string[], re: RegExp): string {
  const found = lines.filter((l) => re.test(l));
  assert.equal(found.length, 1, `${re} in:\n${lines.join('\n')}`);
  return found[0];
}

suite('compose failures in plain words: real compose output', function () {
  this.timeout(180_000);
  let root: string;
  let cliInfo: ComposeCli;
  const project = `dscf${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
  const runners: ComposeRunner[] = [];

  async function stack(name: string, files: Record<string, string>, extraEnv: NodeJS.ProcessEnv = {}): Promise<ComposeRunner> {
    const dir = path.join(root, name);
    fs.mkdirSync(dir, { recursive: true });
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    const env = { ...process.env, COMPOSE_PROJECT_NAME: `${project}${name}`, ...extraEnv };
    const runner = new ComposeRunner(cliInfo, await loadComposeProject(dir, { processEnv: env }), env);
    runners.push(runner);
    return runner;
  }

  suiteSetup(async () => {
    await requireEngine();
    const detected = await detectComposeCli(process.env);
    if (!detected.ok) throw new Error(detected.message);
    cliInfo = detected.cli;
    root = tempDir('compose-failure');
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    for (const r of runners) await r.down({ timeoutSeconds: 0 });
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('missing required variable, no .env: create it from .env.example, or open .env at the variable', async () => {
    const runner = await stack('var', {
      'compose.yaml': 'services:\n  db:\n    image: local/busybox:1\n    environment:\n      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"\n',
      '.env.example': 'POSTGRES_PASSWORD=replace-with-a-password\n',
    });
    const result = failed(await runner.up());
    assert.deepEqual(result.failure, {
      kind: 'missing-variable',
      cause: 'The compose file requires POSTGRES_PASSWORD, which is not set (there is no .env file).',
      remedy: 'Create .env from .env.example, then fill in the values it asks for.',
      actions: [{ kind: 'create-env' }, { kind: 'open-env', variable: 'POSTGRES_PASSWORD' }],
      evidence: ['error while interpolating services.db.environment.POSTGRES_PASSWORD: required variable POSTGRES_PASSWORD is missing a value: set POSTGRES_PASSWORD in .env'],
      variable: 'POSTGRES_PASSWORD',
    });
  });

  test('registry unreachable: an image that is not local cannot be pulled', async () => {
    const runner = await stack('pull', { 'compose.yaml': 'services:\n  app:\n    image: local/busybox:404\n' });
    const result = failed(await runner.up());
    const line = lineMatching(result.failure.evidence, /registry-1\.docker\.io/);
    // Compose's progress line for the service; the DNS server it names is this machine's.
    assert.match(line, /^ app Error Get "https:\/\/registry-1\.docker\.io\/v2\/": dial tcp: lookup registry-1\.docker\.io.*: no such host$/);
    assert.deepEqual(result.failure, {
      kind: 'registry-unreachable',
      cause: 'The image registry registry-1.docker.io cannot be reached from the Docker engine, so an image that is not present locally cannot be pulled.',
      remedy: 'Connect to the network (or set the engine’s proxy), or make the image available locally: build it, or `docker load` it from a file.',
      actions: [{ kind: 'diagnose', service: 'app' }],
      evidence: [line],
      registry: 'registry-1.docker.io',
      service: 'app',
    });
  });

  test('port already allocated by another container, and port held by a host process', async () => {
    const port = await freePort();
    const runner = await stack('ports', {
      'compose.yaml': `services:\n  first:\n    image: local/busybox:1\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n    ports: ["${port}:80"]\n  second:\n    image: local/busybox:1\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n    ports: ["${port}:81"]\n`,
    });
    assert.equal((await runner.up({ services: ['first'] })).ok, true);
    const allocated = failed(await runner.up({ services: ['second'] }));
    const line = lineMatching(allocated.failure.evidence, /port is already allocated/);
    assert.match(line, new RegExp(`Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated$`));
    assert.deepEqual(allocated.failure, {
      kind: 'port-allocated',
      cause: `Host port ${port} is already published by another container.`,
      remedy: `Stop the container that publishes port ${port}, or change this service's host port (a variable in .env).`,
      actions: [{ kind: 'diagnose', service: 'second' }],
      evidence: [line],
      port,
      service: 'second',
    });

    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const held = (server.address() as net.AddressInfo).port;
    try {
      const other = await stack('held', { 'compose.yaml': `services:\n  web:\n    image: local/busybox:1\n    command: ["sleep", "3600"]\n    ports: ["${held}:80"]\n` });
      const inUse = failed(await other.up());
      const inUseLine = lineMatching(inUse.failure.evidence, /address already in use/);
      assert.deepEqual(inUse.failure, {
        kind: 'port-in-use',
        cause: `Host port ${held} is held by a process outside Docker.`,
        remedy: `Stop the process that listens on port ${held} (Diagnose names it), or change this service's host port (a variable in .env).`,
        actions: [{ kind: 'diagnose', service: undefined }],
        evidence: [inUseLine],
        port: held,
      });
    } finally {
      server.close();
    }
  });

  test('build failure: the failing step and its Dockerfile line (found in the file when BuildKit does not say)', async () => {
    const runner = await stack('build', {
      'compose.yaml': 'services:\n  app:\n    build: .\n',
      Dockerfile: 'FROM local/busybox:1\nRUN echo preparing\nRUN cp /nonexistent/requirements.txt /app/\n',
    });
    const result = failed(await runner.up());
    const dockerfile = path.join(root, 'build', 'Dockerfile');
    const solve = lineMatching(result.failure.evidence, /failed to solve|executor failed/);
    assert.deepEqual(result.failure, {
      kind: 'build-failed',
      cause: 'The image build of app failed at RUN cp /nonexistent/requirements.txt /app/ (Dockerfile line 3).',
      remedy: 'Fix that Dockerfile step (its output is just above the error), then rebuild the service.',
      actions: [{ kind: 'open-file', file: dockerfile, line: 3 }, { kind: 'show-output' }],
      evidence: [solve],
      service: 'app',
      step: 'RUN cp /nonexistent/requirements.txt /app/',
      dockerfile,
      line: 3,
    });
  });

  test('command not found when the container starts', async () => {
    const runner = await stack('cmd', { 'compose.yaml': 'services:\n  job:\n    image: local/busybox:1\n    command: ["no-such-program"]\n' });
    const result = failed(await runner.up());
    const line = lineMatching(result.failure.evidence, /executable file not found/);
    assert.deepEqual(result.failure, {
      kind: 'command-not-found',
      cause: "The container's command no-such-program does not exist in the image.",
      remedy: 'Fix the service’s command or entrypoint, or install the program in the image.',
      actions: [{ kind: 'diagnose', service: undefined }],
      evidence: [line],
    });
  });

  test('engine not running, and the compose plugin missing (real docker CLI output)', async () => {
    const engine = await stack('engine', { 'compose.yaml': 'services:\n  app:\n    image: local/busybox:1\n' }, { DOCKER_HOST: 'unix:///nonexistent/duckstack.sock' });
    const down = failed(await engine.up());
    assert.deepEqual(down.failure, {
      kind: 'engine-not-running',
      cause: 'No Docker engine answers at unix:///nonexistent/duckstack.sock.',
      remedy: 'Start Docker (Docker Desktop, or `sudo systemctl start docker`), or point DOCKER_HOST / the docker context at a running engine.',
      actions: [{ kind: 'show-output' }],
      evidence: ['Cannot connect to the Docker daemon at unix:///nonexistent/duckstack.sock. Is the docker daemon running?'],
    });
    // A docker config folder without the plugin: the docker CLI itself answers.
    const noPlugin = await stack('plugin', { 'compose.yaml': 'services:\n  app:\n    image: local/busybox:1\n' }, { DOCKER_CONFIG: path.join(root, 'plugin') });
    const missing = failed(await noPlugin.up());
    assert.equal(missing.failure.kind, 'compose-missing');
    assert.equal(missing.failure.cause, 'The Docker Compose v2 plugin is not installed (or `docker` itself is not on PATH).');
    const absent = new ComposeRunner({ ...cliInfo, command: 'docker-duckstack-absent' }, await loadComposeProject(path.join(root, 'plugin')), process.env);
    assert.deepEqual(failed(await absent.up()).failure.evidence, ['docker-duckstack-absent is not installed or not on PATH']);
  });

  test('socket permission: compose run by a user outside the docker group (uid 65534, through setpriv)', async () => {
    assert.equal(process.getuid?.(), 0, 'this test drops to an unprivileged user with setpriv, which needs root (the test runner on these machines is root)');
    const host = process.env.DOCKER_HOST ?? '';
    await stack('socket', { 'compose.yaml': 'services:\n  app:\n    image: local/busybox:1\n' });
    // The unprivileged user reads the compose file; the engine's socket is root:docker, mode 660.
    fs.chmodSync(root, 0o755);
    fs.chmodSync(path.join(root, 'socket'), 0o755);
    const asNobody: ComposeCli = { ...cliInfo, command: 'setpriv', prefix: ['--reuid=65534', '--regid=65534', '--clear-groups', cliInfo.command, ...cliInfo.prefix] };
    const env = { ...process.env, COMPOSE_PROJECT_NAME: `${project}socket` };
    const result = failed(await new ComposeRunner(asNobody, await loadComposeProject(path.join(root, 'socket'), { processEnv: env }), env).up());
    const line = lineMatching(result.failure.evidence, /permission denied while trying to connect/);
    assert.match(line, new RegExp(`^permission denied while trying to connect to the Docker daemon socket at ${host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*connect: permission denied$`));
    assert.deepEqual(result.failure, {
      kind: 'socket-permission',
      cause: `This user may not use the Docker socket (${host}).`,
      remedy: 'Add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker.',
      actions: [{ kind: 'show-output' }],
      evidence: [line],
    });
  });

  test('duckstack up echoes each command before its output and ends with the failure in plain words', async () => {
    const dir = path.join(root, 'var');
    let err = '';
    const io: CliIo = { cwd: dir, env: { ...process.env, COMPOSE_PROJECT_NAME: `${project}var` }, out: () => undefined, err: (t) => (err += t) };
    assert.equal(await cli(['up'], io), 1);
    const lines = err.trimEnd().split('\n');
    assert.match(lines[0], new RegExp(`^\\$ docker compose -p ${project}var -f \\S+compose\\.yaml --project-directory \\S+ up -d --wait$`));
    assert.deepEqual(lines.slice(-4), [
      'duckstack up: The compose file requires POSTGRES_PASSWORD, which is not set (there is no .env file).',
      '  what to do: Create .env from .env.example, then fill in the values it asks for.',
      `  next: duckstack env create ${dir}`,
      `  next: set POSTGRES_PASSWORD in ${path.join(dir, '.env')}`,
    ]);
  });
});

suite('compose failures in plain words: messages this machine cannot produce (unit)', () => {
  const cases: Array<{ name: string; lines: string[]; expected: Partial<ComposeFailure> }> = [
    {
      name: 'tag unknown',
      lines: [' db Pulling ', ' db Error manifest for postgres:99 not found: manifest unknown: manifest unknown', 'Error response from daemon: manifest for postgres:99 not found: manifest unknown: manifest unknown'],
      expected: { kind: 'image-not-found', image: 'postgres:99', registry: 'registry-1.docker.io', service: 'db', cause: 'The registry does not have the image postgres:99.' },
    },
    {
      name: 'access denied',
      lines: ["Error response from daemon: pull access denied for myorg/private-app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied"],
      expected: { kind: 'access-denied', image: 'myorg/private-app', registry: 'registry-1.docker.io', remedy: 'Check the image name; for a private image run `docker login` first.' },
    },
    {
      name: 'access denied on a private registry',
      lines: ['Error response from daemon: Head "https://ghcr.io/v2/acme/superset/manifests/5.0.0": unauthorized: authentication required'],
      expected: { kind: 'access-denied', remedy: 'Check the image name; for a private image run `docker login` first.' },
    },
    {
      name: 'no space left',
      lines: ['failed to register layer: write /var/lib/docker/overlay2/abc/diff/usr/lib/libduckdb.so: no space left on device'],
      expected: { kind: 'no-space' },
    },
    {
      name: 'socket permission',
      lines: ['permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "http://%2Fvar%2Frun%2Fdocker.sock/v1.24/containers/json": dial unix /var/run/docker.sock: connect: permission denied'],
      expected: { kind: 'socket-permission', cause: 'This user may not use the Docker socket (unix:///var/run/docker.sock).' },
    },
    {
      name: 'newer BuildKit names the Dockerfile line',
      lines: [' > [dagster 4/6] RUN pip install -r requirements.txt:', '------', 'Dockerfile:12', '--------------------', 'failed to solve: process "/bin/sh -c pip install -r requirements.txt" did not complete successfully: exit code: 1'],
      expected: {
        kind: 'build-failed',
        service: 'dagster',
        step: 'RUN pip install -r requirements.txt',
        dockerfile: '/fork/Dockerfile',
        line: 12,
        cause: 'The image build of dagster failed at RUN pip install -r requirements.txt (Dockerfile line 12).',
      },
    },
    {
      name: 'unhealthy dependency',
      lines: ['dependency failed to start: container myfork-postgres-1 is unhealthy'],
      expected: { kind: 'unhealthy', service: 'postgres', actions: [{ kind: 'diagnose', service: 'postgres' }] },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = explainComposeFailure(c.lines, { dir: '/fork' });
      for (const [key, value] of Object.entries(c.expected)) assert.deepEqual(got[key as keyof ComposeFailure], value, `${key}: ${JSON.stringify(got)}`);
      assert.ok(got.evidence.length > 0 && got.evidence.every((e) => c.lines.includes(e)), JSON.stringify(got.evidence));
    });
  }
});
