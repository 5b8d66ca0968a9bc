// `duckstack update`: a 3-way merge per file between the pristine generated files (the base,
// from the origin record), the current templates rendered with the same answers, and the fork.
// Untouched files update; files changed on both sides merge, a conflict keeps git's standard
// markers; files the user deleted stay deleted; new template files are added. Plans only: the
// caller shows the plan (a diff, the merge editor) and writes it with applyChanges.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileChange } from '../edits/files';
import { findRepository, isDirty } from '../git/git';
import { mergeFile } from '../git/merge';
import { compareSnapshots, type ImpactReport } from '../impact/impact';
import { isPlatformFile, workingSnapshot } from '../impact/snapshot';
import { planScaffold } from '../scaffold/plan';
import { defaultTemplatesDir } from '../scaffold/template';
import { DUCKSTACK_VERSION, ORIGIN_FILE, PRISTINE_FILE, originFiles, readOrigin, templateDigest } from './origin';

export type UpdateOutcome =
  | 'updated' // only the template changed it: the new template text
  | 'merged' // both changed it: merged cleanly
  | 'conflict' // both changed the same lines: written with conflict markers
  | 'added' // new in the template
  | 'removed' // the template dropped it and the fork never changed it
  | 'kept-deleted' // the user deleted it: stays deleted
  | 'kept-modified' // the template dropped it, the fork changed it: kept
  | 'kept-binary'; // not UTF-8 text in the fork: never rewritten

export interface UpdateFile {
  path: string;
  outcome: UpdateOutcome;
  /** The three sides, for a merge editor (conflicts and merges). */
  sides?: { base: string; fork: string; template: string };
}

export interface UpdatePlan {
  root: string;
  from: { duckstack: string; digest: string };
  to: { duckstack: string; digest: string };
  /** Files the update touches or keeps deliberately (unchanged files are not listed). */
  files: UpdateFile[];
  /** What would be written, origin record included. */
  changes: FileChange[];
  conflicts: string[];
  /** The fork before and after the update, as a fork made before sees it. */
  impact: ImpactReport;
}

export interface UpdateOptions {
  /** The templates to update from; default: this DuckStack's own. */
  templatesDir?: string;
  /** Run on a dirty work tree (or without git). */
  allowDirty?: boolean;
  /** YYYY-MM-DD of the update, for the origin record. */
  today?: string;
}

/**
 * Why an update was not planned: `unsafe-tree` when git cannot keep the fork's own uncommitted
 * work apart from the update (no repository, or uncommitted changes), which allowDirty overrides;
 * `cannot-update` for everything else (no origin record, no templates, a file it may not rewrite).
 */
export type UpdateFailureCode = 'unsafe-tree' | 'cannot-update';

export type UpdateResult = { ok: true; plan: UpdatePlan } | { ok: false; code: UpdateFailureCode; message: string };

function readFork(file: string): string | undefined | null {
  try {
    if (!fs.lstatSync(file).isFile()) return null;
    return new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : null; // null: exists, but not UTF-8 text we may rewrite
  }
}

