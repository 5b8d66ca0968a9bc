// The template syntax of templates/, kept trivial on purpose (see templates/TEMPLATES.md):
// - `{{NAME}}`: an upper-case token replaced by a variable (PROJECT_NAME, DAGSTER_PORT, ...).
//   Jinja in dbt files (`{{ ref('x') }}`, `{{ env_var(...) }}`) has spaces and lower case, so it
//   is never a token and passes through untouched.
// - A line containing `{{#service}}` opens a block and one containing `{{/service}}` closes it.
//   Both marker lines are always removed (write them inside a comment of the file's language);
//   the lines between are kept only when the optional service is enabled.
// - Whole files of an optional service live in its folder (SERVICE_FOLDERS) and are dropped
//   with it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { OptionalService } from './options';

/** Folders (relative, POSIX) that belong to one optional service. */
export const SERVICE_FOLDERS: Record<OptionalService, string> = {
  cube: '05_cube/',
  jupyter: '07_notebooks/',
};

/** Files of templates/ that document the templates and are not part of a fork. */
export const TEMPLATE_ONLY_FILES = new Set(['TEMPLATES.md']);

const TOKEN = /\{\{([A-Z][A-Z0-9_]*)\}\}/g;
const BLOCK_MARKER = /\{\{([#/])([a-z][a-z0-9_-]*)\}\}/;

export type RenderResult = { ok: true; text: string } | { ok: false; problem: string };

/** Renders one template file's text. Unknown tokens and unbalanced blocks are problems. */
export function renderTemplate(
  text: string,
  variables: Readonly<Record<string, string>>,
  enabled: Readonly<Record<string, boolean>>,
): RenderResult {
  const out: string[] = [];
  const open: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = BLOCK_MARKER.exec(line);
    if (marker) {
      const [, kind, name] = marker;
      if (!(name in enabled)) return { ok: false, problem: `line ${i + 1}: unknown block {{${kind}${name}}}` };
      if (kind === '#') open.push(name);
      else if (open.pop() !== name) return { ok: false, problem: `line ${i + 1}: {{/${name}}} closes no open {{#${name}}}` };
      continue;
    }
    if (open.every((name) => enabled[name])) out.push(line);
  }
  if (open.length > 0) return { ok: false, problem: `{{#${open[open.length - 1]}}} is never closed` };

  let unknown: string | undefined;
  const rendered = out.join('\n').replace(TOKEN, (whole, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      unknown ??= name;
      return whole;
    }
    return value;
  });
  return unknown === undefined ? { ok: true, text: rendered } : { ok: false, problem: `unknown variable {{${unknown}}}` };
}

export interface TemplateFile {
  /** Relative POSIX path inside templates/ and inside the fork. */
  path: string;
  absolutePath: string;
  executable: boolean;
}

/** Every file of the templates folder, sorted, template-only files left out. */
export function listTemplateFiles(templatesDir: string): TemplateFile[] {
  const files: TemplateFile[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const absolutePath = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__pycache__') walk(absolutePath, relPath);
      } else if (entry.isFile() && !TEMPLATE_ONLY_FILES.has(relPath)) {
        files.push({ path: relPath, absolutePath, executable: (fs.statSync(absolutePath).mode & 0o111) !== 0 });
      }
    }
  };
  walk(templatesDir, '');
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** The optional service a template path belongs to, if any. */
export function serviceOfPath(relPath: string): OptionalService | undefined {
  for (const [service, folder] of Object.entries(SERVICE_FOLDERS) as [OptionalService, string][]) {
    if (relPath.startsWith(folder)) return service;
  }
  return undefined;
}

/**
 * The extension's templates/ folder: the nearest ancestor of this module holding
 * templates/docker-compose.yml (works from src/, out/src/ and dist/).
 */
export function defaultTemplatesDir(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates');
    if (fs.existsSync(path.join(candidate, 'docker-compose.yml'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
