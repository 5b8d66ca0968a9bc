// `duckstack mcp`: the platform's read-only checks as Model Context Protocol tools, for coding
// assistants. A thin layer over the same engines as the CLI; every tool returns structured content
// that its output schema describes. Nothing here writes a file or changes the stack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { loadComposeProject } from '../compose/project';
import { openDockerEngine } from '../docker/engine';
import { readStackStatus } from '../docker/monitor';
import { findDatabases } from '../duckdb/discovery';
import { DEFAULT_MAX_COPY_BYTES, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT_MS, readCatalog, runReadOnlyQuery } from '../duckdb/reader';
import { findGoldenVersionsFile, loadGoldenVersions } from '../golden/golden';
import { readRegularFileSync } from '../files';
import { readRuleConfig } from '../lint/config';
import { ENGINE_FINDINGS, lintProject } from '../lint/engine';
import { groupByProject } from '../lint/root';
import type { Finding } from '../lint/types';
import { allRules } from '../rules/index';
import { validatePlatform } from '../validate';
import { applyEdits, unifiedDiff } from './diff';

export interface McpOptions {
  /** The fork the tools work on (absolute). */
  root: string;
  env: NodeJS.ProcessEnv;
  version: string;
}

const MAX_QUERY_ROWS = 10_000;

const position = z.object({ line: z.number().describe('1-based'), column: z.number().describe('1-based') });
const findingSchema = z.object({
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
  line: z.number().optional(),
  service: z.string().optional(),
});
const problemSchema = z.object({ kind: z.string(), cause: z.string(), remedy: z.string() });

