// `duckstack status [dir] [--json]`: every service of the compose project with its state,
// health and ports, read from the engine the same way the sidebar reads it.
import * as path from 'node:path';
import { loadComposeProject } from '../core/compose/project';
import { readStackStatusFromEnv } from '../core/docker/monitor';
import { describeState, type ServiceStatus, type StackStatus } from '../core/docker/services';
import { escapeControl, terminalJson } from '../core/terminal';
import { ExitCode, type CliCommand, type CliIo } from './io';

const USAGE = 'Usage: duckstack status [dir] [--json]\n';

function portsText(s: ServiceStatus): string {
  return s.ports
    .map((p) => (p.published === undefined ? `${p.target}/${p.protocol}` : `${p.published}->${p.target}${p.protocol === 'tcp' ? '' : `/${p.protocol}`}`))
    .join(', ');
}

function table(raw: string[][]): string {
  // Service names, images and states come from compose files and the engine: escaped before measuring.
  const rows = raw.map((r) => r.map(escapeControl));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n';
}

function printHuman(status: Extract<StackStatus, { reachable: true }>, io: CliIo): void {
  const rows = [['SERVICE', 'STATE', 'HEALTH', 'PORTS', 'UP', 'UI']];
  for (const s of status.services) {
    const health = s.health ?? (s.hasHealthcheck ? '-' : 'no check');
    rows.push([s.active ? s.name : `${s.name} (profile off)`, describeState(s), health, portsText(s), s.upFor ?? '', s.links.map((l) => l.url).join(' ')]);
  }
  io.out(table(rows));
  const problems = status.summary.problems.length > 0 ? `; needs attention: ${status.summary.problems.join(', ')}` : '';
  io.out(`\n${escapeControl(`${status.project}: ${status.summary.text}${problems}`)}\n`);
}

export const run: CliCommand = async (args, io) => {
  const json = args.includes('--json');
  const positional = args.filter((a) => a !== '--json');
  if (positional.some((a) => a.startsWith('-')) || positional.length > 1) {
    io.err(USAGE);
    return ExitCode.usage;
  }
  const dir = path.resolve(io.cwd, positional[0] ?? '.');
  const project = await loadComposeProject(dir, { processEnv: io.env });
  if (project.files.length === 0) {
    io.err(`duckstack status: no compose file in ${dir}\n`);
    return ExitCode.usage;
  }
  for (const e of project.errors) io.err(`warning: ${escapeControl(e.message)}\n`);

  const status = await readStackStatusFromEnv(project, io.env);

  if (json) io.out(`${terminalJson(status, 2)}\n`);
  if (!status.reachable) {
    if (!json) io.err(`Docker is not reachable. ${escapeControl(status.problem.cause)}\n${escapeControl(status.problem.remedy)}\n`);
    return ExitCode.usage;
  }
  if (!json) printHuman(status, io);
  return status.summary.problems.length > 0 ? ExitCode.findings : ExitCode.ok;
};
