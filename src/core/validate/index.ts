// validatePlatform: the platform guide's Phase 1 checklist and testing protocol as one run, with a
// report. Static checks first (they never touch the stack), then the runtime ones (optionally after
// a full restart), then the data flow, so the data is read after the pipeline's services are up.
// Never throws: whatever goes wrong becomes a check that failed or could not be run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadComposeProject, type ComposeProject } from '../compose/project';
import { dataChecks } from './data';
import { runtimeChecks } from './runtime';
import { staticChecks } from './static';
import { summarize, type Check, type CheckGroup, type ValidateOptions, type ValidationReport } from './types';

export * from './types';
export { formatReport, formatText, formatJson, formatJunit, type ReportFormat, REPORT_FORMATS } from './format';

export async function validatePlatform(dir: string, options: ValidateOptions = {}): Promise<ValidationReport> {
  const root = path.resolve(dir);
  const started = new Date();
  const env = options.env ?? process.env;
  const progress = (step: string): void => {
    try {
      options.onProgress?.(step);
    } catch {
      // A listener's failure must not stop the validation.
    }
  };
  const checks: Check[] = [];
  let project: ComposeProject | undefined;
  try {
    progress('Reading the compose file…');
    const loaded = await loadComposeProject(root, { processEnv: env });
    project = loaded.files.length > 0 ? loaded : undefined;
    checks.push(composeCheck(loaded));
    checks.push(...(await guarded('config', () => staticChecks(root, project, progress))));
    // Interpolation errors still leave a usable model: the engine is read by project name.
    if (options.staticOnly) {
      const reason = 'Static checks only: the runtime checks were not asked for.';
      checks.push({ id: 'services', title: 'Every service is running and healthy', group: 'services', status: 'not-checked', reason, evidence: [] });
      checks.push({ id: 'duckdb-databases', title: 'The DuckDB databases exist', group: 'data', status: 'not-checked', reason, evidence: [] });
    } else if (project && project.services.length > 0) {
      const loadedProject = project;
      checks.push(
        ...(await guarded('services', () =>
          runtimeChecks(loadedProject, {
            restart: options.restart === true,
            env,
            signal: options.signal,
            progress,
            httpTimeoutMs: options.httpTimeoutMs ?? 5000,
            logTail: options.logTail ?? 200,
            host: options.host ?? 'cli',
          }),
        )),
      );
    } else {
      checks.push({
        id: 'services',
        title: 'Every service is running and healthy',
        group: 'services',
        status: 'not-checked',
        reason: project ? 'The compose file declares no service.' : 'No compose file in the fork.',
        evidence: [],
      });
    }
    if (options.staticOnly) return report(root, project, started, options, checks);
    if (options.signal?.aborted) checks.push(cancelled('data', 'The data checks'));
    else checks.push(...(await guarded('data', () => dataChecks(root, env, progress))));
  } catch (e) {
    checks.push(internal('config', e));
  }
  return report(root, project, started, options, checks);
}

function report(root: string, project: ComposeProject | undefined, started: Date, options: ValidateOptions, checks: Check[]): ValidationReport {
  return {
    dir: root,
    ...(project ? { project: project.name } : {}),
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    restarted: options.restart === true,
    checks,
    summary: summarize(checks),
    ok: checks.every((c) => c.status !== 'fail'),
  };
}

function composeCheck(project: ComposeProject): Check {
  const base = { id: 'compose-config', title: 'The compose file loads', group: 'config' as const };
  if (project.files.length === 0) return { ...base, status: 'fail', reason: `No compose file (compose.yaml, docker-compose.yml) in ${project.dir}.`, evidence: [] };
  const file = project.files[0];
  if (project.errors.length > 0) {
    const errors = project.errors.map((e) => e.message);
    const missingEnv = project.errors.some((e) => e.code === 'required-variable') && !fs.existsSync(path.join(project.dir, '.env'));
    const hint = missingEnv ? ' There is no .env: copy .env.example to .env and fill in the secrets.' : '';
    return { ...base, file, status: 'fail', reason: `${errors.length} problem${errors.length === 1 ? '' : 's'} reading it.${hint}`, evidence: errors };
  }
  return { ...base, file, status: 'pass', reason: `Project ${project.name}: ${project.services.length} services in ${project.files.map((f) => path.basename(f)).join(', ')}.`, evidence: [] };
}

/** A part that throws (a bug) becomes one failed row; the other parts still run. */
async function guarded(part: CheckGroup, run: () => Promise<Check[]>): Promise<Check[]> {
  try {
    return await run();
  } catch (e) {
    return [internal(part, e)];
  }
}

function internal(part: CheckGroup, e: unknown): Check {
  return {
    id: `internal:${part}`,
    title: `The ${part} checks ran`,
    group: part,
    status: 'fail',
    reason: `DuckStack failed while checking: ${e instanceof Error ? e.message : String(e)}. Please report it.`,
    evidence: e instanceof Error && e.stack ? e.stack.split('\n').slice(0, 5) : [],
  };
}

function cancelled(group: CheckGroup, what: string): Check {
  return { id: `cancelled:${group}`, title: `${what} ran`, group, status: 'not-checked', reason: 'Cancelled.', evidence: [] };
}
