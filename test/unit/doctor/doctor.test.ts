// duckstack doctor on a real engine (local images only), one service per way of not starting
// (test/fixtures/doctor/stack): a host port held by a process outside Docker (this test), a
// command that does not exist (127), a process killed under an 8 MB mem_limit (137, OOMKilled),
// a failing healthcheck with an error line in its logs, a dependency that never becomes healthy,
// and an image tag that cannot be pulled (no registry is reachable here). A second project has
// no .env and variables that are unset, documented only in .env.example, or required.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { loadComposeProject } from '../../../src/core/compose/project';
import { ComposeRunner, detectComposeCli, type ComposeResult } from '../../../src/core/docker/compose-cli';
import { diagnose, type Finding, type ServiceDiagnosis } from '../../../src/core/doctor';
import { docker, requireEngine } from '../docker/support';
import { createDatabase } from '../duckdb/support';
import { tempDir } from '../validate/support';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/doctor');
const STACK = path.join(FIXTURES, 'stack');

const IMAGE_FINE: Finding = { area: 'image', status: 'fine', reason: 'local/busybox:1 is present locally.', evidence: [] };
const NO_DEPS: Finding = { area: 'dependencies', status: 'fine', reason: 'It depends on no other service.', evidence: [] };
const NO_PORTS: Finding = { area: 'ports', status: 'fine', reason: 'It publishes no host port.', evidence: [] };
const NO_VARS: Finding = { area: 'environment', status: 'fine', reason: 'It uses no variables without a default.', evidence: [] };
const NO_HEALTHCHECK: Finding = { area: 'health', status: 'not-checked', reason: 'No healthcheck is declared, so nothing can tell whether it is ready.', evidence: [] };
const NO_DUCKDB: Finding = { area: 'duckdb', status: 'fine', reason: 'It names no DuckDB file.', evidence: [] };
const NO_LOGS: Finding = { area: 'logs', status: 'fine', reason: 'Its logs are empty.', evidence: [] };
const NO_GOLDEN: Finding = { area: 'versions', status: 'not-checked', reason: 'There is no golden_versions.md, and nothing else to compare its versions with.', evidence: [] };

function holdPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => resolve(server));
  });
}

function portOf(server: net.Server): number {
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return address.port;
}

async function waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

