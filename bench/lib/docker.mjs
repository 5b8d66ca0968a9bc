// What the Docker benches share: the docker CLI as a promise (argument arrays, never a shell), a
// one-service project model, and DuckStack's Docker engine whose every API request is counted at dockerode's dial, the
// one place each request passes. Needs the compiled core (`npx tsc -p .`).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);

/** Runs `docker <args>` (in cwd) and resolves with its trimmed stdout. */
export function docker(args, cwd) {
  return new Promise((resolve, reject) =>
    execFile('docker', args, { cwd, maxBuffer: 1 << 24 }, (e, out, err) => (e ? reject(new Error(`docker ${args.join(' ')}: ${err || e.message}`)) : resolve(out.trim()))),
  );
}

/**
 * DuckStack's engine (core DockerodeEngine) on the endpoint DOCKER_HOST or the docker context
 * names, and `calls`: "METHOD /path" of each API request it made since the caller last emptied it.
 */
export async function countedEngine() {
  const { DockerodeEngine } = require(path.join(root, 'out/src/core/docker/engine.js'));
  const { dockerodeOptions, resolveDockerEndpoint } = require(path.join(root, 'out/src/core/docker/endpoint.js'));
  const Docker = require('dockerode');
  const resolved = await resolveDockerEndpoint(process.env);
  if (!resolved.ok) throw new Error(resolved.message);
  const options = dockerodeOptions(resolved.endpoint, process.env);
  if (!options.ok) throw new Error(options.message);
  const client = new Docker(options.options);
  const calls = [];
  const dial = client.modem.dial.bind(client.modem);
  client.modem.dial = (opts, callback) => {
    calls.push(`${opts.method} ${opts.path.split('?')[0]}`);
    return dial(opts, callback);
  };
  return { engine: new DockerodeEngine(resolved.endpoint, client), calls };
}

/** The project model of one service `svc` with nothing declared, as the monitor needs it. */
export function oneServiceProject(name, dir, files = []) {
  return { name, dir, files, activeProfiles: [], services: [{ name: 'svc', ports: [], volumes: [], environment: {}, healthcheck: false, dependsOn: {}, profiles: [], labels: {} }] };
}
