import { isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { Report, Rule } from '../../lint/types';
import { joinWithAnd } from '../../text/list';
import { getNode, resolve, scalarText } from '../../yaml/ast';
import { composeServices, declaresHealthcheck, range, splitImage, type ServiceNode } from './shared';

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

/** Commands that keep running: servers, daemons, and the idioms that keep a container up. */
const LONG_RUNNING = [
  /\bsleep\s+(?:infinity|\d{3,})\b/,
  /\btail\s+-f\b/,
  /\bwhile\s+(?:true|:)\s*;?\s*do\b/,
  /(?:^|[\s/])(?:nginx|httpd|apache2|uvicorn|gunicorn|dagster-webserver|dagster-daemon|dagit|redis-server|postgres|mysqld|streamlit|jupyter(?:-lab|-notebook)?|cubejs|rill)(?:\s|$)/,
  /\bdagster\s+(?:dev|api\s+grpc)\b/,
  /\bsuperset\s+run\b/,
  /\bdbt\s+docs\s+serve\b/,
  /\bpython\d*(?:\.\d+)?\s+-m\s+http\.server\b/,
  /\bflask\s+run\b/,
  /\bnpm\s+(?:start|run\s+(?:start|serve|dev))\b/,
];

/** Programs (with their sub-command) that do one thing and exit. */
const EXITS = /^(?:exit(?:\s+\d+)?|true|false|echo(?:\s.*)?|printf(?:\s.*)?|dbt\s+(?:run|build|seed|test|compile|deps|snapshot|source|parse|debug)\b.*|superset\s+(?:db\s+upgrade|init|fab\s+create-admin|import\S*|set_database_uri)\b.*|alembic\s+upgrade\b.*|dagster\s+(?:job|asset)\s+(?:execute|materialize|launch)\b.*|python\d*(?:\.\d+)?\s+-c\s.*)$/;

/** The command compose runs for the service (`entrypoint` and `command` joined), as one line of text. */
function commandText(doc: Document.Parsed, service: YAMLMap): string | undefined {
  const parts: string[] = [];
  for (const key of ['entrypoint', 'command']) {
    const node = getNode(doc, service, key);
    if (isSeq(node)) parts.push(...node.items.map((i) => scalarText(resolve(doc, i)) ?? ''));
    else if (scalarText(node) !== undefined) parts.push(scalarText(node) ?? '');
  }
  const text = parts.join(' ').replace(/\s+/g, ' ').trim();
  return text === '' ? undefined : text;
}

/** The script a shell runs (`sh -c '…'`), else the command itself. */
function scriptOf(command: string): string {
  const shell = /^(?:\/bin\/|\/usr\/bin\/)?(?:sh|bash|ash|dash|zsh)\s+(?:-\w*c\w*)\s+(.*)$/s.exec(command);
  return shell ? shell[1] : command;
}

/** What the command says about the container's life: 'keeps-running', 'exits', or undefined when it does not say. */
function commandLife(command: string | undefined): 'keeps-running' | 'exits' | undefined {
  if (command === undefined) return undefined;
  const script = scriptOf(command);
  if (LONG_RUNNING.some((re) => re.test(script))) return 'keeps-running';
  // The last statement decides: `echo migrating; dbt run` exits once dbt has run.
  const statements = script.split(/;|&&|\|\||\n/).map((s) => s.trim().replace(/^exec\s+/, '')).filter((s) => s !== '');
  const last = statements.at(-1);
  return last !== undefined && EXITS.test(last) ? 'exits' : undefined;
}

/** Who waits on each service, and how (`depends_on` conditions; the list form means service_started). */
function dependants(doc: Document.Parsed, services: ServiceNode[]): Map<string, Array<{ name: string; condition: string }>> {
  const waiting = new Map<string, Array<{ name: string; condition: string }>>();
  const add = (target: string, name: string, condition: string): void => {
    const list = waiting.get(target) ?? [];
    list.push({ name, condition });
    waiting.set(target, list);
  };
  for (const s of services) {
    const deps = getNode(doc, s.map, 'depends_on');
    if (isSeq(deps)) for (const item of deps.items) add(scalarText(resolve(doc, item)) ?? '', s.name, 'service_started');
    if (!isMap(deps)) continue;
    for (const item of deps.items) {
      const spec = resolve(doc, item.value);
      const condition = (isMap(spec) ? scalarText(getNode(doc, spec, 'condition')) : undefined) ?? 'service_started';
      add(scalarText(item.key) ?? '', s.name, condition);
    }
  }
  return waiting;
}


/** "app depends", "app and web depend". */
function depend(waiters: Array<{ name: string }>): string {
  return `${joinWithAnd(waiters.map((w) => w.name))} ${waiters.length === 1 ? 'depends' : 'depend'}`;
}

const ADVICE = 'add one so dependants can use `condition: service_healthy` and `docker compose ps` shows it healthy';

export const composeHealthcheck: Rule = {
  id: 'compose-healthcheck',
  meta: {
    description: 'A long-running service has no healthcheck, so nothing can wait for it to be ready and `docker compose ps` cannot show it healthy.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    messages: {
      kept: `Service {{service}} is kept running (\`restart: {{restart}}\`) but has no healthcheck; ${ADVICE}.`,
      serves: `Service {{service}} publishes {{ports}}, so it serves while it runs, but has no healthcheck; ${ADVICE}.`,
      awaited: 'Service {{service}} has no healthcheck, yet {{dependants}} on it ({{condition}}); add one so they start only once it is ready.',
      longCommand: `Service {{service}} runs \`{{command}}\`, which keeps running, but has no healthcheck; ${ADVICE}.`,
      unknown:
        'Service {{service}} has no healthcheck, and its definition does not say whether it keeps running (no `restart` policy, published port, dependants or known command){{profile}}: if it is a server or daemon, add a healthcheck; if it is a one-shot job, say so with `restart: "no"`.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const services = composeServices(ctx);
    const waiting = dependants(doc, services);
    const reports: Report[] = [];
    for (const service of services) {
      if (declaresHealthcheck(ctx, service.map)) continue;
      const restart = scalarText(getNode(doc, service.map, 'restart'));
      const ports = getNode(doc, service.map, 'ports');
      const portSpecs = isSeq(ports) ? ports.items.map((p) => scalarText(resolve(doc, p)) ?? scalarText(isMap(p) ? getNode(doc, p, 'published') : undefined) ?? '?') : [];
      const command = commandText(doc, service.map);
      const life = commandLife(command);
      const waiters = waiting.get(service.name) ?? [];
      const startedWaiters = waiters.filter((w) => w.condition === 'service_started');
      const kept = restart === 'always' || restart === 'unless-stopped';
      const healthyWaiters = waiters.filter((w) => w.condition === 'service_healthy');
      // Evidence that the container keeps running, from its own definition (strongest first).
      if (kept) {
        reports.push(report(ctx.text, doc, service, 'kept', { restart: restart ?? '' }));
      } else if (portSpecs.length > 0) {
        reports.push(report(ctx.text, doc, service, 'serves', { ports: `${portSpecs.length === 1 ? 'port' : 'ports'} ${joinWithAnd(portSpecs.map((p) => `\`${p}\``))}` }));
      } else if (healthyWaiters.length > 0) {
        reports.push(report(ctx.text, doc, service, 'awaited', { dependants: depend(healthyWaiters), condition: '`service_healthy`' }));
      } else if (life === 'keeps-running' && command !== undefined) {
        reports.push(report(ctx.text, doc, service, 'longCommand', { command: command.length > 60 ? `${command.slice(0, 57)}…` : command }));
      } else {
        // Evidence that it runs once: its restart policy, its command, dependants waiting for it to
        // complete, a tools profile, or a name for a task run once.
        const profiles = getNode(doc, service.map, 'profiles');
        const profileNames = isSeq(profiles) ? profiles.items.map((p) => scalarText(resolve(doc, p)) ?? '') : [];
        const oneShot =
          restart === 'no' ||
          restart === 'on-failure' ||
          restart?.startsWith('on-failure:') === true ||
          life === 'exits' ||
          waiters.some((w) => w.condition === 'service_completed_successfully') ||
          (restart === undefined && profileNames.some((p) => ONE_SHOT_WORD.test(p))) ||
          service.name.split(/[-_.]/).some((w) => ONE_SHOT_WORD.test(w));
        if (oneShot) continue;
        if (startedWaiters.length > 0) {
          reports.push(report(ctx.text, doc, service, 'awaited', { dependants: depend(startedWaiters), condition: '`service_started`' }));
        } else {
          const profile = profileNames.length > 0 ? `, and it starts only with the profile${profileNames.length === 1 ? '' : 's'} ${joinWithAnd(profileNames.map((p) => `\`${p}\``))}` : '';
          reports.push(report(ctx.text, doc, service, 'unknown', { profile }));
        }
      }
    }
    return reports;
  },
};

function report(text: string, doc: Document.Parsed, service: ServiceNode, messageId: string, data: Record<string, string>): Report {
  const [start, end] = range(service.key);
  const result: Report = { messageId, data: { service: service.name, ...data }, start, end };
  const image = scalarText(getNode(doc, service.map, 'image'));
  const test = image === undefined ? undefined : KNOWN_TESTS[splitImage(image).name.split('/').slice(-2).join('/')];
  const first = service.map.items[0];
  if (test && !service.map.flow && first && isScalar(first.key)) {
    const at = range(first.key)[0];
    const indent = ' '.repeat(at - (text.lastIndexOf('\n', at - 1) + 1));
    const lines = [`healthcheck:`, `  test: ${test}`, '  interval: 10s', '  timeout: 5s', '  retries: 5'];
    result.fix = { title: 'Add the usual healthcheck for this image', edits: [{ start: at, end: at, text: lines.map((l) => l + '\n' + indent).join('') }] };
  }
  return result;
}
