// The tools that change state: start and restart the stack or one service, and apply the lint
// fixes. Off by default: `duckstack mcp` offers them only with --allow-changes, and VS Code asks
// the user before each run. Each says so in its description.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { loadComposeProject } from '../compose/project';
import { ComposeRunner, detectComposeCli, type ComposeResult, type RunOptions } from '../docker/compose-cli';
import { readStackStatusFromEnv } from '../docker/monitor';
import { createEnvFiles } from '../env/create';
import { inCi } from '../lint/ci';
import { readRuleConfig } from '../lint/config';
import { lintProject, type LintOptions } from '../lint/engine';
import { fixFiles } from '../lint/fixFiles';
import { groupByProject } from '../lint/root';
import { allRules } from '../rules/index';
import { printableLog, shellQuote } from '../terminal';
import { unifiedDiff } from './diff';
import { lintSummary, maskSecrets, relative, RULE_IDS } from './read';
import { defineTool, outcome, type ToolContext, type ToolDefinition, type ToolOutcome } from './types';

export const CHANGES_NOTE = 'Changes state: offered over MCP only when `duckstack mcp` runs with --allow-changes; VS Code asks the user first.';
const DEFAULT_COMPOSE_TIMEOUT_S = 600;
const OUTPUT_LINES = 40;

const composeInput = {
  service: z.string().optional().describe('one compose service (default: the whole platform)'),
  timeoutSeconds: z.number().int().positive().max(3600).optional().describe(`compose is stopped after this long (default ${DEFAULT_COMPOSE_TIMEOUT_S})`),
};
const composeOutput = {
  ok: z.boolean(),
  commands: z.array(z.string()).describe('the compose commands run, in order'),
  output: z.array(z.string()).describe(`the last ${OUTPUT_LINES} lines compose wrote`),
  timedOut: z.boolean().optional(),
  cancelled: z.boolean().optional(),
  failure: z.object({ kind: z.string(), cause: z.string(), remedy: z.string() }).optional(),
  services: z.array(z.object({ name: z.string(), state: z.string() })).optional().describe('every service after the run'),
};

type Act = (runner: ComposeRunner, service: string | undefined, options: RunOptions) => Promise<ComposeResult>;

async function runCompose(verb: string, act: Act, input: { service?: string; timeoutSeconds?: number }, ctx: ToolContext): Promise<ToolOutcome> {
  const { root, env } = ctx;
  const refuse = (cause: string): ToolOutcome => outcome({ ok: false, commands: [], output: [], failure: { kind: 'usage', cause, remedy: 'Run it in a DuckStack fork with a compose file, and name one of its services.' } }, cause, true);
  const project = await loadComposeProject(root, { processEnv: env });
  if (project.files.length === 0) return refuse(`No compose file in ${root}.`);
  if (input.service !== undefined && !project.services.some((s) => s.name === input.service)) return refuse(`No service ${input.service} in the project; its services: ${project.services.map((s) => s.name).join(', ')}.`);
  const detected = await detectComposeCli(env);
  if (!detected.ok) return refuse(detected.message);

  const commands: string[] = [];
  const output: string[] = [];
  const runner = new ComposeRunner(detected.cli, project, env, { onCommand: (shown) => commands.push(shown.map((a) => shellQuote(a)).join(' ')) });
  const seconds = input.timeoutSeconds ?? DEFAULT_COMPOSE_TIMEOUT_S;
  const timeout = AbortSignal.timeout(seconds * 1000);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  const result = await act(runner, input.service, {
    signal,
    onLine: (line) => {
      output.push(printableLog(line.text));
      if (output.length > OUTPUT_LINES) output.shift();
    },
  });
  const services = await servicesAfter(root, env);
  const target = input.service ?? project.name;
  if (result.ok) return outcome({ ok: true, commands, output, ...(services ? { services } : {}) }, `${verb} ${target}: done.${services ? ` ${services.map((s) => `${s.name} ${s.state}`).join(', ')}.` : ''}`);
  const timedOut = result.cancelled && timeout.aborted;
  const text = timedOut
    ? `${verb} ${target}: stopped after ${seconds} s (timeout); compose was interrupted, so some containers may be half started. Call status or doctor.`
    : result.cancelled
      ? `${verb} ${target}: cancelled; compose was interrupted.`
      : `${verb} ${target} failed: ${result.failure ? `${result.failure.cause} ${result.failure.remedy}` : result.reason}`;
  const failure = result.failure ? { kind: result.failure.kind, cause: result.failure.cause, remedy: result.failure.remedy } : undefined;
  return outcome({ ok: false, commands, output, ...(timedOut ? { timedOut } : {}), ...(result.cancelled ? { cancelled: true } : {}), ...(failure ? { failure } : {}), ...(services ? { services } : {}) }, text, true);
}

