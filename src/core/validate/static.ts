// The checks that read files only: the linter's findings on hardcoded configuration, undocumented
// variables and golden versions; Superset's DuckDB connection; the README's setup steps and URLs.
// The project is linted once and every check reads the same findings.
import * as path from 'node:path';
import type { ComposeProject, ComposeService } from '../compose/project';
import { KNOWN_UIS } from '../docker/services';
import { readRegularFileSync } from '../files';
import { lintProject, type WorkspaceLint } from '../lint/engine';
import { allRules } from '../rules/index';
import type { Finding } from '../lint/types';
import { walkWorkspace } from '../workspace/walk';
import { serviceKind } from './logs';
import type { Check, CheckGroup } from './types';

/** Rules that find values written into configuration instead of read from the environment. */
export const HARDCODED_RULES: readonly string[] = [
  'compose-host-port-variable',
  'compose-absolute-bind',
  'compose-hardcoded-credential',
  'python-hardcoded-path',
  'python-default-credential',
  'dbt-profiles-env-var',
  'dbt-project-var-path',
  'dagster-yaml-env-values',
  'cube-api-secret',
];
export const UNDOCUMENTED_RULES: readonly string[] = ['compose-undocumented-variable'];
export const GOLDEN_RULES: readonly string[] = [
  'golden-versions-unreadable-row',
  'compose-image-tag',
  'compose-image-golden',
  'dockerfile-from-tag',
  'dockerfile-python-version',
  'requirements-golden-pin',
  'pyproject-golden-pin',
  'package-json-golden-pin',
];

const MAX_EVIDENCE = 20;

function findingText(root: string, f: Finding): string {
  return `${path.relative(root, f.file) || f.file}:${f.line + 1}:${f.column + 1} ${f.ruleId}: ${f.message}`;
}

function lintCheck(
  lint: WorkspaceLint,
  root: string,
  ruleIds: readonly string[],
  base: { id: string; title: string; group: CheckGroup },
  passReason: string,
  failWhat: string,
): Check {
  const findings = lint.findings.filter((f) => ruleIds.includes(f.ruleId));
  // A file that could not be read or parsed was not checked: no lint-based check passes over it.
  const unchecked = lint.findings.filter((f) => f.ruleId === 'yaml-syntax');
  if (unchecked.length > 0 || lint.errors.length > 0) {
    const count = new Set(unchecked.map((f) => f.file)).size + lint.errors.length;
    const evidence = [...unchecked.map((f) => findingText(root, f)), ...lint.errors, ...findings.map((f) => findingText(root, f))];
    return {
      ...base,
      status: 'fail',
      reason: `${count} file${count === 1 ? '' : 's'} could not be read or parsed, so this cannot be checked there; \`duckstack lint\` shows why.`,
      evidence: evidence.length > MAX_EVIDENCE ? [...evidence.slice(0, MAX_EVIDENCE), `… and ${evidence.length - MAX_EVIDENCE} more (duckstack lint shows all)`] : evidence,
      ...(unchecked.length > 0 ? { file: unchecked[0].file, line: unchecked[0].line } : {}),
    };
  }
  if (findings.length === 0) return { ...base, status: 'pass', reason: `${passReason} (${lint.files.length} files linted).`, evidence: [] };
  const evidence = findings.slice(0, MAX_EVIDENCE).map((f) => findingText(root, f));
  if (findings.length > MAX_EVIDENCE) evidence.push(`… and ${findings.length - MAX_EVIDENCE} more (duckstack lint shows all)`);
  const files = new Set(findings.map((f) => f.file)).size;
  return {
    ...base,
    status: 'fail',
    reason: `${findings.length} ${failWhat} in ${files} file${files === 1 ? '' : 's'}; \`duckstack lint\` shows them with fixes.`,
    evidence,
    file: findings[0].file,
    line: findings[0].line,
  };
}

/**
 * Versions against golden_versions.md. Without the file (or with no rows in it) nothing was compared:
 * not checked, with the reason, unless a pin that needs no golden file (a moving tag) fails it.
 */
function goldenCheck(lint: WorkspaceLint, root: string): Check {
  const base = { id: 'golden-versions', title: 'Every version matches golden_versions.md', group: 'config' as const };
  const check = lintCheck(lint, root, GOLDEN_RULES, base, 'Images, base images and pins match golden_versions.md', 'version mismatches');
  const golden = lint.project.golden;
  if (golden.file !== undefined && golden.entries.length > 0) return check;
  const why =
    golden.file === undefined
      ? 'There is no golden_versions.md in the fork, so no version was compared with it'
      : `${path.relative(root, golden.file) || golden.file} lists no versions, so none was compared with it`;
  if (check.status === 'fail') return { ...check, reason: `${check.reason} ${why}.` };
  return { ...base, status: 'not-checked', reason: `${why}; images and base images were only checked for a pinned tag.`, evidence: [], ...(golden.file ? { file: golden.file, line: 0 } : {}) };
}

function isSupersetFile(file: string, root: string): boolean {
  return path.basename(file).startsWith('superset_config') || path.relative(root, file).split(/[\\/]/).some((s) => s.toLowerCase().includes('superset'));
}

