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
  /** Invalid options or templates, as sentences. A plan with problems or conflicts is not written. */
  problems: string[];
}

/** Plans a fork. Never throws for bad input: problems and conflicts are returned in the plan. */
export function planScaffold(options: ScaffoldOptions): ScaffoldPlan {
  const dir = path.resolve(options.dir);
  const { resolved, problems } = resolveOptions(options, path.basename(dir));
  const plan: ScaffoldPlan = { dir, options: resolved, files: [], conflicts: [], problems };
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