async function servicesAfter(root: string, env: NodeJS.ProcessEnv): Promise<Array<{ name: string; state: string }> | undefined> {
  const project = await loadComposeProject(root, { processEnv: env });
  const read = await readStackStatusFromEnv(project, env);
  return read.reachable ? read.services.map((s) => ({ name: s.name, state: s.state })) : undefined;
}

const up = defineTool({
  name: 'up',
  title: 'Start the platform',
  description: `Start the platform, or one service with its dependencies: \`docker compose up -d --wait\` (creates and starts containers, builds missing images, waits until healthy). Returns the commands run, compose's last output lines, the failure explained, and every service's state after. ${CHANGES_NOTE}`,
  input: composeInput,
  output: composeOutput,
  changesState: true,
  needsTrust: true,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  confirm: ({ service }, { root }) => ({
    title: service ? `Start ${service}` : 'Start the platform',
    message: `Runs \`docker compose up -d --wait${service ? ` ${service}` : ''}\` in \`${root}\`: creates and starts ${service ? `${service} and the services it depends on` : 'every service'}, building images that are missing. \`docker compose down\` stops it again.`,
  }),
  run: (input, ctx) => runCompose('Start', (runner, service, options) => (service ? runner.startService(service, options) : runner.up(options)), input, ctx),
});

const restart = defineTool({
  name: 'restart',
  title: 'Restart the platform',
  description: `Restart one service (\`docker compose restart\`), or the whole platform as the guide's testing protocol does: \`docker compose down\`, then \`up -d --wait\`. Every service stops during a full restart; named volumes and DuckDB files are kept. Returns the commands run, compose's output, the failure explained, and every service's state after. ${CHANGES_NOTE}`,
  input: composeInput,
  output: composeOutput,
  changesState: true,
  needsTrust: true,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  confirm: ({ service }, { root }) => ({
    title: service ? `Restart ${service}` : 'Restart the platform',
    message: service
      ? `Runs \`docker compose restart ${service}\` in \`${root}\`: ${service} stops and starts again.`
      : `Runs \`docker compose down\`, then \`docker compose up -d --wait\` in \`${root}\`: every service stops and its container is recreated. Named volumes and DuckDB files are kept.`,
  }),
  run: (input, ctx) => runCompose('Restart', (runner, service, options) => (service ? runner.restartService(service, options) : runner.restartStack(options)), input, ctx),
});

