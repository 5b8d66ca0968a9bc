// What up must fetch before the services can start (what `npm start` says before the demo opens),
// read from the real engine: an image on it, a build whose base is on it, a build whose base is
// not, and an image from a registry the engine cannot reach (127.0.0.1:1: nothing listens there,
// so no traffic leaves the machine). Then the words for every case.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadComposeProject } from '../../../src/core/compose/project';
import { describeEngineError } from '../../../src/core/docker/problem';
import { describeImageNeeds, readImageNeeds, type ImagesReport } from '../../../src/core/doctor/images';
import { requireEngine } from '../docker/support';

const UNREACHABLE = '127.0.0.1:1/duckstack/none:1';

suite('doctor: the images up needs, read without pulling', () => {
  let dir: string;
  suiteSetup(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-images-'));
    for (const [folder, from] of [['ready', 'local/busybox:1'], ['unbuilt', `${UNREACHABLE}-base`]]) {
      fs.mkdirSync(path.join(dir, folder));
      fs.writeFileSync(path.join(dir, folder, 'Dockerfile'), `FROM ${from} AS base\nFROM base\nRUN true\n`);
    }
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      [
        'name: duckstack-images-test',
        'services:',
        '  here:',
        '    image: local/busybox:1',
        '  built:',
        '    build: ./ready',
        '    image: duckstack-images-test-built:never',
        '  based:',
        '    build: ./unbuilt',
        '  pulled:',
        `    image: ${UNREACHABLE}`,
        '  later:',
        `    image: ${UNREACHABLE}-later`,
        '    profiles: [later]',
        '',
      ].join('\n'),
    );
  });
  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('present, built (its base there or to pull), pulled; the registry asked once and found unreachable', async () => {
    const engine = await requireEngine();
    const project = await loadComposeProject(dir, { processEnv: process.env });
    const report = await readImageNeeds(engine, project);
    assert.ok(report.reachable);
    assert.deepEqual(report.present, ['here']);
    assert.deepEqual(report.build, ['built', 'based']);
    assert.deepEqual(report.pull, [
      { ref: `${UNREACHABLE}-base`, services: ['based'] },
      { ref: UNREACHABLE, services: ['pulled'] },
    ]);
    assert.equal(report.registries.length, 1);
    const [registry] = report.registries;
    assert.ok(!registry.ok && registry.registry === '127.0.0.1:1');
    assert.match(registry.cause, /^127\.0\.0\.1:1 cannot be reached from the Docker engine \(.*connection refused\)$/);

    const said = describeImageNeeds(report);
    assert.equal(said.canStart, false);
    assert.match(said.lines[0], /^The platform's services cannot start on this machine: based and pulled need 2 images that are not on the Docker engine, and the engine cannot pull them:$/);
    assert.ok(said.lines.some((l) => l.includes(`Missing: ${UNREACHABLE}-base (based), ${UNREACHABLE} (pulled).`)), said.lines.join('\n'));
    assert.ok(said.lines.some((l) => /What to do: .*`docker load -i <file>`/.test(l)), said.lines.join('\n'));
  });

  test('the words when nothing is missing, when only builds wait, when the registry answers, and with no engine', () => {
    const reachable = (over: Partial<Extract<ImagesReport, { reachable: true }>>): ImagesReport => ({ reachable: true, present: ['a'], build: [], pull: [], registries: [], ...over });
    assert.deepEqual(describeImageNeeds(reachable({})), { canStart: true, lines: ['Every image of the platform is on the Docker engine: Start Platform starts it at once.'] });
    assert.deepEqual(describeImageNeeds(reachable({ build: ['dbt', 'dagster'] })).lines, ['Start Platform first builds dbt and dagster from their Dockerfiles (their base images are on the Docker engine).']);
    const pulls = describeImageNeeds(reachable({ build: ['dbt'], pull: [{ ref: 'postgres:16.6', services: ['postgres'] }], registries: [{ registry: 'registry-1.docker.io', ok: true }] }));
    assert.equal(pulls.canStart, true);
    assert.deepEqual(pulls.lines, ['Start Platform first pulls 1 image: postgres:16.6 (postgres), then builds dbt. That takes a few minutes the first time.']);
    const down = describeImageNeeds({ reachable: false, problem: describeEngineError(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }), 'unix:///var/run/docker.sock', 'the default socket') });
    assert.equal(down.canStart, false);
    assert.match(down.lines[0], /^The platform's services cannot start: No Docker engine is listening at unix:\/\/\/var\/run\/docker\.sock/);
    assert.match(down.lines[1], /^What to do: Start Docker/);
  });
});
