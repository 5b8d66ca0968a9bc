// What the services view's Docker monitor costs while the view is hidden, and what showing it
// costs: one container restarting every second (`docker restart -t 0` from here, not counted),
// the monitor's own Docker API requests counted at the client (dockerode's dial). Visible first
// (for contrast), then hidden (the view's monitor stopped, as the refresh manager does), then
// shown again. Needs a Docker engine on DOCKER_HOST (eval "$(scripts/ensure-docker.sh)") and
// `npx tsc -p .`.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { countedEngine, docker as run, oneServiceProject } from './lib/docker.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const { ServiceMonitor } = require(path.join(root, 'out/src/core/docker/monitor.js'));

const VISIBLE_S = 20;
const HIDDEN_S = 30;
const { engine, calls } = await countedEngine();

const projectName = `dsbenchhid${process.pid}`;
const project = oneServiceProject(projectName, root);
const id = await run(['run', '-d', '--label', `com.docker.compose.project=${projectName}`, '--label', 'com.docker.compose.service=svc', 'local/busybox:1', 'sleep', '3600']);
const monitor = new ServiceMonitor(engine, project);
let restarting = true;
let restarts = 0;
const restartLoop = (async () => {
  while (restarting) {
    const started = Date.now();
    await run(['restart', '-t', '0', id]);
    restarts++;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - started))));
  }
})();
const summary = () => {
  const lists = calls.filter((c) => c.endsWith('/containers/json')).length;
  const events = calls.filter((c) => c.endsWith('/events')).length;
  return { total: calls.length, lists, events };
};
const wait = (s) => new Promise((resolve) => setTimeout(resolve, s * 1000));

try {
  const first = new Promise((resolve) => monitor.onChange(() => resolve()));
  monitor.start();
  await first;

  calls.length = 0;
  let restartsBefore = restarts;
  await wait(VISIBLE_S);
  const visible = summary();
  const visibleRestarts = restarts - restartsBefore;

  monitor.stop();
  calls.length = 0;
  restartsBefore = restarts;
  await wait(HIDDEN_S);
  const hidden = summary();
  const hiddenRestarts = restarts - restartsBefore;

  calls.length = 0;
  const caughtUp = new Promise((resolve) => {
    const sub = monitor.onChange((_status, reason) => {
      sub.dispose();
      resolve({ reason, ...summary() });
    });
  });
  monitor.start();
  const shown = await caughtUp;

  const perMinute = (n, s) => ((n * 60) / s).toFixed(1);
  console.log(`container restarts            ${visibleRestarts} in ${VISIBLE_S} s visible, ${hiddenRestarts} in ${HIDDEN_S} s hidden (one a second, by docker restart -t 0)`);
  console.log(`visible: API calls per minute ${perMinute(visible.total, VISIBLE_S)} (${visible.lists} list calls in ${VISIBLE_S} s; the events stream stays open)`);
  console.log(`hidden:  API calls per minute ${perMinute(hidden.total, HIDDEN_S)} (goal 0; ${hidden.total} calls in ${HIDDEN_S} s)`);
  console.log(`shown again: list calls to catch up ${shown.lists} (goal 1), plus ${shown.events} events requests (re-opening the stream, and once the past events the engine still holds); first update reason: ${shown.reason}`);
} finally {
  restarting = false;
  await restartLoop;
  monitor.stop();
  await run(['rm', '-f', id]);
}
