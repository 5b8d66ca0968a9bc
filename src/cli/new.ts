// `duckstack new <dir> [--name N] [--without cube,jupyter] [--port service=N] [--demo-data] [--env] [--allow-nonempty]`
import * as path from 'node:path';
import { createEnvFromExample, describeCreatedEnv } from '../core/env/create';
import { escapeControl, shellQuote } from '../core/terminal';
import { ExitCode, type CliCommand } from './io';
import {
  buildDemoDatabases,
  checkPortsInUse,
  IGNORED_ENTRIES,
  DEV_DATABASE,
  RAW_DATABASE,
  isOptionalService,
  OPTIONAL_SERVICES,
  planScaffold,
  PORT_SERVICES,
  writeScaffold,
  type OptionalService,
  type ScaffoldOptions,
} from '../core/scaffold';
import { withOrigin } from '../core/fork/origin';

const USAGE = [
  'Usage: duckstack new <dir> [--name N] [--without cube,jupyter] [--port service=N]... [--demo-data] [--env] [--allow-nonempty]',
  '',
  `Creates a platform fork in <dir>: a new or empty folder (one holding only ${IGNORED_ENTRIES.join(', ')} counts as empty).`,
  'Nothing is ever overwritten, and a failed run leaves nothing behind.',
  `  --name N           compose project name (default: from the folder name)`,
  `  --without LIST     leave out optional services: ${OPTIONAL_SERVICES.join(', ')}`,
  `  --port service=N   host port; services: ${Object.entries(PORT_SERVICES).map(([s, p]) => `${s} (${p.defaultPort})`).join(', ')}`,
  '  --demo-data        also build raw.duckdb and dev.duckdb from the sample data (DuckDB only, no Docker)',
  '  --env              also create .env from .env.example (as duckstack env create): the platform\'s secrets generated, git-ignored, mode 600',
  '  --allow-nonempty   write into a folder that holds other files too (they are kept; none is overwritten)',
  '',
].join('\n');

type Parsed = { ok: true; options: ScaffoldOptions; demoData: boolean; env: boolean } | { ok: false; message: string };

function parseArgs(args: string[], cwd: string): Parsed {
  let dir: string | undefined;
  const options: Omit<ScaffoldOptions, 'dir'> = {};
  const ports: Record<string, number> = {};
  const without: OptionalService[] = [];
  let demoData = false;
  let env = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--name') {
      const v = value();
      if (v === undefined) return { ok: false, message: '--name needs a value' };
      options.projectName = v;
    } else if (flag === '--without') {
      const v = value();
      if (v === undefined) return { ok: false, message: '--without needs a list' };
      for (const name of v.split(',').map((s) => s.trim()).filter(Boolean)) {
        if (!isOptionalService(name)) return { ok: false, message: `--without: unknown service '${name}' (use ${OPTIONAL_SERVICES.join(', ')})` };
        without.push(name);
      }
    } else if (flag === '--port') {
      const v = value();
      const m = v === undefined ? null : /^([a-z_]+)=(.*)$/.exec(v);
      if (!m) return { ok: false, message: '--port needs service=N, e.g. --port dagster=3001' };
      // Kept as typed so validation can report "abc" or "3.5" exactly.
      const port = /^\d+$/.test(m[2]) ? Number(m[2]) : NaN;
      if (Number.isNaN(port)) return { ok: false, message: `--port ${m[1]}: '${m[2]}' is not a whole number` };
      ports[m[1]] = port;
    } else if (arg === '--demo-data') {
      demoData = true;
    } else if (arg === '--env') {
      env = true;
    } else if (arg === '--allow-nonempty') {
      options.allowNonEmpty = true;
    } else if (arg.startsWith('-')) {
      return { ok: false, message: `unknown option '${arg}'` };
    } else if (dir === undefined) {
      dir = arg;
    } else {
      return { ok: false, message: `unexpected argument '${arg}'` };
    }
  }
  if (dir === undefined) return { ok: false, message: 'missing <dir>' };
  return { ok: true, options: { ...options, dir: path.resolve(cwd, dir), ports, without }, demoData, env };
}

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const parsed = parseArgs(args, io.cwd);
  if (!parsed.ok) {
    io.err(`duckstack new: ${parsed.message}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  // The origin record (.duckstack/) lets `duckstack update` merge later template changes.
  const plan = withOrigin(planScaffold(parsed.options));
  if (plan.problems.length > 0) {
    const hint = plan.unrelated.length > 0 && !parsed.options.allowNonEmpty
      ? `  Pick a new folder, or pass --allow-nonempty to write beside them (nothing is overwritten).\n`
      : '';
    io.err(`duckstack new: nothing was written.\n${plan.problems.map((p) => `  ${p}`).join('\n')}\n${hint}`);
    return ExitCode.usage;
  }
  const result = await writeScaffold(plan);
  if (!result.ok) {
    io.err(`duckstack new: ${result.message}\n`);
    return ExitCode.usage;
  }
  const enabledPorts = Object.fromEntries(
    Object.entries(plan.options.ports).filter(([service]) => !isOptionalService(service) || plan.options.enabled[service]),
  );
  const warnings = await checkPortsInUse(enabledPorts);
  io.out(`Created ${escapeControl(plan.options.projectName)} in ${escapeControl(plan.dir)} (${result.written.length} files).\n`);
  for (const w of warnings) io.out(`warning: ${w} Change it in .env.\n`);
  if (parsed.env) {
    const created = await createEnvFromExample(plan.dir);
    if (!created.ok) {
      io.err(`duckstack new: the fork was written, but .env was not: ${created.reason}\n`);
      return ExitCode.usage;
    }
    io.out(`${escapeControl(describeCreatedEnv(created))}\n`);
    if (created.gitignore) io.out(`${created.gitignore}\n`);
  }
  if (parsed.demoData) {
    const demo = await buildDemoDatabases(plan.dir);
    if (!demo.ok) {
      io.err(`duckstack new: the fork was written, but the demo databases failed: ${demo.message}\n`);
      return ExitCode.usage;
    }
    io.out(`Demo databases: ${demo.tables.length} tables in ${RAW_DATABASE} and ${DEV_DATABASE}.\n`);
  }
  io.out(
    [
      '',
      'Next steps:',
      // Quoted for the shell: a folder named "my fork" or "a;b" must paste as one argument.
      `  cd ${shellQuote(relativeOrAbsolute(io.cwd, plan.dir))}`,
      ...(parsed.env ? [] : ['  duckstack env create    # .env from .env.example, its secrets generated']),
      '  python3 scripts/validate_setup.py --static',
      '  docker compose up -d --build',
      '',
    ].join('\n'),
  );
  return ExitCode.ok;
};

function relativeOrAbsolute(from: string, to: string): string {
  const rel = path.relative(from, to);
  return rel === '' ? '.' : rel.startsWith('..') ? to : rel;
}
