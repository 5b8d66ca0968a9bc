// planScaffold: what a new fork would write, and what stands in the way, before a byte is written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveOptions, templateVariables, type ResolvedOptions, type ScaffoldOptions } from './options';
import { defaultTemplatesDir, listTemplateFiles, renderTemplate, serviceOfPath } from './template';

export interface PlannedFile {
  /** Relative POSIX path inside the fork. */
  path: string;
  content: string;
  /** True for scripts that must keep their executable bit. */
  executable: boolean;
}

export interface ScaffoldPlan {
  /** The target folder, absolute. */
  dir: string;
  options: ResolvedOptions;
  files: PlannedFile[];
  /** Relative paths that already exist in the target folder (nothing may be overwritten). */
  conflicts: string[];
  /**
   * Top-level entries of the target folder that are not part of the fork (and not .git or desktop
   * clutter). Unless allowNonEmpty was given, any makes a problem: the folder must be new or empty.
   */
  unrelated: string[];
  /** Invalid options or templates, as sentences. A plan with problems or conflicts is not written. */
  problems: string[];
}

/** What a folder may already hold and still count as empty: a fresh `git init` or clone, desktop clutter. */
export const IGNORED_ENTRIES: readonly string[] = ['.git', '.DS_Store', 'Thumbs.db', 'desktop.ini'];

/** Entries of dir other than IGNORED_ENTRIES and the given names; [] when dir does not exist. */
export function unrelatedEntries(dir: string, forkEntries: ReadonlySet<string> = new Set()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => !IGNORED_ENTRIES.includes(n) && !forkEntries.has(n)).sort();
}

/** Plans a fork. Never throws for bad input: problems and conflicts are returned in the plan. */
export function planScaffold(options: ScaffoldOptions): ScaffoldPlan {
  const dir = path.resolve(options.dir);
  const { resolved, problems } = resolveOptions(options, path.basename(dir));
  const plan: ScaffoldPlan = { dir, options: resolved, files: [], conflicts: [], unrelated: [], problems };
  if (problems.length > 0) return plan;

  const templatesDir = options.templatesDir ?? defaultTemplatesDir();
  if (templatesDir === undefined || !fs.existsSync(templatesDir)) {
    problems.push('The templates folder of DuckStack was not found.');
    return plan;
  }
  const variables = templateVariables(resolved);
  for (const template of listTemplateFiles(templatesDir)) {
    const service = serviceOfPath(template.path);
    if (service && !resolved.enabled[service]) continue;
    const rendered = renderTemplate(fs.readFileSync(template.absolutePath, 'utf8'), variables, resolved.enabled);
    if (!rendered.ok) {
      problems.push(`Template ${template.path}: ${rendered.problem}.`);
      continue;
    }
    plan.files.push({ path: template.path, content: rendered.text, executable: template.executable });
  }
  plan.conflicts = findConflicts(dir, plan.files);
  // Entries named like the fork's own are conflicts (listed above), not unrelated files; so are
  // .duckstack/, where the fork's origin record goes (fork/origin.ts adds it to the plan), and the
  // .env made from .env.example (new --env, the Create Fork wizard).
  plan.unrelated = unrelatedEntries(dir, new Set(['.duckstack', '.env', ...plan.files.map((f) => f.path.split('/')[0])]));
  if (plan.unrelated.length > 0 && options.allowNonEmpty !== true) {
    const shown = plan.unrelated.slice(0, 5).join(', ') + (plan.unrelated.length > 5 ? ` and ${plan.unrelated.length - 5} more` : '');
    problems.push(
      `${dir} is not empty: it holds ${shown}, not part of the fork. A fork is created in a new or empty folder ` +
        `(one holding only ${IGNORED_ENTRIES.join(', ')} counts as empty).`,
    );
  }
  return plan;
}

/** Planned paths that exist in dir (as a file, folder or anything else), or whose parent is a file. */
export function findConflicts(dir: string, files: readonly PlannedFile[]): string[] {
  const conflicts: string[] = [];
  for (const file of files) {
    const parts = file.path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const rel = parts.slice(0, i).join('/');
      let stat: fs.Stats | undefined;
      try {
        stat = fs.lstatSync(path.join(dir, ...parts.slice(0, i)));
      } catch {
        break; // missing: nothing below it exists either
      }
      if (i === parts.length || !stat.isDirectory()) {
        conflicts.push(rel);
        break;
      }
    }
  }
  return [...new Set(conflicts)].sort();
}