const applyFixes = defineTool({
  name: 'apply_fixes',
  title: 'Apply lint fixes',
  description: `Apply the fixes of the lint findings (as \`duckstack lint --fix\` does) to the given files or the whole fork, optionally only of some rules. Each file is rewritten atomically; a file that is not UTF-8 is never rewritten; a literal secret a fix removes is moved to .env first (mode 600, git-ignored; its value is never returned); outside CI, a missing .env that a compose file needs (compose-env-missing) is created from .env.example with freshly generated secrets (names only are returned) and never overwritten. Returns each changed file as a unified diff and what is left. ${CHANGES_NOTE}`,
  input: {
    paths: z.array(z.string()).optional().describe('files or folders relative to the fork (default: the whole fork)'),
    rules: z.array(z.string()).optional().describe('apply only the fixes of these rule ids (default: every fix)'),
  },
  output: {
    ok: z.boolean(),
    changed: z.array(z.object({ file: z.string(), diff: z.string() })),
    notes: z.array(z.string()).describe('.env created from .env.example and secrets moved to .env (names only), .gitignore changes, secrets left in place'),
    errors: z.array(z.string()),
    remaining: z.object({ error: z.number(), warning: z.number(), info: z.number(), fixable: z.number() }).describe('findings left after the fixes'),
  },
  changesState: true,
  needsTrust: true,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  confirm: ({ paths, rules }, { root }) => ({
    title: 'Apply DuckStack fixes',
    message: `Rewrites the files of ${paths?.length ? paths.map((p) => `\`${p}\``).join(', ') : `\`${root}\``} that have fixable findings${rules?.length ? ` of ${rules.map((r) => `\`${r}\``).join(', ')}` : ''}, each atomically. A literal secret moves to \`.env\` first; a missing \`.env\` is created from \`.env.example\`. Review the result with \`git diff\`.`,
  }),
  async run({ paths, rules: only }, { root, env }) {
    const unknown = (only ?? []).filter((id) => !RULE_IDS.includes(id));
    if (unknown.length > 0) return outcome({ ok: false, changed: [], notes: [], errors: [`No rule ${unknown.join(', ')}.`], remaining: { error: 0, warning: 0, info: 0, fixable: 0 } }, `No rule ${unknown.join(', ')}. Known rules: ${RULE_IDS.join(', ')}.`, true);
    const changed: Array<{ file: string; diff: string }> = [];
    const notes: string[] = [];
    const errors: string[] = [];
    const remainingFindings: Array<{ severity: string; fix?: unknown }> = [];
    for (const group of groupByProject(root, (paths ?? []).map((p) => path.resolve(root, p)))) {
      const config = readRuleConfig(group.root);
      if (typeof config === 'string') {
        errors.push(config);
        continue;
      }
      const ruleSettings = only ? { ...config, ...Object.fromEntries(RULE_IDS.filter((id) => !only.includes(id)).map((id) => [id, 'off' as const])) } : config;
      // As lint: the working copy (a missing .env) is judged unless env says CI.
      const options: LintOptions & { paths: string[] } = { ruleSet: allRules, rules: ruleSettings, paths: group.paths, workingCopy: !inCi(env) };
      const before = await lintProject(group.root, options);
      const fixable = before.findings.filter((f) => f.fix);
      const texts = new Map(before.files.map((f) => [f.file, f.text]));
      // compose-env-missing, as `duckstack lint --fix`: .env from the example first (its values never
      // returned), before any fix puts a secret into it.
      const created = await createEnvFiles(fixable, root);
      notes.push(...created.notes.map(printableLog));
      errors.push(...created.errors);
      // Each file is fixed as the kind its lint gave it.
      const kinds = new Map(before.files.map((f) => [f.file, f.kind]));
      const toFix = new Map(fixable.flatMap((f) => {
        const kind = f.fix?.createEnv ? undefined : kinds.get(f.file);
        return kind ? [[f.file, kind] as const] : [];
      }));
      const fixed = await fixFiles(toFix, before.project, options);
      for (const file of fixed.fixed) {
        const after = fs.readFileSync(file, 'utf8');
        changed.push({ file: relative(root, file), diff: maskSecrets(unifiedDiff(relative(root, file), texts.get(file) ?? '', after), fixable) });
      }
      notes.push(...fixed.notes.map(printableLog));
      errors.push(...fixed.errors, ...before.errors);
      const after = await lintProject(group.root, { ...options, rules: config });
      remainingFindings.push(...after.findings);
    }
    const remaining = lintSummary(remainingFindings);
    const text = `${changed.length} file(s) fixed${changed.length ? `: ${changed.map((c) => c.file).join(', ')}` : ''}. Left: ${remaining.error} error, ${remaining.warning} warning, ${remaining.info} info (${remaining.fixable} fixable).${errors.length ? ` ${errors.length} error(s).` : ''}`;
    return outcome({ ok: errors.length === 0, changed, notes, errors, remaining }, text, errors.length > 0);
  },
});

export const CHANGE_TOOLS: readonly ToolDefinition[] = [up, restart, applyFixes];
