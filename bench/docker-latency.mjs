// Prints the latency from a container event to the service model's update: from the event's own
// timeNano (the engine's clock, this machine's) to the moment the monitor's listener sees the new
// state, median over 20 lone changes (docker pause / unpause, alternating: one event each), and
// what bursts cost: `docker stop` (kill, die, stop) and `docker restart` (kill, die, stop, start,
// restart), in list calls, and a stop from its stop event to the model. Each change is counted
// until the monitor's list call after it is over (its windows: 100 ms, 2.5 s after a die or stop). Needs a Docker engine on DOCKER_HOST
// (eval "$(scripts/ensure-docker.sh)") and `npx tsc -p .`.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { docker as run, oneServiceProject } from './lib/docker.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { ServiceMonitor } = require(path.join(root, 'out/src/core/docker/monitor.js'));
const { openDockerEngine } = require(path.join(root, 'out/src/core/docker/engine.js'));

const CHANGES = 20;
const BURSTS = 5;
/** Wall-clock now in ns, with sub-millisecond resolution, comparable with the engine's timeNano. */
const nowNano = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));

const projectName = `dsbenchlat${process.pid}`;
const project = oneServiceProject(projectName, root);
const id = await run(['run', '-d', '--stop-signal', 'KILL', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.service=svc', 'local/busybox:1', 'sleep', '3600']);
const opened = await openDockerEngine(process.env);
if (!opened.ok) throw new Error(opened.problem.cause);
// The monitor's engine, with its list calls counted.
let listCalls = 0;
const engine = Object.create(opened.engine);
engine.listProjectContainers = (name) => {
  listCalls++;
  return opened.engine.listProjectContainers(name);
};
const monitor = new ServiceMonitor(engine, project, { debounceMs: 100 });
// A second subscription of our own, to read each event's timeNano as the engine stamped it.
const events = [];
const watch = await opened.engine.watchProjectEvents(projectName, { onEvent: (e) => events.push(e), onEnd: () => undefined });
if (!watch.ok) throw new Error(watch.problem.cause);

function nextState(want) {
  return new Promise((resolve) => {
    const sub = monitor.onChange((status) => {
      if (status.reachable && status.services[0].state === want) {
        sub.dispose();
        resolve(nowNano());
      }
    });
  });
}
const eventOf = (action, since) =>
  new Promise((resolve) => {
    const look = () => {
      const found = events.find((e) => e.action === action && e.timeNano >= since);
      if (found) resolve(found);
      else setTimeout(look, 5);
    };
    look();
  });
/** Longer than the monitor's window after the change: 100 ms after pause / unpause, 2.5 s after a die or stop. */
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function change(args, want, lastAction, quietMs = 1300) {
  await settle(quietMs); // alone: the previous change's list call is over
  listCalls = 0;
  const seen = nextState(want);
  const since = Number(nowNano()) - 1e9;
  await run(args);
  const [updated, event] = await Promise.all([seen, eventOf(lastAction, since)]);
  const ms = Number(updated - BigInt(event.timeNano)) / 1e6;
  await settle(quietMs);
  const actions = events.filter((e) => e.timeNano >= since).map((e) => e.action);
  return { ms, calls: listCalls, actions };
}

try {
  const first = nextState('running');
  monitor.start();
  await first;
  const lone = [];
  for (let i = 0; i < CHANGES; i++) lone.push(await change(i % 2 === 0 ? ['pause', id] : ['unpause', id], i % 2 === 0 ? 'paused' : 'running', i % 2 === 0 ? 'pause' : 'unpause'));
  const stops = [];
  const restarts = [];
  for (let i = 0; i < BURSTS; i++) {
    stops.push(await change(['stop', id], 'exited', 'stop', 4000));
    await run(['start', id]);
    restarts.push(await change(['restart', '-t', '0', id], 'running', 'start', 4000));
  }
  console.log(`lone changes                       ${CHANGES} (docker pause / unpause, alternating, one event each)`);
  console.log(`event timeNano → model, median     ${median(lone.map((c) => c.ms)).toFixed(1)} ms (goal < 50 ms: the event applied to the model, no call)`);
  console.log(`event timeNano → model, max        ${Math.max(...lone.map((c) => c.ms)).toFixed(1)} ms`);
  console.log(`list calls per lone change         median ${median(lone.map((c) => c.calls))} (the read 100 ms after the event, which confirms it)`);
  console.log(`docker stop: its stop event → model median ${median(stops.map((c) => c.ms)).toFixed(1)} ms (its die is told with the stop event)`);
  for (const [what, runs] of [['docker stop', stops], ['docker restart', restarts]]) {
    console.log(`burst: ${what.padEnd(27)} events ${runs[0].actions.join(', ')}: list calls median ${median(runs.map((c) => c.calls))}, max ${Math.max(...runs.map((c) => c.calls))} (goal 1: one list call when the burst has been quiet, 2.5 s after a die or stop)`);
  }
} finally {
  monitor.stop();
  watch.value.close();
  await run(['rm', '-f', id]);
}
