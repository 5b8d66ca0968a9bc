// A fork made by the scaffold from the test templates in test/fixtures/fork (v1, then v2 renames
// DAGSTER_PG_DB, moves Dagster's container port, adds redis and dagster.yaml, upgrades Dagster).
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIo } from '../../../src/cli/io';
import { withOrigin } from '../../../src/core/fork/origin';
import { planScaffold, writeScaffold, type ScaffoldOptions } from '../../../src/core/scaffold';
import { commitAll, runGit, tempDir, writeFiles } from '../git/support';

export const TEMPLATE_V1 = path.resolve(__dirname, '../../../../test/fixtures/fork/template-v1');
export const TEMPLATE_V2 = path.resolve(__dirname, '../../../../test/fixtures/fork/template-v2');

export const ANSWERS: Omit<ScaffoldOptions, 'dir'> = { projectName: 'acme', ports: { dagster: 13000 }, without: ['cube'] };

/** The files a template renders with the test answers (relative path → text). */
export function render(templatesDir: string, dir = '/nonexistent-render-target'): Record<string, string> {
  const plan = planScaffold({ ...ANSWERS, dir, templatesDir });
  if (plan.problems.length > 0) throw new Error(plan.problems.join('\n'));
  return Object.fromEntries(plan.files.map((f) => [f.path, f.content]));
}

/** A git repository holding a fork made from template v1 with the test answers, committed on main. */
export async function committedFork(): Promise<string> {
  const dir = path.join(tempDir('duckstack-fork-'), 'acme');
  // As duckstack new does it, from the test template.
  const plan = withOrigin(planScaffold({ ...ANSWERS, dir, templatesDir: TEMPLATE_V1 }), TEMPLATE_V1);
  const result = await writeScaffold(plan);
  if (!result.ok) throw new Error(result.message);
  runGit(dir, 'init', '-q', '-b', 'main');
  commitAll(dir, {}, 'fork');
  return dir;
}

export function read(dir: string, rel: string): string {
  return fs.readFileSync(path.join(dir, ...rel.split('/')), 'utf8');
}

export { writeFiles };

/** The user's own edits, committed: a line in postgres (merges), a README heading (conflicts), .env.example deleted, a file of their own. */
export function userEdits(dir: string): void {
  fs.rmSync(path.join(dir, '.env.example'));
  commitAll(dir, {
    'docker-compose.yml': read(dir, 'docker-compose.yml').replace('    image: postgres:16.6\n', '    image: postgres:16.6\n    restart: unless-stopped\n'),
    'README.md': read(dir, 'README.md').replace('## Setup', '## Setup (ours)'),
    'notes.md': 'Our notes.\n',
  }, 'our edits');
}

/** A CLI io that records what the command prints. */
export function recordingIo(cwd: string): CliIo & { stdout: string; stderr: string } {
  const io = { cwd, env: {}, stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}

/** Every file under dir (.git excepted, relative POSIX paths) → what describe says of it. */
function filesUnder(dir: string, describe: (file: string) => string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(abs, entry.name), childRel);
      else files.set(childRel, describe(path.join(abs, entry.name)));
    }
  };
  walk(dir, '');
  return files;
}

/** Every file under dir (.git excepted) with a hash of its bytes, its mode and mtime: equal snapshots mean nothing was touched. */
export function snapshot(dir: string): Map<string, string> {
  return filesUnder(dir, (file) => {
    const stat = fs.statSync(file);
    return `${createHash('sha256').update(fs.readFileSync(file)).digest('hex')} ${stat.mode.toString(8)} ${stat.mtimeMs}`;
  });
}

/** Every file under dir (.git excepted) with its text. */
export function contents(dir: string): Map<string, string> {
  return filesUnder(dir, (file) => fs.readFileSync(file, 'utf8'));
}
