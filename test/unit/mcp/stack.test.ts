// The tools that read and change a running stack, through the SDK's client against
// `duckstack mcp --allow-changes` on a real engine: the busybox stand-in of the platform
// (test/fixtures/validate/healthy) started with `up`, read with `status`, `validate` (runtime) and
// `doctor`, one service restarted; a service that never gets healthy stopped by the timeout, and
// by the client's cancel as soon as compose starts. Each stack is a compose project of its own,
// taken down at the end.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { composeDown, copyHealthyPlatform, stackEnv } from '../../harness/platformStack';
import { requireEngine } from '../docker/support';
import { tempDir } from '../validate/support';
import { call, CHANGE_TOOL_NAMES, connect, READ_TOOL_NAMES } from './support';

const SLOW = path.resolve(__dirname, '../../../../test/fixtures/mcp/slow');

interface Service {
  name: string;
  state: string;
}

suite('mcp: the stack tools on a real engine', function () {
  this.timeout(180_000);
  let root: string;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let slowEnv: NodeJS.ProcessEnv;
  let readOnly: Client;
  let changes: Client;

  suiteSetup(async () => {
    await requireEngine();
    root = tempDir('mcp-stack');
    dir = path.join(root, 'platform');
    await copyHealthyPlatform(dir);
    env = await stackEnv('dsmcp', ['DAGSTER_PORT', 'CUBE_PORT']);
    slowEnv = await stackEnv('dsmcp');
    readOnly = await connect(dir, env);
    changes = await connect(dir, env, { allowChanges: true });
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    await readOnly?.close();
    await changes?.close();
    if (env) await Promise.all([composeDown(dir, env), composeDown(SLOW, slowEnv)]);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('--allow-changes adds up, restart and apply_fixes, each saying it changes state and marked so', async () => {
    const plain = (await readOnly.listTools()).tools;
    assert.deepEqual(plain.map((t) => t.name).sort(), READ_TOOL_NAMES);
    const all = (await changes.listTools()).tools;
    assert.deepEqual(all.map((t) => t.name).sort(), [...READ_TOOL_NAMES, ...CHANGE_TOOL_NAMES].sort());
    for (const tool of all.filter((t) => CHANGE_TOOL_NAMES.includes(t.name))) {
      assert.match(tool.description ?? '', /Changes state: offered over MCP only when `duckstack mcp` runs with --allow-changes/, tool.name);
      assert.equal(tool.annotations?.readOnlyHint, false, tool.name);
      assert.equal(tool.outputSchema?.type, 'object', tool.name);
    }
    assert.equal(all.find((t) => t.name === 'restart')?.annotations?.destructiveHint, true);
  });

  test('validate with runtime: before the stack is up, every service fails as not created', async () => {
    const { data } = await call(readOnly, 'validate', { runtime: true });
    const checks = data.checks as Array<{ id: string; status: string; reason: string }>;
    assert.equal(data.ok, false);
    for (const s of ['dagster', 'cube', 'postgres']) {
      const check = checks.find((c) => c.id === `service:${s}`);
      assert.equal(check?.status, 'fail', JSON.stringify(check));
      assert.match(check.reason, /not created/);
    }
  });

  test('up starts the platform and waits for it: every service healthy, the compose command shown', async () => {
    const { result, data } = await call(changes, 'up');
    assert.equal(data.ok, true, JSON.stringify(data, null, 2));
    assert.equal(result.isError, undefined);
    const commands = data.commands as string[];
    assert.equal(commands.length, 1);
    assert.match(commands[0], new RegExp(`compose -p ${env.COMPOSE_PROJECT_NAME} -f .*compose\\.yaml .* up -d --wait$`));
    assert.deepEqual((data.services as Service[]).map((s) => `${s.name}=${s.state}`).sort(), ['cube=healthy', 'dagster=healthy', 'postgres=healthy']);
  });

  test('status, validate with runtime and doctor read the running stack', async () => {
    const status = await call(readOnly, 'status');
    assert.equal(status.data.reachable, true);
    assert.equal(status.data.project, env.COMPOSE_PROJECT_NAME);
    const dagster = (status.data.services as Array<{ name: string; state: string; ports: string[] }>).find((s) => s.name === 'dagster');
    assert.equal(dagster?.state, 'healthy');
    assert.ok(dagster.ports.includes(`${env.DAGSTER_PORT}->3000/tcp`), JSON.stringify(dagster));

    const validate = await call(readOnly, 'validate', { runtime: true });
    const checks = validate.data.checks as Array<{ id: string; status: string; reason: string; evidence: string[] }>;
    const byId = (id: string) => checks.find((c) => c.id === id);
    assert.equal(validate.data.ok, true, JSON.stringify(checks.filter((c) => c.status === 'fail'), null, 2));
    for (const s of ['dagster', 'cube', 'postgres']) assert.equal(byId(`service:${s}`)?.status, 'pass');
    assert.match(byId('ui:dagster')?.evidence[0] ?? '', new RegExp(`^GET http://localhost:${env.DAGSTER_PORT}/ → HTTP 200`));
    assert.equal(byId('cube-meta')?.reason, 'Cube lists 2 cubes.');
    for (const layer of ['raw', 'staging', 'marts']) assert.equal(byId(`data:${layer}`)?.status, 'pass');
    assert.equal(byId('restart')?.status, 'not-checked', 'validate never restarts anything');

    const all = await call(readOnly, 'doctor');
    assert.equal(all.data.ok, true, JSON.stringify(all.data));
    assert.deepEqual(all.data.services, []);
    const one = await call(readOnly, 'doctor', { service: 'dagster' });
    const diagnosis = (one.data.services as Array<{ service: string; state: string; findings: Array<{ area: string; status: string }> }>)[0];
    assert.equal(diagnosis.service, 'dagster');
    assert.equal(diagnosis.state, 'healthy');
    assert.equal(diagnosis.findings.find((f) => f.area === 'health')?.status, 'fine');
  });

  test('restart of one service: compose restart, the service healthy again', async () => {
    const { data } = await call(changes, 'restart', { service: 'postgres', timeoutSeconds: 60 });
    assert.equal(data.ok, true, JSON.stringify(data));
    assert.match((data.commands as string[])[0], /restart postgres$/);
    assert.ok((data.services as Service[]).some((s) => s.name === 'postgres' && ['healthy', 'starting'].includes(s.state)), JSON.stringify(data.services));
  });

  test('up past its timeout: compose is stopped and the result says so', async () => {
    const client = await connect(SLOW, slowEnv, { allowChanges: true });
    try {
      const started = Date.now();
      const { result, data } = await call(client, 'up', { timeoutSeconds: 3 });
      const seconds = (Date.now() - started) / 1000;
      assert.equal(result.isError, true);
      assert.equal(data.ok, false);
      assert.equal(data.timedOut, true, JSON.stringify(data));
      assert.ok(seconds < 60, `took ${seconds} s`);
      assert.match(String((result.content[0] as { text: string }).text), /stopped after 3 s \(timeout\)/);
    } finally {
      await client.close();
    }
  });

  test('a call the client cancels stops compose at once', async () => {
    const client = await connect(SLOW, slowEnv, { allowChanges: true });
    try {
      const composeRunning = (): boolean =>
        fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).some((pid) => {
          try {
            const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
            return args.includes(String(slowEnv.COMPOSE_PROJECT_NAME)) && args.includes('up');
          } catch {
            return false;
          }
        });
      const abort = new AbortController();
      const pending = client.callTool({ name: 'up', arguments: { service: 'slow' } }, undefined, { signal: abort.signal });
      const deadline = Date.now() + 30_000;
      while (!composeRunning() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(composeRunning(), 'compose up never started');
      abort.abort();
      await assert.rejects(pending, /abort/i);
      const stopped = Date.now() + 15_000;
      while (composeRunning() && Date.now() < stopped) await new Promise((r) => setTimeout(r, 100));
      assert.equal(composeRunning(), false, 'compose up still runs after the cancel');
    } finally {
      await client.close();
    }
  });

  test('a service the project lacks is refused before compose runs', async () => {
    const { result, data } = await call(changes, 'restart', { service: 'nope' });
    assert.equal(result.isError, true);
    assert.deepEqual(data.commands, []);
    assert.match((data.failure as { cause: string }).cause, /No service nope in the project; its services: dagster, cube, postgres/);
  });
});
