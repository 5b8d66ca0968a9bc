// `duckstack update [dir] [--dry-run] [--allow-dirty] [--templates DIR]`
import * as path from 'node:path';
import { applyChanges, unifiedDiff } from '../core/edits/files';
import { PRISTINE_FILE, planUpdate, type UpdateOutcome, type UpdatePlan } from '../core/fork/update';
import { formatMarkdown } from '../core/impact';
import { ExitCode, type CliCommand } from './io';

const USAGE = [
  'Usage: duckstack update [dir] [--dry-run] [--allow-dirty] [--templates DIR]',
  '',
  'Brings template changes into the fork in <dir> (default: .) with a 3-way merge per file between',
  'the files as generated (.duckstack/pristine.json), the current templates rendered with the same',
  'answers (.duckstack/origin.json) and the fork. Conflicts are written with standard conflict',
  'markers; files you deleted stay deleted; new template files are added. Ends with the impact',
  'report of what changed.',
  '  --dry-run       print the diff of every change and write nothing',
  '  --allow-dirty   run on a git working tree with uncommitted changes (or outside git)',
  '  --templates D   update from the templates in D instead of this DuckStack\'s own',
  'Exit code: 1 when conflicts were written (resolve them, then commit), 2 when refused or on errors.',
  '',
].join('\n');

const WORDS: Record<UpdateOutcome, [tag: string, note: string]> = {
  updated: ['updated', ''],
  merged: ['merged', ' (your changes and the template\'s)'],
  conflict: ['CONFLICT', ' (marked <<<<<<< fork / ======= / >>>>>>> template)'],
  added: ['added', ''],
  removed: ['removed', ' (the template dropped it; you never changed it)'],
  'kept-deleted': ['kept', ' deleted (you deleted it; the template changed it)'],
  'kept-modified': ['kept', ' (the template dropped it; you changed it)'],
  'kept-binary': ['kept', ' (not UTF-8 text: never rewritten)'],
};

export function describeUpdate(plan: UpdatePlan): string {
  const short = (d: string): string => d.replace(/^sha256:/, '').slice(0, 12);
  const lines = [`Update from the templates of DuckStack ${plan.from.duckstack} (${short(plan.from.digest)}) to ${plan.to.duckstack} (${short(plan.to.digest)}):`];
  if (plan.files.length === 0) lines.push('  the fork already has every template change.');
  for (const f of plan.files) lines.push(`  ${WORDS[f.outcome][0].padEnd(9)} ${f.path}${WORDS[f.outcome][1]}`);
  return `${lines.join('\n')}\n`;
}

export const run: CliCommand = async (args, io) => {
  let dir: string | undefined;
  let templatesDir: string | undefined;
  let dryRun = false;
  let allowDirty = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      io.out(USAGE);
      return ExitCode.ok;
    } else if (arg === '--dry-run') dryRun = true;
    else if (arg === '--allow-dirty') allowDirty = true;
    else if (arg === '--templates' || arg.startsWith('--templates=')) {
      templatesDir = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (!templatesDir) {
        io.err(`duckstack update: --templates needs a folder\n\n${USAGE}`);
        return ExitCode.usage;
      }
    } else if (arg.startsWith('-')) {
      io.err(`duckstack update: unknown option '${arg}'\n\n${USAGE}`);
      return ExitCode.usage;
    } else if (dir === undefined) dir = arg;
    else {
      io.err(`duckstack update: unexpected argument '${arg}'\n\n${USAGE}`);
      return ExitCode.usage;
    }
  }
  const root = path.resolve(io.cwd, dir ?? '.');
  const result = await planUpdate(root, { allowDirty, ...(templatesDir ? { templatesDir: path.resolve(io.cwd, templatesDir) } : {}) });
  if (!result.ok) {
    io.err(`duckstack update: ${result.message}\n`);
    return ExitCode.usage;
  }
  const { plan } = result;
  io.out(describeUpdate(plan));
  if (dryRun) {
    // The pristine files are the rendered templates again, as one JSON document: named, not diffed.
    const shown = plan.changes.map((c) => (c.path === PRISTINE_FILE ? `--- a/${c.path}\n+++ b/${c.path}\n(the current templates as generated: the base of the next update)\n` : unifiedDiff(c)));
    io.out(`\n${shown.join('')}`);
    io.out(`\n${formatMarkdown(plan.impact)}\nDry run: nothing was written.\n`);
    return ExitCode.ok;
  }
  const applied = await applyChanges(root, plan.changes);
  if (!applied.ok) {
    io.err(`duckstack update: ${applied.message}\n`);
    return ExitCode.usage;
  }
  io.out(`\n${formatMarkdown(plan.impact)}`);
  if (plan.conflicts.length > 0) {
    io.out(`\n${plan.conflicts.length} file(s) have conflicts marked <<<<<<< fork / ======= / >>>>>>> template: ${plan.conflicts.join(', ')}. Resolve them, then commit.\n`);
    return ExitCode.findings;
  }
  io.out('\nUpdated. Review with git diff, then commit.\n');
  return ExitCode.ok;
};
