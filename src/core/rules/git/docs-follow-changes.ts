// docs-follow-changes: the platform guide's documentation requirements, checked against HEAD.
// golden_versions.md changed but neither README.md nor other/Workplan.md did; a service added to
// compose publishes a UI port that README.md does not name. Off without git.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { relativePath } from '../../git/baseline';
import { parseGoldenVersions } from '../../golden/golden';
import type { Report, Rule, RuleContext } from '../../lint/types';
import type { GitBaseline } from '../../git/baseline';
import { getNode, scalarText } from '../../yaml/ast';
import { composeServices, range } from '../compose/shared';

const HEAD = 0;
export const DOCS = ['README.md', 'other/Workplan.md'];

function unchanged(git: GitBaseline, rel: string): boolean {
  return git.workingText(rel) === git.textAt(HEAD, rel);
}

function goldenReports(ctx: RuleContext, git: GitBaseline, rel: string): Report[] {
  const before = git.textAt(HEAD, rel);
  if (before === undefined) return [];
  const old = new Map(parseGoldenVersions(before, ctx.file).golden.entries.map((e) => [e.tool.toLowerCase(), e.version]));
  const now = parseGoldenVersions(ctx.text, ctx.file).golden.entries;
  const changes = now.filter((e) => old.get(e.tool.toLowerCase()) !== e.version);
  const removed = [...old.keys()].filter((tool) => !now.some((e) => e.tool.toLowerCase() === tool));
  if (changes.length === 0 && removed.length === 0) return [];
  if (!DOCS.every((doc) => unchanged(git, doc))) return [];
  const lines = ctx.text.split('\n');
  const first = changes[0];
  let start = 0;
  for (let i = 0; first && i < first.line; i++) start += lines[i].length + 1;
  const end = first ? start + lines[first.line].replace(/\r$/, '').length : 0;
  const what = [
    ...changes.map((e) => (old.has(e.tool.toLowerCase()) ? `${e.tool} ${old.get(e.tool.toLowerCase())} → ${e.version}` : `${e.tool} ${e.version} added`)),
    ...removed.map((tool) => `${tool} removed`),
  ].join(', ');
  return [{ messageId: 'golden', data: { changes: what }, start, end }];
}

/** Published host ports of a service as written: the variable and the default or literal port. */
function publishedPorts(ctx: RuleContext, service: import('yaml').YAMLMap): Array<{ variable?: string; port?: string }> {
  const doc = ctx.yaml;
  const ports = doc ? getNode(doc, service, 'ports') : undefined;
  if (!doc || !isSeq(ports)) return [];
  const out: Array<{ variable?: string; port?: string }> = [];
  for (const item of ports.items) {
    let published: string | undefined;
    if (isScalar(item)) {
      const raw = String(item.value);
      // "[ip:]host:container[/proto]" with ${VAR:-d} in it: the host part is before the last ':'.
      const withoutProto = raw.replace(/\/\w+$/, '');
      const last = withoutProto.lastIndexOf(':');
      if (last < 0) continue; // a container port only: nothing published
      published = withoutProto.slice(0, last).replace(/^\d+\.\d+\.\d+\.\d+:/, '');
    } else if (isMap(item)) {
      const p = getNode(doc, item, 'published');
      published = p && isScalar(p) ? scalarText(p) : undefined;
    }
    if (published === undefined || published === '') continue;
    const variable = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(published)?.[1];
    const port = /:?-(\d+)\}/.exec(published)?.[1] ?? /^(\d+)(?:-\d+)?$/.exec(published)?.[1];
    out.push({ ...(variable ? { variable } : {}), ...(port ? { port } : {}) });
  }
  return out;
}

function composeReports(ctx: RuleContext, git: GitBaseline, rel: string): Report[] {
  const before = git.textAt(HEAD, rel);
  const oldServices = new Set<string>();
  if (before !== undefined) {
    let parsed: { services?: unknown } | null = null;
    try {
      parsed = parseDocument(before, { uniqueKeys: false }).toJS({ maxAliasCount: 10_000 }) as { services?: unknown } | null;
    } catch {
      return []; // HEAD's file was not readable YAML: no baseline to compare with
    }
    if (parsed && typeof parsed.services === 'object' && parsed.services !== null) for (const name of Object.keys(parsed.services)) oldServices.add(name);
  }
  const readme = git.workingText('README.md');
  const reports: Report[] = [];
  for (const service of composeServices(ctx)) {
    if (oldServices.has(service.name)) continue;
    const ports = publishedPorts(ctx, service.map);
    if (ports.length === 0) continue;
    const named = (p: { variable?: string; port?: string }): boolean =>
      readme !== undefined && ((p.variable !== undefined && readme.includes(p.variable)) || (p.port !== undefined && new RegExp(`(^|\\D)${p.port}(\\D|$)`).test(readme)));
    if (ports.some(named)) continue;
    const shown = ports.map((p) => p.variable ?? p.port).filter((x): x is string => x !== undefined).join(', ');
    const [start, end] = range(service.key);
    reports.push({ messageId: readme === undefined ? 'noReadme' : 'service', data: { service: service.name, ports: shown }, start, end });
  }
  return reports;
}

export const docsFollowChanges: Rule = {
  id: 'docs-follow-changes',
  meta: {
    description: 'A change is documented: golden_versions.md changed with README.md or other/Workplan.md, a new service\'s UI port is in README.md.',
    defaultSeverity: 'warning',
    fixable: false,
    kinds: ['goldenVersions', 'compose'],
    messages: {
      golden: 'golden_versions.md changed against HEAD ({{changes}}), but neither README.md nor other/Workplan.md did: document the change and its migration.',
      service: 'Service {{service}} is new since HEAD and publishes {{ports}}, but README.md does not name its port: say how to reach its UI.',
      noReadme: 'Service {{service}} is new since HEAD and publishes {{ports}}, but there is no README.md to say how to reach its UI.',
    },
  },
  check(ctx) {
    const git = ctx.project.git;
    if (!git) return [];
    const rel = relativePath(ctx.root, ctx.file);
    return ctx.kind === 'goldenVersions' ? goldenReports(ctx, git, rel) : composeReports(ctx, git, rel);
  },
};
