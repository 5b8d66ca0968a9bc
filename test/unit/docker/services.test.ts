// The state model on list records shaped as the engine returns them, for the states and
// shapes the test stack does not produce (paused, restarting, dead, replicas, platform UIs).
import * as assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../src/core/docker/engine';
import type { ComposeProject } from '../../../src/core/compose/project';
import { platformStatusText } from '../../../src/core/docker/platform-status';
import { badAddressProblem, describeEngineError } from '../../../src/core/docker/problem';
import { buildServiceStatuses, describeState, startFromUpFor, summarize, type StackProject, type StackStatus } from '../../../src/core/docker/services';

type Declared = StackProject['services'][number];

function declared(name: string, extra: Partial<Declared> = {}): Declared {
  return { name, ports: [], volumes: [], environment: {}, healthcheck: false, dependsOn: {}, profiles: [], labels: {}, ...extra };
}

function container(service: string, engineState: string, statusText: string, extra: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: `${service}${extra.number ?? 1}`.padEnd(64, '0'),
    name: `p-${service}-${extra.number ?? 1}`,
    image: 'local/busybox:1',
    service,
    number: 1,
    oneOff: false,
    engineState,
    statusText,
    created: new Date(0),
    ports: [],
    ...extra,
  };
}

suite('docker: service state model', () => {
  test('engine states and status lines map to service states', () => {
    const cases: [string, string, string, number | undefined, string | undefined][] = [
      ['running', 'Up About a minute (health: starting)', 'starting', undefined, 'About a minute'],
      ['running', 'Up 3 hours (unhealthy)', 'unhealthy', undefined, '3 hours'],
      ['paused', 'Up 2 minutes (Paused)', 'paused', undefined, '2 minutes'],
      ['restarting', 'Restarting (1) 2 seconds ago', 'restarting', undefined, undefined],
      ['exited', 'Exited (0) 5 days ago', 'exited', 0, undefined],
      ['dead', 'Dead', 'dead', undefined, undefined],
      ['created', 'Created', 'created', undefined, undefined],
    ];
    for (const [engineState, statusText, state, exitCode, upFor] of cases) {
      const [s] = buildServiceStatuses({ name: 'p', dir: '/p', files: [], activeProfiles: [], services: [declared('svc')] }, [container('svc', engineState, statusText)]);
      assert.deepEqual([s.state, s.exitCode, s.upFor], [state, exitCode, upFor], statusText);
    }
  });

  test('replicas: the worst one decides; ports collapse IPv4/IPv6; one-off and undeclared containers', () => {
    const project: StackProject = { name: 'p', dir: '/p', files: [], activeProfiles: [], services: [declared('worker'), declared('pg', { profiles: ['db'] })] };
    const statuses = buildServiceStatuses(project, [
      container('worker', 'running', 'Up 1 minute', { number: 2 }),
      container('worker', 'exited', 'Exited (2) 1 second ago', { number: 1 }),
      container('worker', 'exited', 'Exited (9) 1 second ago', { number: 3, oneOff: true }),
      container('old', 'running', 'Up 1 hour', {
        ports: [
          { hostIp: '::', published: 9000, target: 80, protocol: 'tcp' },
          { hostIp: '0.0.0.0', published: 9000, target: 80, protocol: 'tcp' },
        ],
      }),
    ]);
    assert.deepEqual(statuses.map((s) => [s.name, s.state, s.exitCode, s.containers.map((c) => c.number), s.active]), [
      ['worker', 'exited', 2, [1, 2], true],
      ['pg', 'not-created', undefined, [], false],
      ['old', 'running', undefined, [1], true],
    ]);
    assert.deepEqual(statuses[2].ports, [{ hostIp: '0.0.0.0', published: 9000, target: 80, protocol: 'tcp', source: 'engine' }]);
    const summary = summarize(statuses);
    assert.deepEqual([summary.total, summary.ok, summary.problems, summary.text, summary.level], [2, 1, ['worker'], '1 running (no healthcheck), 1 failed', 'error']);
  });

  test('platform UIs are recognised by name or image and port; database ports get no link; remote host is used', () => {
    const project: StackProject = { name: 'p', dir: '/p', files: [], activeProfiles: [], services: [declared('orchestrator'), declared('warehouse-pg')] };
    const statuses = buildServiceStatuses(
      project,
      [
        container('orchestrator', 'running', 'Up 1 minute (healthy)', {
          image: 'ghcr.io/acme/dagster-webserver:1.9.1',
          ports: [
            { hostIp: '0.0.0.0', published: 3001, target: 3000, protocol: 'tcp' },
            { hostIp: '127.0.0.1', published: 9100, target: 9100, protocol: 'tcp' },
            { hostIp: '0.0.0.0', published: 5353, target: 5353, protocol: 'udp' },
          ],
        }),
        container('warehouse-pg', 'running', 'Up 1 minute', { ports: [{ hostIp: '0.0.0.0', published: 5433, target: 5432, protocol: 'tcp' }] }),
      ],
      'build-box',
    );
    assert.deepEqual(statuses[0].links, [
      { label: 'Dagster', url: 'http://build-box:3001/' },
      { label: 'HTTP 9100', url: 'http://build-box:9100/' },
    ]);
    assert.deepEqual(statuses[1].links, []);
  });
});

