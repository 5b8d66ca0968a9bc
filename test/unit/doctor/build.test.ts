// duckstack doctor on a service whose image is built and not built yet, on the real engine (local
// images only): the doctor runs `docker compose build` of it. A Dockerfile whose third line is
// `RUN exit 3` is reported with that step and line (and a link to it); one that builds is fine; a
// build longer than the doctor's timeout is stopped and said so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import { diagnose, type DoctorReport, type Finding } from '../../../src/core/doctor';
import { docker, requireEngine } from '../docker/support';
import { tempDir } from '../validate/support';

function imageOf(report: DoctorReport, service: string): Finding {
  const finding = report.services.find((s) => s.service === service)?.findings.find((f) => f.area === 'image');
  assert.ok(finding, `no image finding for ${service}: ${JSON.stringify(report)}`);
  return finding;
}

suite('doctor: an image not built yet is built, and a failing build names its step and line (real engine)', function () {
  this.timeout(180_000);
  let dir: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  suiteSetup(async () => {
    await requireEngine();
    dir = tempDir('duckstack-doctor-build-');
    project = `dsdocbuild${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
    env = { ...process.env, COMPOSE_PROJECT_NAME: project };
    const files: Record<string, string> = {
      'compose.yaml': 'services:\n  broken:\n    build: ./broken\n  good:\n    build: ./good\n  slow:\n    build: ./slow\n',
      'broken/Dockerfile': 'FROM local/busybox:1\nRUN echo preparing\nRUN exit 3\nRUN echo never\n',
      'good/Dockerfile': `FROM local/busybox:1\nRUN echo ${project} > /built\n`,
      'slow/Dockerfile': `FROM local/busybox:1\nRUN sleep 60 && echo ${project}\n`,
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    for (const service of ['broken', 'good', 'slow']) await docker(['image', 'rm', '-f', `${project}-${service}`]).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a failing build, from the CLI with --json: the failing step, its Dockerfile and 1-based line, exit 1', async () => {
    let out = '';
    let err = '';
    assert.equal(await cli(['doctor', 'broken', dir, '--json'], { cwd: dir, env, out: (t) => (out += t), err: (t) => (err += t) }), 1, err);
    const report = JSON.parse(out) as DoctorReport;
    const dockerfile = path.join(dir, 'broken', 'Dockerfile');
    const image = imageOf(report, 'broken');
    assert.equal(image.status, 'found');
    assert.equal(image.reason, `${project}-broken is not built, and it does not build: the build of broken failed at RUN exit 3 (Dockerfile line 3).`);
    assert.deepEqual(image.build, { step: 'RUN exit 3', dockerfile, line: 3 });
    assert.deepEqual(image.next, [{ kind: 'open-file', file: dockerfile, line: 3 }]);
    assert.equal(image.evidence[0], 'The doctor built the image: docker compose build broken');
    assert.ok(image.evidence.slice(1).some((e) => /exit code: 3|did not complete successfully|returned a non-zero code: 3/.test(e)), image.evidence.join('\n'));
    assert.equal(image.action, 'Fix that Dockerfile step (its output is just above the error), then rebuild the service.');
    assert.equal(report.ok, false);
    assert.equal(await docker(['image', 'ls', '-q', `${project}-broken`]), '');

    // The text report gives the Dockerfile line to open.
    out = '';
    assert.equal(await cli(['doctor', 'broken', dir], { cwd: dir, env, out: (t) => (out += t), err: (t) => (err += t) }), 1, err);
    assert.match(out, /^ {2}✗ image {8}\S+-broken is not built, and it does not build: the build of broken failed at RUN exit 3 \(Dockerfile line 3\)\.$/m);
    assert.ok(out.includes(`      next: open ${dockerfile}:3\n`), out);
  });

  test('a build that succeeds: the image now builds, with the build as evidence, and is on the engine', async () => {
    const report = await diagnose(dir, { service: 'good', env });
    assert.deepEqual(imageOf(report, 'good'), {
      area: 'image',
      status: 'fine',
      reason: `${project}-good was not built; the doctor built it, and it builds.`,
      evidence: ['The doctor built the image: docker compose build good'],
    });
    assert.notEqual(await docker(['image', 'ls', '-q', `${project}-good`]), '');
    // Built once: the next diagnosis finds it present.
    assert.equal(imageOf(await diagnose(dir, { service: 'good', env }), 'good').reason, `${project}-good is present locally.`);
  });

  test('a build longer than the timeout is stopped and not checked; a cancelled diagnosis builds nothing', async () => {
    const report = await diagnose(dir, { service: 'slow', env, buildTimeoutMs: 3_000 });
    assert.deepEqual(imageOf(report, 'slow'), {
      area: 'image',
      status: 'not-checked',
      reason: `${project}-slow is not built, and the doctor's build of it took longer than 3 s, so it was stopped.`,
      evidence: ['The doctor built the image: docker compose build slow'],
    });
    assert.equal(await docker(['image', 'ls', '-q', `${project}-slow`]), '');
    const cancelled = await diagnose(dir, { service: 'slow', env, signal: AbortSignal.abort() });
    assert.deepEqual(cancelled.services, []);
  });
});
