// The read-only tools: the platform's checks and reads, the same engines as the CLI. None writes a
// file or changes the stack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { loadComposeProject } from '../compose/project';
import { readStackStatusFromEnv } from '../docker/monitor';
import { diagnose, FINDING_AREAS } from '../doctor';
import { findDatabases } from '../duckdb/discovery';
import { previewEnvFromExample } from '../env/create';
import { DEFAULT_MAX_COPY_BYTES, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, readCatalog, runReadOnlyQuery } from '../duckdb/reader';
import { loadGoldenVersions } from '../golden/golden';
import { readRuleConfig } from '../lint/config';
import { inCi } from '../lint/ci';
import { ENGINE_FINDINGS, lintProject } from '../lint/engine';
import { groupByProject } from '../lint/root';
import type { Finding } from '../lint/types';
import { allRules } from '../rules/index';
import { validatePlatform } from '../validate';
import { applyEdits, unifiedDiff } from './diff';
import { readRulesDoc, ruleSection } from './rulesDoc';
import { defineTool, outcome, type ToolDefinition } from './types';

export const MAX_QUERY_ROWS = 10_000;

const position = z.object({ line: z.number().describe('1-based'), column: z.number().describe('1-based') });
export const findingSchema = z.object({
  file: z.string().describe('relative to the fork, POSIX'),
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  range: z.object({ start: position, end: position }),
  fix: z.object({ title: z.string(), diff: z.string().describe('unified diff; nothing is written') }).optional(),
  docs: z.string().describe('resource URI of the rule documentation'),
});
const checkSchema = z.object({
  id: z.string(),
  title: z.string(),
  group: z.string(),
  status: z.enum(['pass', 'fail', 'not-checked']),
  reason: z.string(),
  evidence: z.array(z.string()),
  file: z.string().optional(),
  line: z.number().optional().describe('1-based'),
  service: z.string().optional(),
});
const problemSchema = z.object({ kind: z.string(), cause: z.string(), remedy: z.string() });

/** Relative to the fork, POSIX. */
export function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || path.basename(file);
}

/** Every secret a fix would move to .env, replaced by *** in text shown to an assistant. */
export function maskSecrets(text: string, findings: readonly Finding[]): string {
  let out = text;
  for (const f of findings) for (const secret of f.fix?.secrets ?? []) if (secret.value) out = out.split(secret.value).join('***');
  return out;
}

/**
 * A fix as a diff: of the file it edits, a value the fix moves to .env masked, never shown; or, for
 * compose-env-missing, of the .env it would create, each value it generates shown as ***.
 */
async function fixDiff(root: string, finding: Finding, texts: ReadonlyMap<string, string>): Promise<{ title: string; diff: string } | undefined> {
  const fix = finding.fix;
  const text = texts.get(finding.file);
  if (!fix || text === undefined) return undefined;
  if (fix.createEnv) {
    const preview = await previewEnvFromExample(path.dirname(finding.file));
    if (!preview) return undefined;
    return { title: `${fix.title} (apply_fixes writes it, mode 600 and git-ignored, with a fresh random value for each ***)`, diff: unifiedDiff(relative(root, preview.envFile), '', preview.text) };
  }
  const diff = maskSecrets(unifiedDiff(relative(root, finding.file), text, applyEdits(text, fix.edits)), [finding]);
  const title = fix.secrets?.length ? `${fix.title} (the value is stored in .env first)` : fix.title;
  return { title, diff };
}

/**
 * The whole fork's or the given paths' findings, each fix as a diff. An assistant in a checkout is
 * where a local `duckstack lint` is: the rules about the working copy (a missing .env) run unless
 * env says CI, as in the CLI.
 */
export async function lintFork(root: string, paths: readonly string[] | undefined, env: NodeJS.ProcessEnv): Promise<{ findings: z.infer<typeof findingSchema>[]; errors: string[] }> {
  const findings: z.infer<typeof findingSchema>[] = [];
  const errors: string[] = [];
  for (const group of groupByProject(root, (paths ?? []).map((p) => path.resolve(root, p)))) {
    const rules = readRuleConfig(group.root);
    if (typeof rules === 'string') {
      errors.push(rules);
      continue;
    }
    const lint = await lintProject(group.root, { ruleSet: allRules, rules, paths: group.paths, workingCopy: !inCi(env) });
    const texts = new Map(lint.files.map((f) => [f.file, f.text]));
    for (const f of lint.findings) {
      const fix = await fixDiff(root, f, texts);
      findings.push({
        file: relative(root, f.file),
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        range: { start: { line: f.line + 1, column: f.column + 1 }, end: { line: f.endLine + 1, column: f.endColumn + 1 } },
        ...(fix ? { fix } : {}),
        docs: `duckstack://rules/${f.ruleId}`,
      });
    }
    for (const e of lint.errors) errors.push(e);
  }
  return { findings, errors };
}