suite('docker: what an exit means, and a summary true in every state', () => {
  const project = (services: Declared[], activeProfiles: string[] = []): StackProject => ({ name: 'p', dir: '/p', files: [], activeProfiles, services });

  test('an exit is stopped (a stop the engine reported, or a stop signal), completed (0) or failed (other codes, OOM)', () => {
    const cases: Array<[string, boolean, boolean, string, string]> = [
      ['Exited (0) 1 second ago', false, false, 'completed', 'completed (exit 0)'],
      ['Exited (3) 1 second ago', false, false, 'failed', 'failed (exit 3)'],
      ['Exited (143) 1 second ago', false, false, 'stopped', 'stopped (exit 143)'],
      ['Exited (137) 1 second ago', false, false, 'stopped', 'stopped (exit 137)'],
      ['Exited (137) 1 second ago', false, true, 'failed', 'failed: out of memory (exit 137)'],
      ['Exited (0) 1 second ago', true, false, 'stopped', 'stopped (exit 0)'],
      ['Exited (1) 1 second ago', true, false, 'stopped', 'stopped (exit 1)'],
    ];
    for (const [statusText, byUser, oom, kind, words] of cases) {
      const c = container('svc', 'exited', statusText);
      const history = { stoppedByUser: new Set(byUser ? [c.id] : []), oomKilled: new Map(oom ? [[c.id, true]] : []), startedAt: new Map<string, Date>() };
      const [s] = buildServiceStatuses(project([declared('svc')]), [c], 'localhost', history);
      assert.deepEqual([s.exit?.kind, describeState(s), s.verdict], [kind, words, kind === 'completed' ? 'ok' : kind === 'stopped' ? 'idle' : 'problem'], `${statusText} byUser=${byUser} oom=${oom}`);
    }
  });

  test('ports are shown only while published; the declared ones are kept apart', () => {
    const web = declared('web', { ports: [{ published: '8080', target: '80', protocol: 'tcp' }] });
    const [stopped] = buildServiceStatuses(project([web]), [container('web', 'exited', 'Exited (137) 1 second ago')]);
    assert.deepEqual(stopped.ports, []);
    assert.deepEqual(stopped.links, []);
    assert.deepEqual(stopped.declaredPorts.map((p) => [p.published, p.target]), [[8080, 80]]);
    const [missing] = buildServiceStatuses(project([web]), []);
    assert.deepEqual(missing.ports, []);
  });

  test('start times: exact from a start event, else estimated from the engine\'s words', () => {
    const now = new Date('2026-12-01T02:00:00Z');
    assert.equal(startFromUpFor('40 seconds', now)?.toISOString(), '2026-12-01T01:59:20.000Z');
    assert.equal(startFromUpFor('About a minute', now)?.toISOString(), '2026-12-01T01:59:00.000Z');
    assert.equal(startFromUpFor('2 hours', now)?.toISOString(), '2026-12-01T00:00:00.000Z');
    assert.equal(startFromUpFor('Less than a second', now)?.toISOString(), now.toISOString());
    assert.equal(startFromUpFor('whenever', now), undefined);
    const c = container('svc', 'running', 'Up 40 seconds');
    const exact = new Date('2026-12-01T01:59:13Z');
    const [known] = buildServiceStatuses(project([declared('svc')]), [c], 'localhost', { stoppedByUser: new Set(), oomKilled: new Map(), startedAt: new Map([[c.id, exact]]) }, now);
    assert.deepEqual([known.startedAt?.toISOString(), known.startedAtExact], [exact.toISOString(), true]);
    const [guessed] = buildServiceStatuses(project([declared('svc')]), [c], 'localhost', undefined, now);
    assert.deepEqual([guessed.startedAt?.toISOString(), guessed.startedAtExact], ['2026-12-01T01:59:20.000Z', false]);
  });

  test('the summary: not started, running without healthcheck apart from healthy, every group named', () => {
    const services = [
      declared('web', { healthcheck: true }),
      declared('sick', { healthcheck: true }),
      declared('worker'),
      declared('idle'),
      declared('done'),
      declared('oneshot'),
      declared('extra', { profiles: ['extra'] }),
    ];
    const none = summarize(buildServiceStatuses(project(services), []));
    assert.deepEqual([none.text, none.nothingRuns, none.total, none.level], ['not started (6 services)', true, 6, 'warning']);
    const idle = container('idle', 'exited', 'Exited (137) 1 second ago');
    const statuses = buildServiceStatuses(
      project(services),
      [
        container('web', 'running', 'Up 5 seconds (healthy)'),
        container('sick', 'running', 'Up 5 seconds (unhealthy)'),
        container('worker', 'running', 'Up 5 seconds'),
        idle,
        container('done', 'exited', 'Exited (0) 3 seconds ago'),
        container('oneshot', 'exited', 'Exited (3) 3 seconds ago'),
      ],
      'localhost',
      { stoppedByUser: new Set([idle.id]), oomKilled: new Map(), startedAt: new Map() },
    );
    const summary = summarize(statuses);
    assert.equal(summary.text, '1/2 healthy, 1 running (no healthcheck), 1 unhealthy, 1 failed, 1 stopped, 1 completed');
    assert.deepEqual([summary.healthy, summary.withHealthcheck, summary.runningUnchecked, summary.ok], [1, 2, 1, 3]);
    assert.deepEqual(summary.problems, ['sick', 'oneshot']);
    assert.deepEqual(summary.byState.stopped, ['idle']);
    assert.equal(summary.level, 'error');
    const withProfile = summarize(buildServiceStatuses(project(services, ['extra']), []));
    assert.equal(withProfile.text, 'not started (7 services)');
  });
});