suite('doctor: why services do not start, on a real engine', function () {
  this.timeout(180_000);
  let server: net.Server;
  let env: NodeJS.ProcessEnv;
  let project: string;
  let runner: ComposeRunner;
  const ups: Record<string, ComposeResult> = {};

  suiteSetup(async () => {
    await requireEngine();
    server = await holdPort();
    project = `dsdoc${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
    env = { ...process.env, COMPOSE_PROJECT_NAME: project, HELD_PORT: String(portOf(server)) };
    const detected = await detectComposeCli(env);
    if (!detected.ok) throw new Error(detected.message);
    runner = new ComposeRunner(detected.cli, await loadComposeProject(STACK, { processEnv: env }), env);
    // Each service on its own: compose stops at the first failure of a call.
    for (const services of [['nocmd'], ['oom'], ['listener'], ['sick', 'waiter'], ['pull']]) {
      ups[services.join('+')] = await runner.run(['up', '-d', ...services]);
    }
    await waitFor('oom to be killed', async () => (await docker(['inspect', '-f', '{{.State.Status}}', `${project}-oom-1`])) === 'exited');
    await waitFor('sick to be unhealthy', async () => (await docker(['inspect', '-f', '{{.State.Health.Status}}', `${project}-sick-1`])) === 'unhealthy');
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    await runner?.down({ timeoutSeconds: 0 });
    server?.close();
  });

  test('compose itself failed for each of them (the calls the doctor explains)', () => {
    for (const name of ['nocmd', 'listener', 'sick+waiter', 'pull']) assert.equal(ups[name].ok, false, name);
    assert.equal(ups.oom.ok, true);
  });

  test('no service given: every service that is not running and healthy, each finding exactly', async () => {
    const report = await diagnose(STACK, { env });
    const port = portOf(server);
    const command = fs.readFileSync('/proc/self/cmdline', 'utf8').split('\0').filter((a) => a !== '').join(' ');
    const byName = (name: string): ServiceDiagnosis => {
      const found = report.services.find((s) => s.service === name);
      assert.ok(found, `no ${name} in ${report.services.map((s) => s.service).join(', ')}`);
      return found;
    };
    assert.deepEqual(report.services.map((s) => s.service), ['listener', 'nocmd', 'oom', 'sick', 'waiter', 'pull']);
    assert.deepEqual(report.notes, []);
    assert.equal(report.ok, false);

    const listener = byName('listener');
    const listenerError = listener.findings[0].evidence[2];
    assert.match(listenerError, new RegExp(`^${project}-listener-1: driver failed programming external connectivity .*listen tcp4 0\\.0\\.0\\.0:${port}: bind: address already in use$`));
    assert.deepEqual(listener, {
      service: 'listener',
      state: 'created',
      problem: true,
      findings: [
        {
          area: 'state',
          status: 'found',
          reason: `It could not start: host port ${port} is held by a process outside Docker.`,
          evidence: [`${project}-listener-1: created`, `${project}-listener-1: exit code 128`, listenerError],
          action: `Stop the process that listens on port ${port} (Diagnose names it), or change this service's host port (a variable in .env).`,
        },
        NO_HEALTHCHECK,
        NO_LOGS,
        NO_DEPS,
        {
          area: 'ports',
          status: 'found',
          reason: `Host port ${port} is held by something else, so the container cannot publish it.`,
          evidence: [`${port}: held by PID ${process.pid}: ${command}`],
          action: 'Stop what holds the port, or give this service another host port (the variable in .env that sets it).',
        },
        { area: 'environment', status: 'fine', reason: 'The 1 variable it uses without a default is set.', evidence: [] },
        IMAGE_FINE,
        NO_DUCKDB,
        NO_GOLDEN,
      ],
    });

    const nocmd = byName('nocmd');
    assert.deepEqual(nocmd, {
      service: 'nocmd',
      state: 'created',
      problem: true,
      findings: [
        {
          area: 'state',
          status: 'found',
          reason: "It could not start: the container's command no-such-program does not exist in the image (exit 127, command not found).",
          evidence: [
            `${project}-nocmd-1: created`,
            `${project}-nocmd-1: exit code 127`,
            `${project}-nocmd-1: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "no-such-program": executable file not found in $PATH: unknown`,
          ],
          action: 'Fix the service’s command or entrypoint, or install the program in the image.',
        },
        NO_HEALTHCHECK,
        NO_LOGS,
        NO_DEPS,
        NO_PORTS,
        NO_VARS,
        IMAGE_FINE,
        NO_DUCKDB,
        NO_GOLDEN,
      ],
    });

    assert.deepEqual(byName('oom'), {
      service: 'oom',
      state: 'failed: out of memory (exit 137)',
      problem: true,
      findings: [
        {
          area: 'state',
          status: 'found',
          reason: 'It was killed for running out of memory: exit 137 (SIGKILL), and the engine recorded OOMKilled.',
          evidence: [`${project}-oom-1: failed: out of memory (exit 137)`, `${project}-oom-1: exit code 137, OOMKilled`],
          action: 'Raise its memory limit (mem_limit, or deploy.resources.limits.memory) or make it use less; `docker stats` shows its use.',
        },
        NO_HEALTHCHECK,
        { area: 'logs', status: 'fine', reason: 'No error lines in its last 1 lines (tail 200); the last ones:', evidence: ['loading the whole table into memory'] },
        NO_DEPS,
        NO_PORTS,
        NO_VARS,
        IMAGE_FINE,
        NO_DUCKDB,
        NO_GOLDEN,
      ],
    });

    assert.deepEqual(byName('sick'), {
      service: 'sick',
      state: 'unhealthy',
      problem: true,
      findings: [
        { area: 'state', status: 'fine', reason: 'It is unhealthy.', evidence: [`${project}-sick-1: unhealthy`] },
        {
          area: 'health',
          status: 'found',
          reason: 'Its healthcheck fails, so compose does not count it as ready.',
          evidence: [`${project}-sick-1: unhealthy, last check exit 1: warehouse not ready`],
          action: 'Run the healthcheck’s command in the container (`docker compose exec` it) and fix what it reports, or fix the check.',
        },
        {
          area: 'logs',
          status: 'found',
          reason: '1 error line in its last 2 lines (ERROR).',
          evidence: ['  starting', '> ERROR cannot open /data/warehouse.duckdb'],
          action: 'Read them in context: `docker compose logs --tail 200 sick`.',
        },
        NO_DEPS,
        NO_PORTS,
        NO_VARS,
        IMAGE_FINE,
        NO_DUCKDB,
        NO_GOLDEN,
      ],
    });

    assert.deepEqual(byName('waiter'), {
      service: 'waiter',
      state: 'created',
      problem: true,
      findings: [
        { area: 'state', status: 'fine', reason: 'It is created.', evidence: [`${project}-waiter-1: created`] },
        NO_HEALTHCHECK,
        NO_LOGS,
        {
          area: 'dependencies',
          status: 'found',
          reason: 'It is blocked by sick (unhealthy): compose starts it only once that service is as it waits for.',
          evidence: ['sick: waited for until healthy; it is unhealthy'],
          action: 'Diagnose sick first.',
        },
        NO_PORTS,
        NO_VARS,
        IMAGE_FINE,
        NO_DUCKDB,
        NO_GOLDEN,
      ],
    });

    const pull = byName('pull');
    const registryError = pull.findings[6].evidence[0];
    // The engine's own words; the DNS server it names is this machine's.
    assert.match(registryError, /^Get "https:\/\/registry-1\.docker\.io\/v2\/": dial tcp: lookup registry-1\.docker\.io.*: no such host$/);
    assert.deepEqual(pull, {
      service: 'pull',
      state: 'not created',
      problem: true,
      findings: [
        {
          area: 'state',
          status: 'found',
          reason: 'It has no container: `docker compose up` did not create it (or it was removed).',
          evidence: [],
          action: 'Start it (`docker compose up -d pull`); when that fails, the other findings and compose\'s output say why.',
        },
        NO_HEALTHCHECK,
        { area: 'logs', status: 'not-checked', reason: 'It has no container, so no logs.', evidence: [] },
        NO_DEPS,
        NO_PORTS,
        NO_VARS,
        {
          area: 'image',
          status: 'found',
          reason: 'local/busybox:404 is not present locally, and its registry registry-1.docker.io cannot be reached from the Docker engine, so it cannot be pulled.',
          evidence: [registryError],
          action: 'Connect to the network (or set the engine’s proxy), or make the image available locally: build it, or `docker load` it from a file.',
        },
        NO_DUCKDB,
        NO_GOLDEN,
      ],
    });
  });

  test('one service by name, from the CLI: the text report, exit 1; an unknown service is a usage error', async () => {
    let out = '';
    let err = '';
    const io: CliIo = { cwd: STACK, env, out: (t) => (out += t), err: (t) => (err += t) };
    assert.equal(await cli(['doctor', 'oom'], io), 1, err);
    assert.match(out, /^oom — failed: out of memory \(exit 137\)$/m);
    assert.match(out, /^ {2}✗ state {8}It was killed for running out of memory/m);
    assert.doesNotMatch(out, /^sick/m);
    assert.equal(await cli(['doctor', 'nope', STACK], io), 2);
    assert.match(err, /No service nope in the project; its services: listener, nocmd, oom, sick, waiter, pull\./);
  });

  test('missing variables: unset, only in .env.example, required; no .env; values never printed', async () => {
    const dir = tempDir('doctor-unset');
    fs.cpSync(path.join(FIXTURES, 'unset'), dir, { recursive: true });
    const clean: NodeJS.ProcessEnv = { ...process.env, COMPOSE_PROJECT_NAME: `${project}u` };
    for (const name of ['DB_PASSWORD', 'DB_USER', 'DB_PORT', 'API_TOKEN']) delete clean[name];
    try {
      const report = await diagnose(dir, { env: clean, service: 'db' });
      assert.deepEqual(report.notes, []);
      assert.deepEqual(report.services[0].findings.find((f) => f.area === 'environment'), {
        area: 'environment',
        status: 'found',
        reason: '3 variables it uses are not set: DB_PASSWORD, DB_USER, API_TOKEN; compose will not start the project until the required ones are.',
        evidence: [
          'DB_PASSWORD: unset (only in .env.example), required (compose refuses to start without it)',
          'DB_USER: unset (only in .env.example)',
          'API_TOKEN: unset',
          'no .env file beside the compose file (.env.example exists)',
        ],
        action: 'Create .env from .env.example with its secrets generated, then set any of DB_PASSWORD, DB_USER, API_TOKEN it leaves unset.',
        next: [{ kind: 'create-env' }],
      });
      // The CLI says the command that creates it, secrets generated, not a `cp`.
      let out = '';
      assert.equal(await cli(['doctor', 'db', dir], { cwd: dir, env: clean, out: (t) => (out += t), err: (t) => (out += t) }), 1);
      assert.match(out, /^ {6}→ Create \.env from \.env\.example with its secrets generated, then set any of DB_PASSWORD, DB_USER, API_TOKEN it leaves unset\.\n {6}next: duckstack env create (\S+)$/m);
      assert.equal(/next: duckstack env create (\S+)$/m.exec(out)?.[1], dir);
      assert.doesNotMatch(out, /\bcp\b/);
      fs.writeFileSync(path.join(dir, '.env'), 'DB_PASSWORD=s3cret-value\nDB_USER=\nAPI_TOKEN=tok-123\n');
      const again = await diagnose(dir, { env: clean, service: 'db' });
      const environment = again.services[0].findings.find((f) => f.area === 'environment');
      assert.deepEqual(environment, {
        area: 'environment',
        status: 'found',
        reason: 'A variable it uses is not set: DB_USER.',
        evidence: ['DB_USER: set but empty'],
        action: 'Set DB_USER in .env (or in the environment compose runs in).',
      });
      assert.doesNotMatch(JSON.stringify(again), /s3cret-value|tok-123/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('DuckDB: a file the container user cannot read, a BI service mounting it read-write, a path that does not exist; the query runs on a snapshot', async () => {
    const dir = tempDir('doctor-duckdb');
    const file = path.join(dir, 'data', 'warehouse.duckdb');
    try {
      await createDatabase(file, 'CREATE TABLE orders AS SELECT range AS id FROM range(3); CREATE TABLE customers (id INTEGER)');
      fs.chmodSync(file, 0o600);
      fs.writeFileSync(
        path.join(dir, 'compose.yaml'),
        [
          `name: ${project}db`,
          'services:',
          '  reader:',
          '    image: local/busybox:1',
          '    user: "4321:4321"',
          '    environment:',
          '      DUCKDB_PATH: /data/warehouse.duckdb',
          '    volumes: ["./data:/data:ro"]',
          '  superset:',
          '    image: local/busybox:1',
          '    volumes: ["./data:/app/data"]',
          '  loader:',
          '    image: local/busybox:1',
          '    environment:',
          '      DUCKDB_PATH: /data/raw.duckdb',
          '    volumes: ["./data:/data"]',
          '',
        ].join('\n'),
      );
      const owner = `${fs.statSync(file).uid}:${fs.statSync(file).gid}`;
      const duckdbOf = async (service: string): Promise<Finding | undefined> => (await diagnose(dir, { env, service })).services[0].findings.find((f) => f.area === 'duckdb');
      assert.deepEqual(await duckdbOf('reader'), {
        area: 'duckdb',
        status: 'found',
        reason: "/data/warehouse.duckdb is not readable by the container's user 4321:4321.",
        evidence: [`/data/warehouse.duckdb (host ${file}): owner ${owner} mode 600; not readable by 4321:4321; a simple query works (2 tables, read on a snapshot)`],
        action: 'Make the file readable by that user (`chmod o+r`, or `chown` it to the user), or run the service as its owner.',
      });
      assert.deepEqual(await duckdbOf('superset'), {
        area: 'duckdb',
        status: 'found',
        reason: 'superset is a BI service but mounts /app/data read-write.',
        evidence: [`/app/data/warehouse.duckdb (host ${file}): owner ${owner} mode 600; readable (the container runs as root); mounted read-write; a simple query works (2 tables, read on a snapshot)`],
        action: 'Mount the DuckDB folder read-only (`:ro`) in BI services, as the platform guide requires.',
      });
      assert.deepEqual(await duckdbOf('loader'), {
        area: 'duckdb',
        status: 'found',
        reason: '/data/raw.duckdb does not exist on the host.',
        evidence: [`/data/raw.duckdb (host ${path.join(dir, 'data', 'raw.duckdb')}): does not exist on the host`, `/data/warehouse.duckdb (host ${file}): owner ${owner} mode 600; readable (the container runs as root); a simple query works (2 tables, read on a snapshot)`],
        action: 'Check the bind mount’s host path in the compose file, or run the pipeline that creates the database.',
      });
      assert.deepEqual(fs.readdirSync(path.dirname(file)), ['warehouse.duckdb'], 'no WAL or lock file: the original was never opened');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