export async function planUpdate(root: string, options: UpdateOptions = {}): Promise<UpdateResult> {
  const origin = readOrigin(root);
  if (!origin.ok) return { ok: false, code: 'cannot-update', message: origin.message };
  const repo = await findRepository(root);
  if (!options.allowDirty) {
    if (!repo) return { ok: false, code: 'unsafe-tree', message: `${root} is not in a git repository, so uncommitted work cannot be told apart from the update: commit the fork first, or allow a dirty tree (--allow-dirty). Nothing was written.` };
    const status = await isDirty(repo);
    if (status.dirty) {
      const shown = status.files.slice(0, 10).join(', ') + (status.files.length > 10 ? `, and ${status.files.length - 10} more` : '');
      return { ok: false, code: 'unsafe-tree', message: `the git working tree has uncommitted changes (${shown}): commit or stash them first, or allow a dirty tree (--allow-dirty). Nothing was written.` };
    }
  }
  const templatesDir = options.templatesDir ?? defaultTemplatesDir();
  if (!templatesDir || !fs.existsSync(templatesDir)) return { ok: false, code: 'cannot-update', message: 'the templates folder of DuckStack was not found.' };
  const { answers } = origin.origin;
  // Rendered for the fork as it is (its own files are there): not a new fork, so no emptiness check.
  const rendered = planScaffold({ dir: root, templatesDir, projectName: answers.projectName, ports: answers.ports, without: answers.without, allowNonEmpty: true });
  if (rendered.problems.length > 0) return { ok: false, code: 'cannot-update', message: `the templates cannot be rendered with this fork's answers: ${rendered.problems.join(' ')}` };
  const template = new Map(rendered.files.map((f) => [f.path, f]));

  const files: UpdateFile[] = [];
  const changes: FileChange[] = [];
  const paths = [...new Set([...origin.pristine.keys(), ...template.keys()])].sort();
  for (const rel of paths) {
    const base = origin.pristine.get(rel)?.content;
    const theirs = template.get(rel)?.content;
    const ours = readFork(path.join(root, ...rel.split('/')));
    if (ours === null) {
      if (base !== theirs) files.push({ path: rel, outcome: 'kept-binary' });
      continue;
    }
    if (base === undefined && theirs !== undefined) {
      if (ours === undefined) {
        files.push({ path: rel, outcome: 'added' });
        changes.push({ path: rel, before: undefined, after: theirs, executable: template.get(rel)?.executable ?? false });
      } else if (ours !== theirs) {
        // The fork made a file of the same name: both "added" it; merge against an empty base.
        const merged = await mergeFile(ours, '', theirs);
        if (!merged.ok) return { ok: false, code: 'cannot-update', message: merged.message };
        files.push({ path: rel, outcome: merged.conflicts > 0 ? 'conflict' : 'merged', sides: { base: '', fork: ours, template: theirs } });
        changes.push({ path: rel, before: ours, after: merged.text });
      }
      continue;
    }
    if (base === undefined) continue;
    if (theirs === undefined) {
      if (ours === undefined) continue;
      if (ours === base) {
        files.push({ path: rel, outcome: 'removed' });
        changes.push({ path: rel, before: ours, after: undefined });
      } else files.push({ path: rel, outcome: 'kept-modified' });
      continue;
    }
    if (theirs === base) continue; // the template did not change it: whatever the fork did stays
    if (ours === undefined) {
      files.push({ path: rel, outcome: 'kept-deleted' });
      continue;
    }
    if (ours === theirs) continue;
    if (ours === base) {
      files.push({ path: rel, outcome: 'updated' });
      changes.push({ path: rel, before: ours, after: theirs });
      continue;
    }
    const merged = await mergeFile(ours, base, theirs);
    if (!merged.ok) return { ok: false, code: 'cannot-update', message: merged.message };
    files.push({ path: rel, outcome: merged.conflicts > 0 ? 'conflict' : 'merged', sides: { base, fork: ours, template: theirs } });
    if (merged.text !== ours) changes.push({ path: rel, before: ours, after: merged.text });
  }

  // The new base: the current templates as rendered, in a new origin record.
  const digest = templateDigest(templatesDir);
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  for (const record of originFiles(answers, [...template.values()], digest, origin.origin.created, today)) {
    const before = readFork(path.join(root, ...record.path.split('/')));
    if (before === null) return { ok: false, code: 'cannot-update', message: `${record.path} is not a regular UTF-8 file.` };
    if (before !== record.content) changes.push({ path: record.path, before, after: record.content });
  }

  // The impact of the update on the fork: its platform files before and after.
  const beforeSnapshot = workingSnapshot(root, 'the fork before the update');
  const afterFiles = new Map(beforeSnapshot.files);
  for (const c of changes) {
    if (!isPlatformFile(c.path)) continue;
    if (c.after === undefined) afterFiles.delete(c.path);
    else afterFiles.set(c.path, c.after);
  }
  const impact = compareSnapshots(beforeSnapshot, { label: 'the fork after the update', files: afterFiles });
  return {
    ok: true,
    plan: {
      root,
      from: { duckstack: origin.origin.template.version, digest: origin.origin.template.digest },
      to: { duckstack: DUCKSTACK_VERSION, digest },
      files,
      changes,
      conflicts: files.filter((f) => f.outcome === 'conflict').map((f) => f.path),
      impact,
    },
  };
}

export { ORIGIN_FILE, PRISTINE_FILE };