suite('docker: the Platform status bar words, true in every state', () => {
  const compose = (services: Declared[], activeProfiles: string[] = []): ComposeProject => ({
    name: 'live',
    dir: '/live',
    files: ['/live/compose.yaml'],
    env: new Map(),
    services,
    profiles: [...new Set(services.flatMap((s) => s.profiles))],
    activeProfiles,
    profilesFrom: 'COMPOSE_PROFILES',
    errors: [],
  });
  const services = [declared('web', { healthcheck: true }), declared('worker'), declared('extra', { profiles: ['extra'] })];
  const reachable = (containers: ContainerSummary[]): StackStatus => {
    const statuses = buildServiceStatuses(compose(services), containers);
    return { reachable: true, project: 'live', services: statuses, summary: summarize(statuses), at: new Date('2026-12-01T02:10:00Z') };
  };

  const live = { live: true, trusted: true };
  const hidden = { live: false, trusted: true };
  const untrusted = { live: false, trusted: false };

  test('no project: nothing shown; found but not read yet: the services counted, no state claimed', () => {
    assert.equal(platformStatusText([], [], live), undefined);
    const unread = platformStatusText([compose(services)], [undefined], hidden);
    assert.equal(unread?.text, '$(server-process) Platform: 2 services');
    assert.match(unread?.tooltip ?? '', /^live: 2 services; reading their state from Docker\.$/m);
    assert.doesNotMatch(unread?.tooltip ?? '', /healthy|running|not started/);
  });

  test('nothing runs: "not started", never "0/2 healthy" with "all running services are healthy", and how to start it', () => {
    const shown = platformStatusText([compose(services)], [reachable([])], live);
    assert.equal(shown?.text, '$(circle-large-outline) Platform: not started (2 services)');
    assert.equal(shown?.background, undefined);
    assert.doesNotMatch(shown?.tooltip ?? '', /All running services are healthy/);
    assert.match(shown?.tooltip ?? '', /^Not created: web, worker$/m);
    assert.match(shown?.tooltip ?? '', /^Start it with DuckStack: Start Platform\.$/m);
    assert.match(shown?.tooltip ?? '', /^Live: updated by Docker events\.$/m);
  });

  test('running without healthcheck is counted apart from healthy; a hidden view says as of when', () => {
    const status = reachable([container('web', 'running', 'Up 5 seconds (healthy)'), container('worker', 'running', 'Up 5 seconds')]);
    const shown = platformStatusText([compose(services)], [status], live);
    assert.equal(shown?.text, '$(pass) Platform: 1/1 healthy, 1 running (no healthcheck)');
    assert.match(shown?.tooltip ?? '', /^Running, no healthcheck .*: worker$/m);
    assert.doesNotMatch(shown?.tooltip ?? '', /Start Platform|Diagnose/);
    assert.equal(shown?.background, undefined);
    const stale = platformStatusText([compose(services)], [status], hidden);
    assert.match(stale?.text ?? '', /^\$\(pass\) Platform: 1\/1 healthy, 1 running \(no healthcheck\) \(as of \d\d:\d\d( [AP]M)?\)$/);
    assert.match(stale?.tooltip ?? '', /not followed while Platform Services is hidden/);
  });

  test('an unhealthy service turns it red, names it and points at Diagnose Service', () => {
    const shown = platformStatusText([compose(services)], [reachable([container('web', 'running', 'Up 5 seconds (unhealthy)'), container('worker', 'running', 'Up 5 seconds')])], live);
    assert.equal(shown?.text, '$(error) Platform: 0/1 healthy, 1 running (no healthcheck), 1 unhealthy');
    assert.equal(shown?.background, 'error');
    assert.match(shown?.tooltip ?? '', /^Unhealthy: web$/m);
    assert.match(shown?.tooltip ?? '', /^DuckStack: Diagnose Service says why web is not as expected\.$/m);
  });

  test('a failed service turns it red and names it', () => {
    const shown = platformStatusText([compose(services)], [reachable([container('web', 'running', 'Up 5 seconds (healthy)'), container('worker', 'exited', 'Exited (3) 1 second ago')])], live);
    assert.equal(shown?.text, '$(error) Platform: 1/1 healthy, 1 failed');
    assert.equal(shown?.background, 'error');
    assert.match(shown?.tooltip ?? '', /^Failed: worker$/m);
  });

  test('Docker down: says so, with the cause and what to do, and claims no service state', () => {
    const down: StackStatus = {
      reachable: false,
      project: 'live',
      problem: describeEngineError(Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' }), 'unix:///var/run/docker.sock', 'the default socket'),
      at: new Date('2026-12-01T02:10:00Z'),
    };
    const shown = platformStatusText([compose(services)], [down], live);
    assert.equal(shown?.text, '$(debug-disconnect) Platform: Docker not reachable');
    assert.equal(shown?.background, 'warning');
    assert.match(shown?.tooltip ?? '', /^live: their state cannot be read\.$/m);
    assert.match(shown?.tooltip ?? '', /^No Docker engine is listening at unix:\/\/\/var\/run\/docker\.sock/m);
    assert.match(shown?.tooltip ?? '', /^What to do: Start Docker/m);
    assert.doesNotMatch(shown?.tooltip ?? '', /not started|healthy/);
    assert.match(shown?.tooltip ?? '', /^Platform Services retries by itself/m);
    const stale = platformStatusText([compose(services)], [down], hidden);
    assert.match(stale?.text ?? '', /^\$\(debug-disconnect\) Platform: Docker not reachable \(as of \d\d:\d\d( [AP]M)?\)$/);
    assert.match(stale?.tooltip ?? '', /^Tried at .*\. Click to show Platform Services, which retries until the engine answers\.$/m);
    const malformed = platformStatusText([compose(services)], [{ ...down, problem: badAddressProblem('tcp://', 'DOCKER_HOST tcp:// names no host.') }], live);
    assert.match(malformed?.tooltip ?? '', /^What to do: Fix DOCKER_HOST or the current docker context/m);
    assert.match(malformed?.tooltip ?? '', /^DOCKER_HOST and the docker context are read when the window starts: reload the window once they are fixed\.$/m);
    assert.doesNotMatch(malformed?.tooltip ?? '', /retries/);
  });

  test('an untrusted workspace: the state as read, and that actions wait for trust instead of "Start Platform"', () => {
    const notStarted = platformStatusText([compose(services)], [reachable([])], untrusted);
    assert.match(notStarted?.text ?? '', /^\$\(circle-large-outline\) Platform: not started \(2 services\) \(as of /);
    assert.match(notStarted?.tooltip ?? '', /^Restricted Mode: DuckStack starts, stops and restarts nothing until you trust this workspace/m);
    assert.doesNotMatch(notStarted?.tooltip ?? '', /Start it with/);
    const failed = platformStatusText([compose(services)], [reachable([container('worker', 'exited', 'Exited (3) 1 second ago')])], untrusted);
    assert.match(failed?.tooltip ?? '', /^Restricted Mode/m);
    assert.doesNotMatch(failed?.tooltip ?? '', /Diagnose Service/);
    assert.match(platformStatusText([compose(services)], [undefined], untrusted)?.tooltip ?? '', /^Restricted Mode/m);
  });
});
