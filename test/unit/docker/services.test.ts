// The state model on list records shaped as the engine returns them, for the states and
// shapes the test stack does not produce (paused, restarting, dead, replicas, platform UIs).
import * as assert from 'node:assert/strict';
import type { ContainerSummary } from '../../../src/core/docker/engine';
import { buildServiceStatuses, summarize, type StackProject } from '../../../src/core/docker/services';

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
    assert.deepEqual(summarize(statuses), { total: 2, ok: 1, problems: ['worker'], text: '1/2 healthy', level: 'error' });
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
