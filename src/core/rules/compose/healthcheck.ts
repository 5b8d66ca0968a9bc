import { isMap, isScalar, isSeq } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { getNode, resolve, scalarText } from '../../yaml/ast';
import { composeServices, declaresHealthcheck, range, splitImage } from './shared';

// Healthchecks known to work with the platform's images (each image ships the command).
const KNOWN_TESTS: Record<string, string> = {
  postgres: '["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]',
  'library/postgres': '["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]',
  redis: '["CMD", "redis-cli", "ping"]',
  'library/redis': '["CMD", "redis-cli", "ping"]',
  'apache/superset': '["CMD-SHELL", "curl -f http://localhost:8088/health"]',
};

/** Words that name a task run once or on demand: profiles (tools, cli) and service names (superset-init). */
const ONE_SHOT_WORD = /^(tools?|cli|init|setup|migrat\w*|jobs?|bootstrap|seed)$/i;

export const composeHealthcheck: Rule = {
  id: 'compose-healthcheck',
  meta: {
    description: 'A long-running service has no healthcheck, so nothing can wait for it to be ready and `docker compose ps` cannot show it healthy.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: { missing: 'Service {{service}} runs continuously but has no healthcheck; add one so dependants can use `condition: service_healthy`.' },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const services = composeServices(ctx);
    // Services others wait to *complete* are one-shot jobs, not long-running.
    const oneShot = new Set<string>();
    for (const s of services) {
      const deps = getNode(doc, s.map, 'depends_on');
      if (!isMap(deps)) continue;
      for (const item of deps.items) {
        const spec = resolve(doc, item.value);
        const condition = isMap(spec) ? scalarText(getNode(doc, spec, 'condition')) : undefined;
        if (condition === 'service_completed_successfully') oneShot.add(scalarText(item.key) ?? '');
      }
    }
    const reports: Report[] = [];
    for (const service of services) {
      if (declaresHealthcheck(ctx, service.map) || oneShot.has(service.name)) continue;
      const restart = scalarText(getNode(doc, service.map, 'restart'));
      const ports = getNode(doc, service.map, 'ports');
      // A service that publishes ports serves them: long-running whatever its restart policy.
      const serves = isSeq(ports) && ports.items.length > 0;
      if (!serves && (restart === 'no' || restart === 'on-failure' || restart?.startsWith('on-failure:'))) continue;
      const keepsRunning = restart === 'always' || restart === 'unless-stopped';
      // Tool containers behind a profile (migrations, CLIs) are run on demand.
      const profiles = getNode(doc, service.map, 'profiles');
      if (isSeq(profiles) && restart === undefined && profiles.items.some((p) => ONE_SHOT_WORD.test(scalarText(p) ?? ''))) continue;
      // Named for a task that runs once (superset-init, polaris-init, db-migrate) and not kept running.
      if (!serves && !keepsRunning && service.name.split(/[-_.]/).some((w) => ONE_SHOT_WORD.test(w))) continue;
      const [start, end] = range(service.key);
      const report: Report = { messageId: 'missing', data: { service: service.name }, start, end };
      const image = scalarText(getNode(doc, service.map, 'image'));
      const test = image === undefined ? undefined : KNOWN_TESTS[splitImage(image).name.split('/').slice(-2).join('/')];
      const first = service.map.items[0];
      if (test && !service.map.flow && first && isScalar(first.key)) {
        const at = range(first.key)[0];
        const indent = ' '.repeat(at - (ctx.text.lastIndexOf('\n', at - 1) + 1));
        const lines = [`healthcheck:`, `  test: ${test}`, '  interval: 10s', '  timeout: 5s', '  retries: 5'];
        report.fix = { title: 'Add the usual healthcheck for this image', edits: [{ start: at, end: at, text: lines.map((l) => l + '\n' + indent).join('') }] };
      }
      reports.push(report);
    }
    return reports;
  },
};
