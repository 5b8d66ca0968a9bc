// `duckstack validate [dir] [--restart] [--format text|json|junit]`: the platform guide's Phase 1
// checklist as one run. Exit 1 when any check fails, 0 otherwise (not-checked is not a failure),
// 2 on usage errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatReport, REPORT_FORMATS, validatePlatform, type ReportFormat } from '../core/validate';
import { ExitCode, type CliCommand } from './io';

const USAGE = 'Usage: duckstack validate [dir] [--restart] [--format text|json|junit]\n';

interface Args {
  dir?: string;
  restart: boolean;
  format: ReportFormat;
}

function isFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

function parseArgs(args: string[]): Args | string {
  const parsed: Args = { restart: false, format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--restart') parsed.restart = true;
    else if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? args[++i] : arg.slice('--format='.length);
      if (value === undefined || !isFormat(value)) return `--format must be one of ${REPORT_FORMATS.join(', ')}`;
      parsed.format = value;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (parsed.dir !== undefined) return 'only one folder can be validated at a time';
    else parsed.dir = arg;
  }
  return parsed;
}

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`duckstack validate: ${parsed}\n${USAGE}`);
    return ExitCode.usage;
  }
  const dir = path.resolve(io.cwd, parsed.dir ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    io.err(`duckstack validate: ${dir} is not a folder\n`);
    return ExitCode.usage;
  }
  // Progress goes to stderr so stdout stays a clean report for --format json / junit.
  const report = await validatePlatform(dir, {
    restart: parsed.restart,
    env: io.env,
    onProgress: parsed.format === 'text' ? (step) => io.err(`${step}\n`) : undefined,
  });
  io.out(formatReport(report, parsed.format));
  return report.ok ? ExitCode.ok : ExitCode.findings;
};
