import type { CliCommand, CliIo } from './cli/io';
import { ExitCode } from './cli/io';
import { version as VERSION } from '../package.json';

// Each subcommand lives in src/cli/<name>.ts and is loaded only when asked for, so
// `duckstack lint` never pays for DuckDB or dockerode.
const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  new: { summary: 'create a platform fork from the templates in a new folder', load: async () => (await import('./cli/new.js')).run },
  env: { summary: 'create .env from .env.example: the platform\'s secrets generated, never overwritten (env create)', load: async () => (await import('./cli/env.js')).run },
  status: { summary: 'show every compose service with state, health and ports', load: async () => (await import('./cli/status.js')).run },
  up: { summary: 'start the platform, or one service (docker compose up -d --wait)', load: async () => (await import('./cli/stack.js')).up },
  down: { summary: 'stop the platform (docker compose down), or one service', load: async () => (await import('./cli/stack.js')).down },
  restart: { summary: 'full restart (down, then up), or restart one service', load: async () => (await import('./cli/stack.js')).restart },
  catalog: { summary: 'list DuckDB databases with schemas, tables and columns (read-only)', load: async () => (await import('./cli/catalog.js')).run },
  query: { summary: 'run read-only SQL on a snapshot of a DuckDB database, with a timeout', load: async () => (await import('./cli/query.js')).run },
  lint: { summary: 'check config against the platform rules', load: async () => (await import('./cli/lint.js')).run },
  doctor: { summary: 'why a service won’t start: state, health, logs, dependencies, ports, environment, image', load: async () => (await import('./cli/doctor.js')).run },
  validate: { summary: 'run the Phase 1 checklist: services, logs, UIs, data, config, README', load: async () => (await import('./cli/validate.js')).run },
  update: { summary: 'merge template changes into this fork (3-way, conflicts marked), then show their impact', load: async () => (await import('./cli/update.js')).run },
  upgrade: { summary: 'upgrade a golden_versions.md row and every pin of it; never a downgrade', load: async () => (await import('./cli/upgrade.js')).run },
  mcp: { summary: 'serve the checks to a coding assistant over the Model Context Protocol (stdio); --allow-changes adds up, restart and apply_fixes', load: async () => (await import('./cli/mcp.js')).run },
  impact: { summary: 'what a fork made at a git ref must do to take the changes since (markdown or JSON)', load: async () => (await import('./cli/impact.js')).run },
};


function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return ['Usage: duckstack <command> [options]', '', 'Commands:', ...lines, '', 'Options: --help, --version', ''].join('\n');
}

export async function cli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name === undefined ? ExitCode.usage : ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${VERSION}\n`);
    return ExitCode.ok;
  }
  const command = commands[name];
  if (!command) {
    io.err(`duckstack: unknown command '${name}'\n\n${usage()}`);
    return ExitCode.usage;
  }
  try {
    return await (await command.load())(rest, io);
  } catch (e) {
    io.err(`duckstack ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.usage;
  }
}

if (require.main === module) {
  // `duckstack catalog | head` closes stdout early: stop quietly, as other CLIs do.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  const io: CliIo = {
    cwd: process.cwd(),
    env: process.env,
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  };
  void cli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
