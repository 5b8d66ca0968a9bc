// A registry that answers, on the real engine: an image tag it does not have, and a private image
// it refuses, each as `docker compose up` fails on it (the plain-words translation of compose's
// real output) and as duckstack doctor explains it (the engine's registry check, nothing pulled).
// No real registry is reachable from these machines, so the registry is a stand-in on 127.0.0.1
// (test/harness/registry.ts) speaking the registry API with Docker Hub's token authentication.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadComposeProject } from '../../../src/core/compose/project';
import { ComposeRunner, detectComposeCli, type ComposeResult } from '../../../src/core/docker/compose-cli';
import type { ComposeFailure } from '../../../src/core/docker/compose-failure';
import { diagnose, type Finding } from '../../../src/core/doctor';
import { composeDown, stackEnv } from '../../harness/platformStack';
import { startStandInRegistry, type StandInRegistry } from '../../harness/registry';
import { requireEngine } from '../docker/support';
import { tempDir } from '../validate/support';

function failureOf(result: ComposeResult): ComposeFailure {
  assert.equal(result.ok, false, 'compose was expected to fail');
  if (result.ok || !result.failure) throw new Error('no failure');
  return result.failure;
}

suite('a registry that answers: a tag it does not have, an image it refuses (real engine, stand-in registry)', function () {
  this.timeout(180_000);
  let registry: StandInRegistry;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let runner: ComposeRunner;

  suiteSetup(async () => {
    await requireEngine();
    registry = await startStandInRegistry();
    dir = tempDir('doctor-registry');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  missing:\n    image: ${registry.host}/duckstack/superset:99\n  private:\n    image: ${registry.host}/private/app:1\n`);
    env = await stackEnv('dsreg');
    const detected = await detectComposeCli(env);
    if (!detected.ok) throw new Error(detected.message);
    runner = new ComposeRunner(detected.cli, await loadComposeProject(dir, { processEnv: env }), env);
  });

  suiteTeardown(async function () {
    this.timeout(60_000);
    if (env) await composeDown(dir, env);
    await registry?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('up on a tag the registry does not have: the image named, the tag to check; doctor says the same without pulling', async () => {
    const image = `${registry.host}/duckstack/superset:99`;
    const failure = failureOf(await runner.run(['up', '-d', 'missing']));
    assert.deepEqual(failure, {
      kind: 'image-not-found',
      cause: `The registry does not have the image ${image}.`,
      remedy: 'Check the image name and tag against golden_versions.md (a typo, or a tag that was never published).',
      actions: [{ kind: 'diagnose', service: 'missing' }],
      evidence: [` missing Error manifest for ${image} not found: manifest unknown: manifest unknown`],
      image,
      registry: registry.host,
      service: 'missing',
    });
    const report = await diagnose(dir, { env, service: 'missing' });
    assert.deepEqual(report.services[0].findings.find((f) => f.area === 'image'), {
      area: 'image',
      status: 'found',
      reason: `${image} is not present locally, and its registry does not have that tag.`,
      evidence: ['manifest unknown: manifest unknown'],
      action: 'Check the image name and tag against golden_versions.md (a typo, or a tag that was never published).',
    } satisfies Finding);
  });

  test('up on a private image without a login: access denied, log in to that registry; doctor says the same without pulling', async () => {
    const failure = failureOf(await runner.run(['up', '-d', 'private']));
    const denied = `pull access denied for ${registry.host}/private/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`;
    assert.deepEqual(failure, {
      kind: 'access-denied',
      cause: `The registry refused access to the image ${registry.host}/private/app: it does not exist, or it is private and you are not logged in.`,
      remedy: `Check the image name; for a private image run \`docker login ${registry.host}\` first.`,
      actions: [{ kind: 'diagnose', service: 'private' }],
      evidence: [` private Error ${denied}`],
      image: `${registry.host}/private/app`,
      registry: registry.host,
      service: 'private',
    });
    const report = await diagnose(dir, { env, service: 'private' });
    assert.deepEqual(report.services[0].findings.find((f) => f.area === 'image'), {
      area: 'image',
      status: 'found',
      reason: `${registry.host}/private/app:1 is not present locally, and its registry refuses access: the image does not exist, or it is private and you are not logged in.`,
      evidence: ['denied: requested access to the resource is denied', 'unauthorized: authentication required'],
      action: `Check the image name; for a private image run \`docker login ${registry.host}\` first.`,
    } satisfies Finding);
    // The engine asked the stand-in with an anonymous token, as it asks Docker Hub.
    assert.ok(registry.requests.some((r) => r.startsWith('GET /token?')), registry.requests.join('\n'));
  });
});