export function lintSummary(findings: ReadonlyArray<{ severity: string; fix?: unknown }>): { error: number; warning: number; info: number; fixable: number } {
  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  return { error: count('error'), warning: count('warning'), info: count('info'), fixable: findings.filter((f) => f.fix).length };
}

const lint = defineTool({
  name: 'lint',
  title: 'Lint the fork',
  description:
    'Check compose files, Dockerfiles, requirements, dbt, Dagster, Superset and Cube config against the platform rules. Returns findings with 1-based ranges; each fixable finding carries its fix as a unified diff. Like a local `duckstack lint`, it also judges this working copy (a missing .env: compose-env-missing) unless the CI environment variable is set. Read-only: nothing is written.',
  input: { paths: z.array(z.string()).optional().describe('files or folders relative to the fork (default: the whole fork)') },
  output: { findings: z.array(findingSchema), errors: z.array(z.string()), summary: z.object({ error: z.number(), warning: z.number(), info: z.number(), fixable: z.number() }) },
  changesState: false,
  needsTrust: false,
  annotations: { readOnlyHint: true },
  async run({ paths }, { root, env }) {
    const { findings, errors } = await lintFork(root, paths, env);
    const summary = lintSummary(findings);
    const text = `${findings.length} finding(s): ${summary.error} error, ${summary.warning} warning, ${summary.info} info; ${summary.fixable} with a fix.${errors.length ? ` ${errors.length} file(s) could not be read.` : ''}`;
    return outcome({ findings, errors, summary }, text, errors.length > 0 && findings.length === 0);
  },
});

const validate = defineTool({
  name: 'validate',
  title: 'Validate the platform',
  description:
    "The platform guide's Phase 1 checklist. Static checks (compose config, rules, golden versions, README) by default; runtime: true also reads the running services, their logs, UIs and data. Read-only: it never starts or restarts anything.",
  input: { runtime: z.boolean().optional().describe('also check the running stack and the data (default false)') },
  output: { ok: z.boolean(), checks: z.array(checkSchema), summary: z.object({ passed: z.number(), failed: z.number(), notChecked: z.number() }) },
  changesState: false,
  needsTrust: true,
  annotations: { readOnlyHint: true },
  async run({ runtime }, { root, env, signal }) {
    const report = await validatePlatform(root, { env, staticOnly: runtime !== true, ...(signal ? { signal } : {}) });
    const text = `${report.ok ? 'No check failed' : 'Some checks failed'}: ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.notChecked} not checked.`;
    const checks = report.checks.map((c) => (c.line === undefined ? c : { ...c, line: c.line + 1 }));
    return outcome({ ok: report.ok, checks, summary: report.summary }, text);
  },
});

const status = defineTool({
  name: 'status',
  title: 'Service status',
  description: 'Every compose service of the fork with its state, health and published ports, as Docker reports them. Read-only.',
  input: {},
  output: {
    reachable: z.boolean(),
    project: z.string(),
    services: z.array(z.object({ name: z.string(), state: z.string(), health: z.string().optional(), active: z.boolean(), ports: z.array(z.string()) })),
    problem: z.object({ cause: z.string(), remedy: z.string() }).optional(),
  },
  changesState: false,
  needsTrust: false,
  annotations: { readOnlyHint: true },
  async run(_input, { root, env }) {
    const project = await loadComposeProject(root, { processEnv: env });
    const unreachable = (projectName: string, cause: string, remedy: string, text: string) => outcome({ reachable: false, project: projectName, services: [], problem: { cause, remedy } }, text, true);
    if (project.files.length === 0) return unreachable(project.name, `No compose file in ${root}.`, 'Run it in a DuckStack fork.', `No compose file in ${root}.`);
    const read = await readStackStatusFromEnv(project, env);
    if (!read.reachable) return unreachable(read.project, read.problem.cause, read.problem.remedy, `Docker is not reachable: ${read.problem.cause}`);
    const services = read.services.map((s) => ({
      name: s.name,
      state: s.state,
      ...(s.health ? { health: s.health } : {}),
      active: s.active,
      ports: s.ports.map((p) => (p.published === undefined ? `${p.target}/${p.protocol}` : `${p.published}->${p.target}/${p.protocol}`)),
    }));
    return outcome({ reachable: true, project: read.project, services }, `${read.project}: ${read.summary.text}`);
  },
});

