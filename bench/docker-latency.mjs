// Prints the latency from a container state change made with the docker CLI to the service
// model's update (ServiceMonitor, events stream + 100 ms debounce), median over 20 changes.
// Needs a Docker engine on DOCKER_HOST (eval "$(scripts/ensure-docker.sh)") and `npx tsc -p .`.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { ServiceMonitor } = require(path.join(root, 'out/src/core/docker/monitor.js'));

const CHANGES = 20;
const run = (args) =>
  new Promise((resolve, reject) =>
    execFile('docker', args, (e, out, err) => (e ? reject(new Error(`docker ${args.join(' ')}: ${err || e.message}`)) : resolve(out.trim()))),
  );
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t) => Number(t) / 1e6;

const projectName = `dsbenchlat${process.pid}`;
const project = { name: projectName, dir: root, files: [], activeProfiles: [], services: [{ name: 'svc', ports: [], volumes: [], environment: {}, healthcheck: false, dependsOn: {}, profiles: [], labels: {} }] };
const id = await run(['run', '-d', '--stop-signal', 'KILL', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.service=svc', 'local/busybox:1', 'sleep', '3600']);
const monitor = await ServiceMonitor.open(project, process.env, { debounceMs: 100 });

function nextState(want) {
  return new Promise((resolve) => {
    const sub = monitor.onChange((status) => {
      if (status.reachable && status.services[0].state === want) {
        sub.dispose();
        resolve(process.hrtime.bigint());
      }
    });
  });
}

try {
  const first = nextState('running');
  monitor.start();
  await first;
  const total = [];
  const afterCli = [];
  const cli = [];
  for (let i = 0; i < CHANGES; i++) {
    const stop = i % 2 === 0;
    const seen = nextState(stop ? 'exited' : 'running');
    const t0 = process.hrtime.bigint();
    await run(stop ? ['stop', id] : ['start', id]);
    const t1 = process.hrtime.bigint();
    const t2 = await seen;
    total.push(ms(t2 - t0));
    cli.push(ms(t1 - t0));
    afterCli.push(ms(t2 - t1));
  }
  console.log(`changes                          ${CHANGES} (docker stop / docker start, alternating)`);
  console.log(`CLI call to model update, median ${median(total).toFixed(1)} ms (goal < 500 ms)`);
  console.log(`  of which the docker CLI call   ${median(cli).toFixed(1)} ms`);
  console.log(`CLI exit to model update, median ${median(afterCli).toFixed(1)} ms (negative: model updated before the CLI exited)`);
  console.log(`max CLI call to model update     ${Math.max(...total).toFixed(1)} ms`);
} finally {
  monitor.stop();
  await run(['rm', '-f', id]);
}
