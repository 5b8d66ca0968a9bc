// Prints the cost of one refresh of the service model with 50 running containers: Docker API
// calls (counted by wrapping the client's dial) and time, against reading health detail for
// every container. Needs a Docker engine on DOCKER_HOST and `npx tsc -p .`.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { countedEngine, docker as run, oneServiceProject } from './lib/docker.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { readStackStatus } = require(path.join(root, 'out/src/core/docker/monitor.js'));

const CONTAINERS = 50;
const RUNS = 10;

const projectName = `dsbenchref${process.pid}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-'));
fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  svc:\n    image: local/busybox:1\n    command: ["sleep", "3600"]\n    stop_signal: SIGKILL\n');
const project = oneServiceProject(projectName, dir, [path.join(dir, 'compose.yaml')]);
const { engine, calls } = await countedEngine();

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