const doctor = defineTool({
  name: 'doctor',
  title: 'Diagnose services',
  description:
    "The platform guide's \"Service won't start\" troubleshooting for one service, or for every service that is not running and healthy: state history, health check output, error lines of its logs, blocking dependencies, host port conflicts, unset variables (names only), its image, its DuckDB files. Each finding is found / fine / not-checked with evidence and the next action. Read-only.",
  input: { service: z.string().optional().describe('one compose service (default: every service not running and healthy)') },
  output: {
    ok: z.boolean().describe('nothing was found'),
    project: z.string().optional(),
    notes: z.array(z.string()).describe('problems of the whole project, e.g. Docker not reachable'),
    services: z.array(
      z.object({
        service: z.string(),
        state: z.string(),
        problem: z.boolean(),
        findings: z.array(z.object({ area: z.enum(FINDING_AREAS as [string, ...string[]]), status: z.enum(['found', 'fine', 'not-checked']), reason: z.string(), evidence: z.array(z.string()), action: z.string().optional() })),
      }),
    ),
  },
  changesState: false,
  needsTrust: true,
  annotations: { readOnlyHint: true },
  async run({ service }, { root, env, signal }) {
    const report = await diagnose(root, { env, ...(service !== undefined ? { service } : {}), ...(signal ? { signal } : {}) });
    const found = report.services.filter((s) => s.problem).map((s) => s.service);
    const text = report.ok
      ? report.services.length === 0
        ? 'Every service is running and healthy: nothing to diagnose.'
        : 'Nothing found.'
      : `Problems found${found.length ? ` in ${found.join(', ')}` : ''}${report.notes.length ? `; ${report.notes.join(' ')}` : ''}.`;
    const unknownService = service !== undefined && report.services.length === 0 && report.notes.some((n) => n.startsWith(`No service ${service} `));
    return outcome({ ok: report.ok, ...(report.project ? { project: report.project } : {}), notes: report.notes, services: report.services }, text, unknownService);
  },
});

const catalog = defineTool({
  name: 'catalog',
  title: 'DuckDB catalog',
  description: "The fork's DuckDB databases with their schemas, tables, views and columns, read from a snapshot (the files are never opened or locked). Read-only.",
  input: {},
  output: {
    databases: z.array(
      z.object({
        name: z.string(),
        path: z.string(),
        role: z.string(),
        exists: z.boolean(),
        schemas: z.array(z.object({ name: z.string(), relations: z.array(z.object({ name: z.string(), kind: z.string(), columns: z.array(z.object({ name: z.string(), type: z.string() })) })) })).optional(),
        problem: problemSchema.optional(),
      }),
    ),
  },
  changesState: false,
  needsTrust: false,
  annotations: { readOnlyHint: true },
  async run(_input, { root, env, signal }) {
    const databases = [];
    for (const d of await findDatabases(root, { processEnv: env })) {
      const base = { name: d.name, path: d.path, role: d.role, exists: d.exists };
      if (!d.exists) {
        databases.push(base);
        continue;
      }
      const read = await readCatalog(d.path, { maxCopyBytes: DEFAULT_MAX_COPY_BYTES, ...(signal ? { signal } : {}) });
      if (!read.ok) databases.push({ ...base, problem: { kind: read.problem.kind, cause: read.problem.cause, remedy: read.problem.remedy } });
      else
        databases.push({
          ...base,
          schemas: read.catalog.schemas.map((s) => ({
            name: s.name,
            relations: s.relations.map((r) => ({ name: r.name, kind: r.kind, columns: r.columns.map((c) => ({ name: c.name, type: c.type })) })),
          })),
        });
    }
    return outcome({ databases }, `${databases.length} database(s): ${databases.map((d) => d.name).join(', ') || 'none'}.`);
  },
});

