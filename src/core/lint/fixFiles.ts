// Fixes files on disk (`duckstack lint --fix`): each file is read as bytes and rewritten only when
// it is valid UTF-8, keeping its byte order mark and line ends, through one atomic write; secrets
// a fix removes go to .env first. A file that cannot be fixed is left exactly as it was.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFileBytes } from '../files';
import { describeWriteError, writeFileAtomic } from '../fs/atomic';
import { decodeUtf8, encodeUtf8 } from '../fs/text';
import { fixText, lintText, type LintOptions, type ProjectContext } from './engine';
import { secretsKept, storeSecrets } from './envSecrets';
import type { Secret } from './types';
import type { FileKind } from '../workspace/classify';

export interface FixFilesResult {
  /** Files rewritten. */
  fixed: string[];
  /** Files that could not be read or written (each left unchanged): I/O errors. */
  errors: string[];
  /** What the user should know that is not an error: secrets not moved, .env created, .gitignore changed. */
  notes: string[];
  /** A .env or .gitignore was written: the project context (variables from .env) changed. */
  envChanged: boolean;
}

/** Fixes each file as the kind its lint gave it (the kind is not worked out again). */
export async function fixFiles(files: ReadonlyMap<string, FileKind>, project: ProjectContext, options: LintOptions): Promise<FixFilesResult> {
  const result: FixFilesResult = { fixed: [], errors: [], notes: [], envChanged: false };
  for (const [file, kind] of files) {
    const read = await readRegularFileBytes(file);
    if (!read.ok) {
      result.errors.push(`${file}: ${read.message}`);
      continue;
    }
    const decoded = decodeUtf8(read.bytes);
    // Never rewritten: decoding would replace those bytes. The lint finding `file-not-utf8` says why.
    if (!decoded.ok) continue;
    const input = { file, text: decoded.text, kind };

    const secrets: Secret[] = lintText(input, project, options).flatMap((f) => f.fix?.secrets ?? []);
    let stored = new Map<string, string>();
    if (secrets.length > 0) {
      const envFile = path.join(path.dirname(file), '.env');
      const created = !fs.existsSync(envFile);
      const kept = await storeSecrets(envFile, secrets, path.basename(file));
      stored = kept.stored;
      if (kept.added.length > 0) result.envChanged = true;
      const rel = (p: string): string => path.relative(project.root, p) || p;
      if (kept.added.length > 0) result.notes.push(`${rel(file)}: moved ${kept.added.join(', ')} to ${rel(envFile)}${created ? ' (created, mode 600)' : ''}`);
      if (kept.gitignore) result.notes.push(kept.gitignore);
      for (const r of kept.refused) result.notes.push(`${rel(file)}: ${r.name} was left in place: ${r.reason}`);
    }

    const text = fixText(input, project, options, (fix) => secretsKept(stored, fix.secrets));
    if (text === decoded.text) continue;
    try {
      await writeFileAtomic(file, encodeUtf8(text, decoded.bom));
      result.fixed.push(file);
    } catch (e) {
      result.errors.push(`${file}: not fixed, the file is unchanged: ${describeWriteError(e)}`);
    }
  }
  return result;
}
