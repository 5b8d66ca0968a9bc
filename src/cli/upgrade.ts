// `duckstack upgrade <tool|package> <version> [dir] [--dry-run]`
import * as path from 'node:path';
import { applyChanges, unifiedDiff } from '../core/edits/files';
import { planUpgrade } from '../core/upgrade/upgrade';
import { ExitCode, type CliCommand } from './io';

const USAGE = [
  'Usage: duckstack upgrade <tool|package> <version> [dir] [--dry-run]',
  '',
  'Upgrades a row of golden_versions.md (named by its tool, package or image) and every pin of it',
  'in the fork in <dir> (default: .): compose images, Dockerfile FROM and their ARG, requirements,',
  'pyproject.toml and package.json; adds a dated entry with the migration checklist to',
  'other/Workplan.md. A downgrade is refused: the platform guide says NEVER downgrade.',
  '  --dry-run   print the diff of every edit and write nothing',
  'Exit code: 1 when the upgrade is refused (a downgrade), 2 on usage or I/O errors.',
  '',
].join('\n');

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const dryRun = args.includes('--dry-run');
  const unknown = args.find((a) => a.startsWith('-') && a !== '--dry-run');
  if (unknown) {
    io.err(`duckstack upgrade: unknown option '${unknown}'\n\n${USAGE}`);
    return ExitCode.usage;
  }
  const positional = args.filter((a) => !a.startsWith('-'));
  if (positional.length < 2 || positional.length > 3) {
    io.err(`duckstack upgrade: ${positional.length < 2 ? 'give a tool and a version' : `unexpected argument '${positional[3]}'`}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  const [name, version, dir] = positional;
  const root = path.resolve(io.cwd, dir ?? '.');
  const result = planUpgrade(root, name, version, new Date().toISOString().slice(0, 10));
  if (!result.ok) {
    io.err(`duckstack upgrade: ${result.message} Nothing was written.\n`);
    return result.code === 'downgrade' ? ExitCode.findings : ExitCode.usage;
  }
  const { plan } = result;
  const files = plan.changes.map((c) => c.path);
  const what = `${plan.tool} ${plan.from} → ${plan.to}: ${plan.edits.length} edit(s) in ${new Set(plan.edits.map((e) => e.file)).size} file(s), and an entry in ${plan.workplan.file}`;
  if (dryRun) {
    io.out(plan.changes.map(unifiedDiff).join(''));
    io.out(`\nDry run: ${what}. Nothing was written.\n`);
    return ExitCode.ok;
  }
  const applied = await applyChanges(root, plan.changes);
  if (!applied.ok) {
    io.err(`duckstack upgrade: ${applied.message}\n`);
    return ExitCode.usage;
  }
  io.out(`Upgraded ${what}.\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  const next = [...(plan.rebuild.length > 0 ? [`docker compose build --pull ${plan.rebuild.join(' ')}`] : []), ...(plan.pull.length > 0 ? [`docker compose pull ${plan.pull.join(' ')}`] : []), 'docker compose down && docker compose up -d'];
  io.out(`Next: read the release notes, then\n${next.map((c) => `  ${c}`).join('\n')}\n`);
  return ExitCode.ok;
};
