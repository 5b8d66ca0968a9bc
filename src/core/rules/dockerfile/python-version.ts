import * as path from 'node:path';
import type { Report, Rule } from '../../lint/types';
import { parseFroms, pythonTagVersion, type ImageRef } from './from';

interface PythonFrom {
  image: ImageRef;
  version: string;
}

function pythonFroms(text: string): PythonFrom[] {
  const result: PythonFrom[] = [];
  for (const from of parseFroms(text)) {
    if (from.isStage || from.image.name !== 'python' || from.image.tag === undefined) continue;
    const version = pythonTagVersion(from.image.tag);
    if (version !== undefined) result.push({ image: from.image, version });
  }
  return result;
}

/** "3.11.9" satisfies "3.11"; "3.1" does not satisfy "3.11". */
function satisfies(version: string, wanted: string): boolean {
  return version === wanted || version.startsWith(`${wanted}.`);
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * The version most Dockerfiles of the project use, with the files using each. A tie goes to the
 * higher version (the guide: never downgrade), so every file of the project agrees on the answer.
 */
export function projectMajority(files: ReadonlyArray<{ file: string; versions: string[] }>): { majority: string; byVersion: Map<string, string[]> } | undefined {
  const byVersion = new Map<string, string[]>();
  for (const { file, versions } of files) {
    for (const v of new Set(versions)) byVersion.set(v, [...(byVersion.get(v) ?? []), file]);
  }
  let majority: string | undefined;
  for (const [v, users] of byVersion) {
    const best = majority === undefined ? 0 : (byVersion.get(majority)?.length ?? 0);
    if (majority === undefined || users.length > best || (users.length === best && compareVersions(v, majority) > 0)) majority = v;
  }
  return majority === undefined ? undefined : { majority, byVersion };
}

export const dockerfilePythonVersion: Rule = {
  id: 'dockerfile-python-version',
  meta: {
    description: 'Python base images use the golden Python version, the same in every Dockerfile of the project.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['dockerfile'],
    messages: {
      notGolden: 'Python {{version}} differs from the golden Python {{golden}} (golden_versions.md).',
      proliferation: 'Python {{version}} here, but other Dockerfiles of the project use Python {{majority}} ({{files}}).',
      ahead: 'Python {{version}} is newer than the golden Python {{golden}} (golden_versions.md). The guide never downgrades: once tested, raise the row (duckstack upgrade python {{version}}).',
    },
  },
  check(ctx) {
    const here = pythonFroms(ctx.text);
    if (here.length === 0) return [];
    // Never a fix that lowers the version: the guide forbids downgrades.
    const fixTo = (from: PythonFrom, version: string): Report['fix'] =>
      from.image.tagStart === undefined || compareVersions(from.version, version) > 0
        ? undefined
        : {
            title: `Use Python ${version}`,
            edits: [{ start: from.image.tagStart, end: from.image.tagStart + from.version.length, text: version }],
          };
    const golden = ctx.golden.lookup('python');
    if (golden) {
      return here
        .filter((f) => !satisfies(f.version, golden.version))
        .map((f) => ({
          messageId: compareVersions(f.version, golden.version) > 0 ? 'ahead' : 'notGolden',
          data: { version: f.version, golden: golden.version },
          start: f.image.start,
          end: f.image.end,
          fix: fixTo(f, golden.version),
        }));
    }
    // No golden Python: the project's Dockerfiles must at least agree with each other.
    const files = [
      { file: ctx.file, versions: here.map((f) => f.version) },
      ...ctx.project.dockerfiles
        .filter((d) => path.resolve(d.file) !== path.resolve(ctx.file))
        .map((d) => ({ file: d.file, versions: pythonFroms(d.text).map((f) => f.version) })),
    ];
    const summary = projectMajority(files);
    if (!summary || summary.byVersion.size < 2) return [];
    const { majority, byVersion } = summary;
    const users = (byVersion.get(majority) ?? []).map((f) => path.relative(ctx.root, f) || f).join(', ');
    return here
      .filter((f) => f.version !== majority)
      .map((f) => ({
        messageId: 'proliferation',
        data: { version: f.version, majority, files: users },
        start: f.image.start,
        end: f.image.end,
        fix: fixTo(f, majority),
      }));
  },
};
