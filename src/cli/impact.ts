// `duckstack impact [dir] [--since <git-ref>] [--format markdown|json]`
import * as path from 'node:path';
import { formatJson, formatMarkdown, impactSince } from '../core/impact';
import { ExitCode, type CliCommand } from './io';

const USAGE = [
  'Usage: duckstack impact [dir] [--since <git-ref>] [--format markdown|json]',
  '',
  'What a fork made at <git-ref> must do to take the platform as it is now in <dir> (default: .):',
  'services, ports, variables, volumes and data paths, golden versions, base images, dbt targets',
  'and the Dagster executor, each with its severity and migration step. The markdown is ready to',
  'paste into other/Workplan.md or the CHANGELOG as "Migration".',
  '  --since REF    the git ref to compare with (default: the last tag, else the upstream branch, else HEAD)',
  '  --format F     markdown (default) or json',
  'Exit code: 1 when a change is an error (a version goes down), 2 on usage or git errors.',
  '',
].join('\n');

export const run: CliCommand = async (args, io) => {
  let dir: string | undefined;
  let since: string | undefined;
  let format = 'markdown';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return ExitCode.ok;
    } else if (flag === '--since' || flag === '--format') {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') {
        io.err(`duckstack impact: ${flag} needs a value\n\n${USAGE}`);
        return ExitCode.usage;
      }
      if (flag === '--since') since = value;
      else format = value;
    } else if (arg.startsWith('-')) {
      io.err(`duckstack impact: unknown option '${arg}'\n\n${USAGE}`);
      return ExitCode.usage;
    } else if (dir === undefined) {
      dir = arg;
    } else {
      io.err(`duckstack impact: unexpected argument '${arg}'\n\n${USAGE}`);
      return ExitCode.usage;
    }
  }
  if (format !== 'markdown' && format !== 'json') {
    io.err(`duckstack impact: --format must be markdown or json, not '${format}'\n`);
    return ExitCode.usage;
  }
  const result = await impactSince(path.resolve(io.cwd, dir ?? '.'), since);
  if (!result.ok) {
    io.err(`duckstack impact: ${result.message}\n`);
    return ExitCode.usage;
  }
  io.out(format === 'json' ? formatJson(result.report) : formatMarkdown(result.report));
  return result.report.items.some((i) => i.severity === 'error') ? ExitCode.findings : ExitCode.ok;
};
