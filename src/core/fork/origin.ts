// A fork's origin record, written by `duckstack new` so that `duckstack update` can later
// 3-way merge template changes without the DuckStack release that made the fork:
//   .duckstack/origin.json    which DuckStack and template made the fork, and the answers given
//   .duckstack/pristine.json  every file exactly as generated (the merge base), by path
// Both are committed with the fork. `duckstack update` rewrites them after each update.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { version } from '../../../package.json';
import { isOptionalService, isPortService, type OptionalService, type PortService, type ResolvedOptions } from '../scaffold/options';
import { findConflicts, type PlannedFile, type ScaffoldPlan } from '../scaffold/plan';
import { defaultTemplatesDir, listTemplateFiles } from '../scaffold/template';

export const ORIGIN_FILE = '.duckstack/origin.json';
export const PRISTINE_FILE = '.duckstack/pristine.json';
const FORMAT = 1;

/** This DuckStack's version (its templates are versioned with it). */
export const DUCKSTACK_VERSION: string = version;

export interface Answers {
  projectName: string;
  /** Optional services left out. */
  without: OptionalService[];
  /** Host port of each service. */
  ports: Record<PortService, number>;
}

export interface OriginRecord {
  format: number;
  /** The DuckStack version that made (or last updated) the fork. */
  duckstack: string;
  /** The templates it was rendered from: DuckStack's version and a digest of the template files. */
  template: { version: string; digest: string };
  /** The answers given to `duckstack new` / Create Platform Fork. */
  answers: Answers;
  /** Where the pristine generated files are. */
  pristine: string;
  created: string;
  updated?: string;
}

export interface PristineFile {
  content: string;
  executable: boolean;
}

/** sha256 of the template files (paths, modes and bytes), so a fork can tell which templates made it. */
export function templateDigest(templatesDir: string): string {
  const hash = createHash('sha256');
  for (const file of listTemplateFiles(templatesDir)) {
    hash.update(`${file.path}\u0000${file.executable ? 'x' : '-'}\u0000`);
    hash.update(fs.readFileSync(file.absolutePath));
    hash.update('\u0000');
  }
  return `sha256:${hash.digest('hex')}`;
}

export function answersOf(resolved: ResolvedOptions): Answers {
  return {
    projectName: resolved.projectName,
    without: (Object.keys(resolved.enabled) as OptionalService[]).filter((s) => !resolved.enabled[s]),
    ports: { ...resolved.ports },
  };
}

/** The two files of the origin record for the files a scaffold generates (or an update renders: then `updated` is its date). */
export function originFiles(answers: Answers, generated: readonly PlannedFile[], digest: string, created: string, updated?: string): PlannedFile[] {
  const record: OriginRecord = {
    format: FORMAT,
    duckstack: DUCKSTACK_VERSION,
    template: { version: DUCKSTACK_VERSION, digest },
    answers,
    pristine: PRISTINE_FILE,
    created,
    ...(updated !== undefined ? { updated } : {}),
  };
  const pristine: Record<string, PristineFile> = {};
  for (const f of [...generated].sort((a, b) => a.path.localeCompare(b.path))) pristine[f.path] = { content: f.content, executable: f.executable };
  return [
    { path: ORIGIN_FILE, content: `${JSON.stringify(record, null, 2)}\n`, executable: false },
    { path: PRISTINE_FILE, content: `${JSON.stringify({ format: FORMAT, files: pristine }, null, 1)}\n`, executable: false },
  ];
}

export type OriginRead = { ok: true; origin: OriginRecord; pristine: Map<string, PristineFile> } | { ok: false; message: string };

function parseJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

/** Reads and checks a fork's origin record; a missing or damaged record is a message, never a throw. */
export function readOrigin(root: string): OriginRead {
  const originPath = path.join(root, ...ORIGIN_FILE.split('/'));
  if (!fs.existsSync(originPath)) {
    return { ok: false, message: `${ORIGIN_FILE} is missing: this fork was not made by duckstack new (or by a DuckStack older than the origin record), so there is no base to merge template changes into.` };
  }
  let origin: OriginRecord;
  let pristineRaw: unknown;
  try {
    origin = parseJson(originPath) as OriginRecord;
    pristineRaw = parseJson(path.join(root, ...(typeof origin.pristine === 'string' ? origin.pristine : PRISTINE_FILE).split('/')));
  } catch (e) {
    return { ok: false, message: `the origin record cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  const a = origin.answers as Partial<Answers> | undefined;
  const valid =
    origin.format === FORMAT &&
    typeof a?.projectName === 'string' &&
    Array.isArray(a.without) && a.without.every((s) => typeof s === 'string' && isOptionalService(s)) &&
    typeof a.ports === 'object' && a.ports !== null && Object.entries(a.ports).every(([s, p]) => isPortService(s) && typeof p === 'number');
  const files = (pristineRaw as { files?: unknown } | null)?.files;
  if (!valid || typeof files !== 'object' || files === null) return { ok: false, message: `${ORIGIN_FILE} or its pristine files are not in the format this DuckStack reads (format ${FORMAT}).` };
  const pristine = new Map<string, PristineFile>();
  for (const [p, f] of Object.entries(files as Record<string, unknown>)) {
    const file = f as Partial<PristineFile> | null;
    if (typeof file?.content !== 'string' || p.startsWith('/') || p.split('/').includes('..')) return { ok: false, message: `the pristine file ${p} is damaged.` };
    pristine.set(p, { content: file.content, executable: file.executable === true });
  }
  return { ok: true, origin, pristine };
}

/**
 * A scaffold plan with the origin record added (what `duckstack new` and Create Platform Fork
 * write), so that `duckstack update` can merge later template changes. A plan with problems is
 * returned as it is.
 */
export function withOrigin(plan: ScaffoldPlan, templatesDir: string | undefined = defaultTemplatesDir()): ScaffoldPlan {
  if (plan.problems.length > 0 || templatesDir === undefined) return plan;
  const files = [...plan.files, ...originFiles(answersOf(plan.options), plan.files, templateDigest(templatesDir), new Date().toISOString().slice(0, 10))];
  return { ...plan, files, conflicts: findConflicts(plan.dir, files) };
}
