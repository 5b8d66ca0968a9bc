// duckstack doctor on a real engine (local images only), the ways of not starting the first stack
// does not cover (test/fixtures/doctor/restarts): a restart loop, a command that is not executable
// (126) when the engine starts it and when a shell runs it, and a host port that another compose
// project's container publishes (test/fixtures/doctor/holder), named with its project. A service
// that runs well is left out of the report.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import { loadComposeProject } from '../../../src/core/compose/project';
import { ComposeRunner, detectComposeCli } from '../../../src/core/docker/compose-cli';
import { diagnose, type DoctorReport, type Finding, type ServiceDiagnosis } from '../../../src/core/doctor';
import { composeDown, stackEnv } from '../../harness/platformStack';
import { docker, requireEngine } from '../docker/support';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/doctor');
const STACK = path.join(FIXTURES, 'restarts');
const HOLDER = path.join(FIXTURES, 'holder');

async function waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function findingOf(s: ServiceDiagnosis, area: Finding['area']): Finding {
  const found = s.findings.find((f) => f.area === area);
  assert.ok(found, `${s.service} has no ${area} finding`);
  return found;
}

suite('doctor: restart loops, commands that cannot be executed, a port another project publishes (real engine)', function () {
  this.timeout(180_000);
  let env: NodeJS.ProcessEnv;
  let holderEnv: NodeJS.ProcessEnv;
  let report: DoctorReport;
  const byName = (name: string): ServiceDiagnosis => {
    const found = report.services.find((s) => s.service === name);
    assert.ok(found, `no ${name} in ${report.services.map((s) => s.service).join(', ')}`);
    return found;
  };

  suiteSetup(async () => {
    await requireEngine();
    env = await stackEnv('dsdocr', ['TAKEN_PORT']);
    holderEnv = { ...(await stackEnv('dsdoch')), TAKEN_PORT: env.TAKEN_PORT };
    const detected = await detectComposeCli(env);
    if (!detected.ok) throw new Error(detected.message);
    const holder = await new ComposeRunner(detected.cli, await loadComposeProject(HOLDER, { processEnv: holderEnv }), holderEnv).run(['up', '-d']);
    assert.ok(holder.ok, holder.ok ? '' : holder.reason);
    const runner = new ComposeRunner(detected.cli, await loadComposeProject(STACK, { processEnv: env }), env);
    // Each service on its own: compose stops at the first failure of a call.
    for (const service of ['steady', 'loop', 'noexec', 'shellnoexec', 'taken']) await runner.run(['up', '-d', service]);
    const project = env.COMPOSE_PROJECT_NAME ?? '';
    await waitFor('loop to restart three times', async () => Number(await docker(['inspect', '-f', '{{.RestartCount}}', `${project}-loop-1`])) >= 3);
    await waitFor('shellnoexec to exit', async () => (await docker(['inspect', '-f', '{{.State.Status}}', `${project}-shellnoexec-1`])) === 'exited');
    report = await diagnose(STACK, { env });
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    if (env) await Promise.all([composeDown(STACK, env), composeDown(HOLDER, holderEnv)]);
  });

  test('every service not running well is diagnosed, the restart loop too even when caught running between restarts; the steady one is left out', () => {
    assert.deepEqual(report.services.map((s) => [s.service, s.problem]), [['loop', true], ['noexec', true], ['shellnoexec', true], ['taken', true]]);
    assert.deepEqual(report.notes, []);
  });

  test('a restart loop: the restart count, and the error lines its logs repeat', () => {
    const loop = byName('loop');
    const state = findingOf(loop, 'state');
    assert.equal(state.status, 'found');
    assert.match(state.reason, /^It is in a restart loop: restarted \d+ times\.$/);
    assert.equal(state.action, 'Its logs and exit code say why it keeps stopping; fix that, rather than restarting it.');
    assert.ok(state.evidence.some((e) => /^dsdocr\S+-loop-1: restarted \d+ times$/.test(e)), state.evidence.join('\n'));
    const logs = findingOf(loop, 'logs');
    assert.equal(logs.status, 'found');
    assert.match(logs.reason, /^\d+ error lines in its last \d+ lines \(ERROR\)\.$/);
    assert.ok(logs.evidence.length >= 3 && logs.evidence.every((e) => e === '> ERROR config missing, exiting'), logs.evidence.join('\n'));
    assert.equal(logs.action, 'Read them in context: `docker compose logs --tail 200 loop`.');
  });

  test('126: a command the engine cannot execute, and one a shell cannot', () => {
    const project = env.COMPOSE_PROJECT_NAME ?? '';
    assert.deepEqual(findingOf(byName('noexec'), 'state'), {
      area: 'state',
      status: 'found',
      reason: "It could not start: the container's command /etc/passwd is not executable (exit 126, not executable).",
      evidence: [
        `${project}-noexec-1: created`,
        `${project}-noexec-1: exit code 126`,
        `${project}-noexec-1: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "/etc/passwd": permission denied: unknown`,
      ],
      action: 'Make the file executable in the image (`chmod +x` in the Dockerfile).',
    });
    assert.deepEqual(findingOf(byName('shellnoexec'), 'state'), {
      area: 'state',
      status: 'found',
      reason: 'Its command could not be executed (exit 126): the file is not executable, or permission is denied.',
      evidence: [`${project}-shellnoexec-1: failed (exit 126)`, `${project}-shellnoexec-1: exit code 126`],
      action: 'Make the file executable in the image (`chmod +x` in the Dockerfile), or fix the command.',
    });
  });

  test('a host port another compose project publishes: the container named with its project and service, in the report and in duckstack doctor --json', async () => {
    const project = env.COMPOSE_PROJECT_NAME ?? '';
    const holder = holderEnv.COMPOSE_PROJECT_NAME ?? '';
    const port = env.TAKEN_PORT ?? '';
    const taken = byName('taken');
    const state = findingOf(taken, 'state');
    assert.equal(state.reason, `It could not start: host port ${port} is already published by another container.`);
    assert.equal(state.action, `Stop the container that publishes port ${port}, or change this service's host port (a variable in .env).`);
    assert.match(state.evidence[2], new RegExp(`^${project}-taken-1: driver failed programming external connectivity .*Bind for 0\\.0\\.0\\.0:${port} failed: port is already allocated$`));
    const ports: Finding = {
      area: 'ports',
      status: 'found',
      reason: `Host port ${port} is held by something else, so the container cannot publish it.`,
      evidence: [`${port}: published by container ${holder}-web-1 (project ${holder}, service web)`],
      action: 'Stop what holds the port, or give this service another host port (the variable in .env that sets it).',
    };
    assert.deepEqual(findingOf(taken, 'ports'), ports);

    let out = '';
    let err = '';
    assert.equal(await cli(['doctor', 'taken', STACK, '--json'], { cwd: STACK, env, out: (t) => (out += t), err: (t) => (err += t) }), 1, err);
    const json = JSON.parse(out) as DoctorReport;
    assert.deepEqual(json.services.map((s) => s.service), ['taken']);
    assert.deepEqual(json.services[0].findings.find((f) => f.area === 'ports'), ports);
  });
});
