// `duckstack up | down | restart [service] [dir]`: drive compose the way the VS Code commands do,
// streaming compose's output. Without a service, restart is the platform guide's full restart
// (down, then up).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadComposeProject } from '../core/compose/project';
import { ComposeRunner, detectComposeCli, type ComposeResult, type RunOptions } from '../core/docker/compose-cli';
import { withDependencies, withWaitFailures } from '../core/docker/wait-failure';
import { printableLog } from '../core/terminal';
import { formatComposeFailure } from './compose-failure';
import { ExitCode, type CliCommand, type CliIo } from './io';

type Verb = 'up' | 'down' | 'restart';

interface StackArgs {
  service?: string;
  dir: string;
  timeoutSeconds?: number;
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `[service] [dir]`: with one argument, an existing directory is the dir, anything else a service. */
function parseArgs(args: string[], cwd: string): StackArgs | string {
  const positional: string[] = [];
  let timeoutSeconds: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '--timeout') {
      const value = Number(args[++i]);
      if (!Number.isInteger(value) || value < 0) return `${a} needs a number of seconds`;
      timeoutSeconds = value;
    } else if (a.startsWith('-')) {
      return `unknown option ${a}`;
    } else {
      positional.push(a);
    }
  }
  if (positional.length > 2) return 'too many arguments';
  if (positional.length === 2) return { service: positional[0], dir: path.resolve(cwd, positional[1]), timeoutSeconds };
  if (positional.length === 1) {
    const asDir = path.resolve(cwd, positional[0]);
    return isDirectory(asDir) ? { dir: asDir, timeoutSeconds } : { service: positional[0], dir: cwd, timeoutSeconds };
  }
  return { dir: cwd, timeoutSeconds };
}

function act(runner: ComposeRunner, verb: Verb, a: StackArgs, options: RunOptions): Promise<ComposeResult> {
  const timed = { ...options, timeoutSeconds: a.timeoutSeconds };
  if (a.service) {
    if (verb === 'up') return runner.startService(a.service, options);
    if (verb === 'down') return runner.stopService(a.service, timed);
    return runner.restartService(a.service, timed);
  }
  if (verb === 'up') return runner.up(options);
  if (verb === 'down') return runner.down(timed);
  return runner.restartStack(timed);
}

function command(verb: Verb): CliCommand {
  return async (args: string[], io: CliIo) => {
    const parsed = parseArgs(args, io.cwd);
    if (typeof parsed === 'string') {
      io.err(`duckstack ${verb}: ${parsed}\nUsage: duckstack ${verb} [service] [dir] [-t seconds]\n`);
      return ExitCode.usage;
    }
    const project = await loadComposeProject(parsed.dir, { processEnv: io.env });
    if (project.files.length === 0) {
      io.err(`duckstack ${verb}: no compose file in ${parsed.dir}\n`);
      return ExitCode.usage;
    }
    if (parsed.service && !project.services.some((s) => s.name === parsed.service)) {
      io.err(`duckstack ${verb}: no service '${parsed.service}' in ${project.files.join(', ')} (services: ${project.services.map((s) => s.name).join(', ')})\n`);
      return ExitCode.usage;
    }
    const detected = await detectComposeCli(io.env);
    if (!detected.ok) {
      io.err(`duckstack ${verb}: ${detected.message}\n`);
      return ExitCode.usage;
    }
    // Each command is echoed before its output, on stderr with compose's progress.
    const runner = new ComposeRunner(detected.cli, project, io.env, { onCommand: (shown) => io.err(`$ ${printableLog(shown.join(' '))}\n`) });
    const acted = await act(runner, verb, parsed, {
      onLine: (line) => (line.stream === 'stdout' ? io.out(`${line.text}\n`) : io.err(`${line.text}\n`)),
    });
    // A failed up --wait names every service that failed to become healthy or exited, not only the first.
    const result = await withWaitFailures(acted, project, io.env, parsed.service ? withDependencies(project, [parsed.service]) : []);
    if (result.ok) return ExitCode.ok;
    io.err(result.failure ? formatComposeFailure(verb, result.failure, parsed.dir) : `duckstack ${verb}: ${result.reason}\n`);
    return ExitCode.findings;
  };
}

export const up = command('up');
export const down = command('down');
export const restart = command('restart');
