// `duckstack doctor [service] [dir] [--json]`: the platform guide's "Service won't start" checks
// for one service, or for every service that is not running and healthy. One argument is the
// folder when it is one, else the service. Exit 1 when a problem was found, 2 on usage errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnose, formatDoctorJson, formatDoctorText } from '../core/doctor';
import { ExitCode, type CliCommand } from './io';

const USAGE = 'Usage: duckstack doctor [service] [dir] [--json]\n';

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const json = args.includes('--json');
  const positional = args.filter((a) => a !== '--json');
  const unknown = positional.find((a) => a.startsWith('-'));
  if (unknown || positional.length > 2) {
    io.err(`duckstack doctor: ${unknown ? `unknown option ${unknown}` : 'too many arguments'}\n${USAGE}`);
    return ExitCode.usage;
  }
  let service: string | undefined;
  let dirArg: string | undefined;
  if (positional.length === 2) [service, dirArg] = positional;
  else if (positional.length === 1) {
    if (isDir(path.resolve(io.cwd, positional[0]))) dirArg = positional[0];
    else service = positional[0];
  }
  const dir = path.resolve(io.cwd, dirArg ?? '.');
  if (!isDir(dir)) {
    io.err(`duckstack doctor: ${dir} is not a folder\n`);
    return ExitCode.usage;
  }
  const report = await diagnose(dir, { service, env: io.env });
  if (service !== undefined && report.services.length === 0 && report.notes.some((n) => n.startsWith(`No service ${service} `))) {
    io.err(`duckstack doctor: ${report.notes.find((n) => n.startsWith(`No service ${service} `))}\n`);
    return ExitCode.usage;
  }
  io.out(json ? formatDoctorJson(report) : formatDoctorText(report));
  return report.ok ? ExitCode.ok : ExitCode.findings;
};
