// Prints the cost of one refresh of the service model with 50 running containers: Docker API
// calls (counted by wrapping the client's dial) and time, against reading health detail for
// every container. Needs a Docker engine on DOCKER_HOST and `npx tsc -p .`.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { DockerodeEngine } = require(path.join(root, 'out/src/core/docker/engine.js'));
const { dockerodeOptions, resolveDockerEndpoint } = require(path.join(root, 'out/src/core/docker/endpoint.js'));
const { readStackStatus } = require(path.join(root, 'out/src/core/docker/monitor.js'));
const Docker = require('dockerode');

const CONTAINERS = 50;
const RUNS = 10;
const run = (args, cwd) =>
  new Promise((resolve, reject) =>
    execFile('docker', args, { cwd, maxBuffer: 1 << 24 }, (e, out, err) => (e ? reject(new Error(`docker ${args.join(' ')}: ${err || e.message}`)) : resolve(out.trim()))),
  );
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const projectName = `dsbenchref${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-'));
fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  svc:\n    image: local/busybox:1\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n');
const project = { name: projectName, dir, files: [path.join(dir, 'compose.yaml')], activeProfiles: [], services: [{ name: 'svc', ports: [], volumes: [], environment: {}, healthcheck: false, dependsOn: {}, profiles: [], labels: {} }] };

const resolved = await resolveDockerEndpoint(process.env);
if (!resolved.ok) throw new Error(resolved.message);
const options = dockerodeOptions(resolved.endpoint, process.env);
if (!options.ok) throw new Error(options.message);
const docker = new Docker(options.options);
const calls = [];
const dial = docker.modem.dial.bind(docker.modem);
docker.modem.dial = (opts, callback) => {
  calls.push(`${opts.method} ${opts.path.split('?')[0]}`);
  return dial(opts, callback);
};
const engine = new DockerodeEngine(resolved.endpoint, docker);

try {
  const t0 = Date.now();
  await run(['compose', '-p', projectName, 'up', '-d', '--scale', `svc=${CONTAINERS}`], dir);
  console.log(`setup            ${CONTAINERS} containers up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  await readStackStatus(engine, project); // warm the connection
  const times = [];
  let callsPerRefresh = 0;
  let status;
  for (let i = 0; i < RUNS; i++) {
    calls.length = 0;
    const started = process.hrtime.bigint();
    status = await readStackStatus(engine, project);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    callsPerRefresh = calls.length;
  }
  const replicas = status.reachable ? status.services[0].containers.length : 0;
  console.log(`refresh          ${callsPerRefresh} API call(s): ${[...new Set(calls)].join(', ')}; ${replicas} containers in the model`);
  console.log(`refresh time     median ${median(times).toFixed(1)} ms over ${RUNS} runs`);

  calls.length = 0;
  const started = process.hrtime.bigint();
  const listed = await readStackStatus(engine, project);
  await Promise.all(listed.services[0].containers.map((c) => engine.inspectContainer(c.id)));
  const detailMs = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(`with detail      ${calls.length} API calls (list + inspect of every container) in ${detailMs.toFixed(1)} ms: what the model avoids by inspecting only on demand`);
} finally {
  await run(['compose', '-p', projectName, 'down', '-t', '1'], dir);
  fs.rmSync(dir, { recursive: true, force: true });
}