/** Where DuckStack's own docs/rules.md is: the nearest ancestor of this module holding it (src/, out/src/, dist/). */
export function rulesDocFile(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules.md');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The `### <id>` section of docs/rules.md, without its heading; undefined when absent. */
export function ruleSection(doc: string, id: string): string | undefined {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === `### ${id}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^#{2,3} /.test(lines[end])) end++;
  return lines.slice(start + 1, end).join('\n').trim();
}

function result<T extends Record<string, unknown>>(structured: T, text: string, isError = false): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured, ...(isError ? { isError: true } : {}) };
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || path.basename(file);
}

/** A fix as a diff of the file; a value the fix moves to .env is masked, never shown. */
function fixDiff(root: string, finding: Finding, texts: ReadonlyMap<string, string>): { title: string; diff: string } | undefined {
  const fix = finding.fix;
  const text = texts.get(finding.file);
  if (!fix || text === undefined) return undefined;
  let diff = unifiedDiff(relative(root, finding.file), text, applyEdits(text, fix.edits));
  for (const secret of fix.secrets ?? []) if (secret.value) diff = diff.split(secret.value).join('***');
  const title = fix.secrets?.length ? `${fix.title} (the value is stored in .env first)` : fix.title;
  return { title, diff };
}

function readRulesDoc(): string {
  const file = rulesDocFile();
  const read = file ? readRegularFileSync(file) : undefined;
  if (!read?.ok) throw new Error(`docs/rules.md is missing from this DuckStack installation${read && !read.ok ? `: ${read.message}` : ''}`);
  return read.text;
}

export function createMcpServer(options: McpOptions): McpServer {
  const { root, env } = options;
  const server = new McpServer(
    { name: 'duckstack', version: options.version },
    {
      instructions:
        'DuckStack checks a DuckDB + dbt + Dagster + Superset platform fork against its platform guide. All tools are read-only: lint returns fixes as diffs and writes nothing.',
    },
  );
  const inside = (p: string): string => path.resolve(root, p);

  server.registerTool(
    'lint',
    {
      title: 'Lint the fork',
      description:
        'Check compose files, Dockerfiles, requirements, dbt, Dagster, Superset and Cube config against the platform rules. Returns findings with 1-based ranges; each fixable finding carries its fix as a unified diff. Read-only: nothing is written.',
      inputSchema: { paths: z.array(z.string()).optional().describe('files or folders relative to the fork (default: the whole fork)') },
      outputSchema: { findings: z.array(findingSchema), errors: z.array(z.string()), summary: z.object({ error: z.number(), warning: z.number(), info: z.number(), fixable: z.number() }) },
      annotations: { readOnlyHint: true },
    },
    async ({ paths }) => {
      const findings: z.infer<typeof findingSchema>[] = [];
      const errors: string[] = [];
      for (const group of groupByProject(root, (paths ?? []).map(inside))) {
        const rules = readRuleConfig(group.root);
        if (typeof rules === 'string') {
          errors.push(rules);
          continue;
        }
        const lint = await lintProject(group.root, { ruleSet: allRules, rules, paths: group.paths });
        const texts = new Map(lint.files.map((f) => [f.file, f.text]));
        for (const f of lint.findings) {
          const fix = fixDiff(root, f, texts);
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
      const count = (s: string): number => findings.filter((f) => f.severity === s).length;
      const summary = { error: count('error'), warning: count('warning'), info: count('info'), fixable: findings.filter((f) => f.fix).length };
      const text = `${findings.length} finding(s): ${summary.error} error, ${summary.warning} warning, ${summary.info} info; ${summary.fixable} with a fix.${errors.length ? ` ${errors.length} file(s) could not be read.` : ''}`;
      return result({ findings, errors, summary }, text, errors.length > 0 && findings.length === 0);
    },
  );

  server.registerTool(
    'validate',
    {
      title: 'Validate the platform',
      description:
        "The platform guide's Phase 1 checklist. Static checks (compose config, rules, golden versions, README) by default; runtime: true also reads the running services, their logs, UIs and data (never restarts anything).",
      inputSchema: { runtime: z.boolean().optional().describe('also check the running stack and the data (default false)') },
      outputSchema: { ok: z.boolean(), checks: z.array(checkSchema), summary: z.object({ passed: z.number(), failed: z.number(), notChecked: z.number() }) },
      annotations: { readOnlyHint: true },
    },
    async ({ runtime }) => {
      const report = await validatePlatform(root, { env, staticOnly: runtime !== true });
      const text = `${report.ok ? 'No check failed' : 'Some checks failed'}: ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.notChecked} not checked.`;
      return result({ ok: report.ok, checks: report.checks, summary: report.summary }, text);
    },
  );

  server.registerTool(
    'status',
    {
      title: 'Service status',
      description: 'Every compose service of the fork with its state, health and published ports, as Docker reports them. Read-only.',
      inputSchema: {},
      outputSchema: {
        reachable: z.boolean(),
        project: z.string(),
        services: z.array(z.object({ name: z.string(), state: z.string(), health: z.string().optional(), active: z.boolean(), ports: z.array(z.string()) })),
        problem: z.object({ cause: z.string(), remedy: z.string() }).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async () => {
      const project = await loadComposeProject(root, { processEnv: env });
      if (project.files.length === 0) return result({ reachable: false, project: project.name, services: [], problem: { cause: `No compose file in ${root}.`, remedy: 'Run it in a DuckStack fork.' } }, `No compose file in ${root}.`, true);
      const opened = await openDockerEngine(env);
      if (!opened.ok) return result({ reachable: false, project: project.name, services: [], problem: { cause: opened.problem.cause, remedy: opened.problem.remedy } }, `Docker is not reachable: ${opened.problem.cause}`, true);
      const status = await readStackStatus(opened.engine, project);
      if (!status.reachable) return result({ reachable: false, project: status.project, services: [], problem: { cause: status.problem.cause, remedy: status.problem.remedy } }, `Docker is not reachable: ${status.problem.cause}`, true);
      const services = status.services.map((s) => ({
        name: s.name,
        state: s.state,
        ...(s.health ? { health: s.health } : {}),
        active: s.active,
        ports: s.ports.map((p) => (p.published === undefined ? `${p.target}/${p.protocol}` : `${p.published}->${p.target}/${p.protocol}`)),
      }));
      return result({ reachable: true, project: status.project, services }, `${status.project}: ${status.summary.text}`);
    },
  );

  server.registerTool(
    'catalog',
    {
      title: 'DuckDB catalog',
      description: "The fork's DuckDB databases with their schemas, tables, views and columns, read from a snapshot (the files are never opened or locked).",
      inputSchema: {},
      outputSchema: {
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
      annotations: { readOnlyHint: true },
    },
    async () => {
      const databases = [];
      for (const d of await findDatabases(root, { processEnv: env })) {
        const base = { name: d.name, path: d.path, role: d.role, exists: d.exists };
        if (!d.exists) {
          databases.push(base);
          continue;
        }
        const read = await readCatalog(d.path, { maxCopyBytes: DEFAULT_MAX_COPY_BYTES });
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
      return result({ databases }, `${databases.length} database(s): ${databases.map((d) => d.name).join(', ') || 'none'}.`);
    },
  );

  server.registerTool(
    'query',
    {
      title: 'Read-only SQL',
      description: `Run read-only SQL on a snapshot of one of the fork's DuckDB databases. Writes, ATTACH, INSTALL and file or network access are refused by DuckDB. At most ${MAX_QUERY_ROWS} rows; a timeout stops the query.`,
      inputSchema: {
        sql: z.string(),
        database: z.string().optional().describe('a database file relative to the fork, or its name (default: the only existing one)'),
        limit: z.number().int().min(0).max(MAX_QUERY_ROWS).optional().describe(`rows to return (default ${DEFAULT_ROW_LIMIT})`),
        timeoutSeconds: z.number().positive().max(600).optional().describe(`default ${DEFAULT_TIMEOUT_MS / 1000}`),
      },
      outputSchema: {
        ok: z.boolean(),
        database: z.string().optional(),
        columns: z.array(z.object({ name: z.string(), type: z.string() })).optional(),
        rows: z.array(z.array(z.string().nullable())).optional(),
        truncated: z.boolean().optional(),
        cutRows: z.number().optional(),
        problem: problemSchema.optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ sql, database, limit, timeoutSeconds }) => {
      const refuse = (cause: string, remedy: string): CallToolResult => result({ ok: false, problem: { kind: 'usage', cause, remedy } }, `${cause} ${remedy}`, true);
      const existing = (await findDatabases(root, { processEnv: env })).filter((d) => d.exists);
      let file: string | undefined;
      if (database !== undefined) {
        const full = inside(database);
        file = existing.find((d) => d.name === database || d.path === full)?.path ?? (fs.statSync(full, { throwIfNoEntry: false })?.isFile() ? full : undefined);
        if (!file) return refuse(`No DuckDB database ${database} in the fork.`, `Use one of: ${existing.map((d) => relative(root, d.path)).join(', ') || 'none exists yet'}.`);
      } else if (existing.length === 1) file = existing[0].path;
      else return refuse(existing.length === 0 ? 'The fork has no existing DuckDB database.' : `The fork has ${existing.length} databases.`, existing.length === 0 ? 'Run the pipeline first.' : `Name one in "database": ${existing.map((d) => relative(root, d.path)).join(', ')}.`);
      const outcome = await runReadOnlyQuery(file, sql, { limit: limit ?? DEFAULT_ROW_LIMIT, timeoutMs: (timeoutSeconds ?? DEFAULT_TIMEOUT_MS / 1000) * 1000, maxCopyBytes: DEFAULT_MAX_COPY_BYTES });
      const db = relative(root, file);
      if (!outcome.ok) {
        const { kind, cause, remedy } = outcome.problem;
        return result({ ok: false, database: db, problem: { kind, cause, remedy } }, `${cause} ${remedy}`, true);
      }
      const r = outcome.result;
      return result({ ok: true, database: db, columns: r.columns, rows: r.rows, truncated: r.truncated, cutRows: r.cutRows }, `${r.rows.length} row(s)${r.truncated ? `, ${r.cutRows} more not shown` : ''}.`);
    },
  );

  server.registerTool(
    'golden_versions',
    {
      title: 'Golden versions',
      description: "The fork's golden_versions.md: the version every tool must be pinned to, with the rows that could not be read.",
      inputSchema: {},
      outputSchema: {
        file: z.string().optional(),
        entries: z.array(z.object({ tool: z.string(), names: z.array(z.string()), version: z.string(), line: z.number().describe('1-based') })),
        problems: z.array(z.string()),
      },
      annotations: { readOnlyHint: true },
    },
    async () => {
      const parsed = await loadGoldenVersions(root);
      const file = parsed.golden.file;
      const entries = parsed.golden.entries.map((e) => ({ tool: e.tool, names: e.names, version: e.version, line: e.line + 1 }));
      const problems = parsed.problems.map((p) => p.message);
      const text = file ? `${entries.length} pinned tool(s) in ${relative(root, file)}.` : 'No golden_versions.md in the fork.';
      return result({ ...(file ? { file: relative(root, file) } : {}), entries, problems }, text, !file);
    },
  );

  const ruleIds = [...allRules.map((r) => r.id), ...Object.keys(ENGINE_FINDINGS)];
  server.registerTool(
    'explain_rule',
    {
      title: 'Explain a rule',
      description: 'What a platform rule checks, why, its default severity, whether it has a fix, and its documentation.',
      inputSchema: { id: z.string().describe('rule id, e.g. compose-host-port-variable') },
      outputSchema: {
        id: z.string(),
        known: z.boolean(),
        description: z.string().optional(),
        defaultSeverity: z.string().optional(),
        fixable: z.boolean().optional(),
        documentation: z.string().optional(),
        uri: z.string().optional(),
        knownIds: z.array(z.string()).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    async ({ id }) => {
      const rule = allRules.find((r) => r.id === id);
      const engine = Object.entries(ENGINE_FINDINGS).find(([k]) => k === id)?.[1];
      const meta = rule ? { description: rule.meta.description, defaultSeverity: rule.meta.defaultSeverity, fixable: rule.meta.fixable } : engine ? { description: engine.description, defaultSeverity: engine.defaultSeverity, fixable: false } : undefined;
      if (!meta) return result({ id, known: false, knownIds: ruleIds }, `No rule ${id}. Known rules: ${ruleIds.join(', ')}.`, true);
      const documentation = ruleSection(readRulesDoc(), id);
      return result({ id, known: true, ...meta, ...(documentation ? { documentation } : {}), uri: `duckstack://rules/${id}` }, `${id} (${meta.defaultSeverity}): ${meta.description}${documentation ? `\n\n${documentation}` : ''}`);
    },
  );

  server.registerResource('rules', 'duckstack://rules', { title: 'DuckStack rules', description: "Every platform rule: what it checks and how to fix it (docs/rules.md).", mimeType: 'text/markdown' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/markdown', text: readRulesDoc() }],
  }));
  server.registerResource(
    'rule',
    new ResourceTemplate('duckstack://rules/{id}', { list: async () => ({ resources: ruleIds.map((id) => ({ uri: `duckstack://rules/${id}`, name: id, mimeType: 'text/markdown' })) }) }),
    { title: 'One DuckStack rule', description: 'The documentation of one rule.', mimeType: 'text/markdown' },
    async (uri, { id }) => {
      const section = ruleSection(readRulesDoc(), String(id));
      if (section === undefined) throw new Error(`No rule ${String(id)} in docs/rules.md.`);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `### ${String(id)}\n${section}\n` }] };
    },
  );
  server.registerResource('golden_versions', 'duckstack://golden_versions.md', { title: 'Golden versions', description: "The fork's golden_versions.md.", mimeType: 'text/markdown' }, async (uri) => {
    const file = findGoldenVersionsFile(root);
    const read = file ? readRegularFileSync(file) : undefined;
    if (!read?.ok) throw new Error(file ? `${file}: ${read && !read.ok ? read.message : 'unreadable'}` : `No golden_versions.md in ${root}.`);
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: read.text }] };
  });
  return server;
}