const query = defineTool({
  name: 'query',
  title: 'Read-only SQL',
  description: `Run read-only SQL on a snapshot of one of the fork's DuckDB databases. Writes, ATTACH, INSTALL and file or network access are refused by DuckDB. At most ${MAX_QUERY_ROWS} rows; a timeout stops the query.`,
  input: {
    sql: z.string(),
    database: z.string().optional().describe('a database file relative to the fork, or its name (default: the only existing one)'),
    limit: z.number().int().min(0).max(MAX_QUERY_ROWS).optional().describe(`rows to return (default ${DEFAULT_ROW_LIMIT})`),
    timeoutSeconds: z.number().positive().max(600).optional().describe(`default ${DEFAULT_TIMEOUT_MS / 1000}`),
  },
  output: {
    ok: z.boolean(),
    database: z.string().optional(),
    columns: z.array(z.object({ name: z.string(), type: z.string() })).optional(),
    rows: z.array(z.array(z.string().nullable())).optional(),
    truncated: z.boolean().optional(),
    cutRows: z.number().optional(),
    problem: problemSchema.optional(),
  },
  changesState: false,
  needsTrust: false,
  annotations: { readOnlyHint: true },
  async run({ sql, database, limit, timeoutSeconds }, { root, env, signal }) {
    const refuse = (cause: string, remedy: string) => outcome({ ok: false, problem: { kind: 'usage', cause, remedy } }, `${cause} ${remedy}`, true);
    const existing = (await findDatabases(root, { processEnv: env })).filter((d) => d.exists);
    let file: string | undefined;
    if (database !== undefined) {
      const full = path.resolve(root, database);
      file = existing.find((d) => d.name === database || d.path === full)?.path ?? (fs.statSync(full, { throwIfNoEntry: false })?.isFile() ? full : undefined);
      if (!file) return refuse(`No DuckDB database ${database} in the fork.`, `Use one of: ${existing.map((d) => relative(root, d.path)).join(', ') || 'none exists yet'}.`);
    } else if (existing.length === 1) file = existing[0].path;
    else return refuse(existing.length === 0 ? 'The fork has no existing DuckDB database.' : `The fork has ${existing.length} databases.`, existing.length === 0 ? 'Run the pipeline first.' : `Name one in "database": ${existing.map((d) => relative(root, d.path)).join(', ')}.`);
    const run = await runReadOnlyQuery(file, sql, { limit: limit ?? DEFAULT_ROW_LIMIT, timeoutMs: (timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000, maxCopyBytes: DEFAULT_MAX_COPY_BYTES, ...(signal ? { signal } : {}) });
    const db = relative(root, file);
    if (!run.ok) {
      const { kind, cause, remedy } = run.problem;
      return outcome({ ok: false, database: db, problem: { kind, cause, remedy } }, `${cause} ${remedy}`, true);
    }
    const r = run.result;
    return outcome({ ok: true, database: db, columns: r.columns, rows: r.rows, truncated: r.truncated, cutRows: r.cutRows }, `${r.rows.length} row(s)${r.truncated ? `, ${r.cutRows} more not shown` : ''}.`);
  },
});

const goldenVersions = defineTool({
  name: 'golden_versions',
  title: 'Golden versions',
  description: "The fork's golden_versions.md: the version every tool must be pinned to, with the rows that could not be read. Read-only.",
  input: {},
  output: {
    file: z.string().optional(),
    entries: z.array(z.object({ tool: z.string(), names: z.array(z.string()), version: z.string(), line: z.number().describe('1-based') })),
    problems: z.array(z.string()),
  },
  changesState: false,
  needsTrust: false,
  annotations: { readOnlyHint: true },
  async run(_input, { root }) {
    const parsed = await loadGoldenVersions(root);
    const file = parsed.golden.file;
    const entries = parsed.golden.entries.map((e) => ({ tool: e.tool, names: e.names, version: e.version, line: e.line + 1 }));
    const problems = parsed.problems.map((p) => p.message);
    const text = file ? `${entries.length} pinned tool(s) in ${relative(root, file)}.` : 'No golden_versions.md in the fork.';
    return outcome({ ...(file ? { file: relative(root, file) } : {}), entries, problems }, text, !file);
  },
});

/** Every rule id, the engine's own findings included. */
export const RULE_IDS: readonly string[] = [...allRules.map((r) => r.id), ...Object.keys(ENGINE_FINDINGS)];

const explainRule = defineTool({
  name: 'explain_rule',
  title: 'Explain a rule',
  description: 'What a platform rule checks, why, its default severity, whether it has a fix, and its documentation. Read-only.',
  input: { id: z.string().describe('rule id, e.g. compose-host-port-variable') },
  output: {
    id: z.string(),
    known: z.boolean(),
    description: z.string().optional(),
    defaultSeverity: z.string().optional(),
    fixable: z.boolean().optional(),
    documentation: z.string().optional(),
    uri: z.string().optional(),
    knownIds: z.array(z.string()).optional(),
  },
  changesState: false,
  needsTrust: false,
  annotations: { readOnlyHint: true },
  async run({ id }) {
    const rule = allRules.find((r) => r.id === id);
    const engine = Object.entries(ENGINE_FINDINGS).find(([k]) => k === id)?.[1];
    const meta = rule ? { description: rule.meta.description, defaultSeverity: rule.meta.defaultSeverity, fixable: rule.meta.fixable } : engine ? { description: engine.description, defaultSeverity: engine.defaultSeverity, fixable: false } : undefined;
    if (!meta) return outcome({ id, known: false, knownIds: [...RULE_IDS] }, `No rule ${id}. Known rules: ${RULE_IDS.join(', ')}.`, true);
    const documentation = ruleSection(readRulesDoc(), id);
    return outcome({ id, known: true, ...meta, ...(documentation ? { documentation } : {}), uri: `duckstack://rules/${id}` }, `${id} (${meta.defaultSeverity}): ${meta.description}${documentation ? `\n\n${documentation}` : ''}`);
  },
});

export const READ_TOOLS: readonly ToolDefinition[] = [lint, validate, status, doctor, catalog, query, goldenVersions, explainRule];