// A DuckDB URI written as a Python string (f-strings too), not Superset's own metadata database.
const DUCKDB_URI = /\bf?(["'])(duckdb:\/\/[^"'\n]*)\1/g;

interface UriSite {
  file: string;
  line: number;
  uri: string;
}

function duckdbUris(lint: WorkspaceLint, root: string): UriSite[] {
  const sites: UriSite[] = [];
  for (const { file, kind, text } of lint.files) {
    if (kind !== 'python' || !isSupersetFile(file, root)) continue;
    text.split('\n').forEach((lineText, line) => {
      if (/^\s*#/.test(lineText) || /\bSQLALCHEMY_DATABASE_URI\b/.test(lineText)) return;
      for (const m of lineText.matchAll(DUCKDB_URI)) {
        if (/^duckdb:\/\/\/?(?::memory:)?(?:\?|$)/i.test(m[2])) continue;
        sites.push({ file, line, uri: m[2] });
      }
    });
  }
  return sites;
}

function supersetCheck(project: ComposeProject | undefined, lint: WorkspaceLint, root: string): Check {
  const base = { id: 'superset-duckdb', title: 'Superset has a read-only DuckDB connection', group: 'config' as const };
  const superset = project?.services.find((s) => serviceKind(s.name, s.image) === 'superset');
  if (!superset) return { ...base, status: 'not-checked', reason: 'Superset is not in the stack.', evidence: [] };
  const withService = { ...base, service: superset.name };
  const sites = duckdbUris(lint, root);
  const findings = lint.findings.filter(
    (f) => f.ruleId === 'python-superset-duckdb-readonly' || (f.ruleId === 'compose-bi-readonly-duckdb' && f.data?.service === superset.name),
  );
  const uriEvidence = sites.map((s) => `${path.relative(root, s.file)}:${s.line + 1}: ${s.uri}`);
  if (findings.length > 0) {
    return {
      ...withService,
      status: 'fail',
      reason: `Superset can write the warehouse: ${findings.map((f) => f.message).join(' ')}`,
      evidence: [...findings.map((f) => findingText(root, f)), ...uriEvidence],
      file: findings[0].file,
      line: findings[0].line,
    };
  }
  if (sites.length === 0) {
    return {
      ...withService,
      status: 'fail',
      reason: 'No DuckDB SQLAlchemy URI (duckdb:///…?access_mode=read_only) in Superset’s configuration (superset_config.py).',
      evidence: [],
      ...(project?.files[0] ? { file: project.files[0] } : {}),
    };
  }
  return { ...withService, status: 'pass', reason: `${sites.length} DuckDB connection${sites.length === 1 ? '' : 's'}, opened read-only.`, evidence: uriEvidence, file: sites[0].file, line: sites[0].line };
}

const SETUP_HEADING = /^#{1,6}\s+.*\b(set ?up|quick ?start|getting started|install(?:ation)?)\b/im;

/** The web UIs a compose file publishes: the platform's known tools, with their host ports. */
export function publishedUis(project: ComposeProject): Array<{ service: ComposeService; label: string; port: string }> {
  const out: Array<{ service: ComposeService; label: string; port: string }> = [];
  for (const service of project.services) {
    for (const p of service.ports) {
      if (p.published === undefined) continue;
      const known = KNOWN_UIS.find((k) => String(k.port) === p.target && (k.pattern.test(service.name) || k.pattern.test(service.image ?? '')));
      if (known) out.push({ service, label: known.label, port: p.published });
    }
  }
  return out;
}

function readmeCheck(dir: string, project: ComposeProject | undefined): Check {
  const base = { id: 'readme', title: 'The README names setup steps and the URLs', group: 'docs' as const };
  const name = [...walkWorkspace(dir, { maxDepth: 0 })].map((e) => e.name).sort().find((f) => /^readme(\.md|\.markdown|\.txt)?$/i.test(f));
  if (!name) return { ...base, status: 'fail', reason: 'No README in the fork.', evidence: [] };
  const file = path.join(dir, name);
  const read = readRegularFileSync(file);
  if (!read.ok) return { ...base, file, status: 'fail', reason: `The README cannot be read: ${read.message}.`, evidence: [] };
  const text = read.text;
  const problems: string[] = [];
  const evidence: string[] = [];
  const heading = SETUP_HEADING.exec(text);
  if (heading) evidence.push(`setup heading: ${heading[0].trim()}`);
  else problems.push('no setup or quick start heading');
  const lines = text.split('\n');
  for (const ui of project ? publishedUis(project) : []) {
    const byPort = lines.findIndex((l) => new RegExp(`:${ui.port}\\b`).test(l));
    const byName = lines.findIndex((l) => /https?:\/\//.test(l) && (l.toLowerCase().includes(ui.label.toLowerCase()) || l.toLowerCase().includes(ui.service.name.toLowerCase())));
    const at = byPort >= 0 ? byPort : byName;
    if (at >= 0) evidence.push(`${ui.label} (port ${ui.port}): line ${at + 1}`);
    else problems.push(`no URL for ${ui.label} (port ${ui.port})`);
  }
  if (problems.length > 0) return { ...base, file, line: heading ? lineOf(text, heading.index) : 0, status: 'fail', reason: `The README has ${problems.join(', ')}.`, evidence };
  return { ...base, file, line: lineOf(text, heading?.index ?? 0), status: 'pass', reason: 'Setup steps and every published UI are in the README.', evidence };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

export async function staticChecks(dir: string, project: ComposeProject | undefined, progress: (step: string) => void): Promise<Check[]> {
  progress('Linting the configuration…');
  const lint = await lintProject(dir, { ruleSet: allRules });
  return [
    lintCheck(lint, dir, HARDCODED_RULES, { id: 'config-hardcoded', title: 'No hardcoded path, port or credential', group: 'config' }, 'Paths, ports and credentials come from the environment', 'hardcoded values'),
    lintCheck(lint, dir, UNDOCUMENTED_RULES, { id: 'env-documented', title: 'Every variable is documented in .env.example', group: 'config' }, 'Every variable without a default is in .env.example', 'undocumented variables'),
    goldenCheck(lint, dir),
    supersetCheck(project, lint, dir),
    readmeCheck(dir, project),
  ];
}
