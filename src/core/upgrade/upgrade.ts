// Upgrading a tool of golden_versions.md: the platform guide's "Upgrading a Service Version"
// done as one change. Refuses a downgrade (of the row or of any pin), then changes the row and
// every pin of it across the fork (images, FROM and their ARG, requirements, pyproject.toml,
// package.json) and adds a dated entry to other/Workplan.md with the migration checklist.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findGoldenVersionsFile, parseGoldenVersions } from '../golden/golden';
import { findPins, goldenEntryOf, goldenVersionRange, PINNED_KINDS, type Pin } from '../rules/pins';
import { buildModel } from '../impact/model';
import { workingSnapshot } from '../impact/snapshot';
import { classifyFile } from '../workspace/classify';
import { workspaceFiles } from '../workspace/walk';
import type { TextEdit } from '../lint/types';
import type { GoldenEntry } from '../golden/types';
import { compareGolden, compareVersions, parsePep440, tagNumbers } from '../versions/compare';
import type { FileChange } from '../edits/files';

export const WORKPLAN = 'other/Workplan.md';

/** One edit of the upgrade, with where it is, for previews (VS Code's refactor preview groups by file). */
export interface UpgradeEdit extends TextEdit {
  /** Relative POSIX path. */
  file: string;
  /** 0-based line of the edit. */
  line: number;
  /** What is changed: "golden_versions.md row", "image", "FROM", "ARG", "requirement", "dependency". */
  what: string;
  /** The package or image the edit pins, as written. */
  name: string;
  from: string;
}

export interface UpgradePlan {
  root: string;
  tool: string;
  from: string;
  to: string;
  /** Every edit of a pin or the row, in file order. */
  edits: UpgradeEdit[];
  /** The Workplan entry's text and where it goes (insertion offset into the file, or a new file). */
  workplan: { file: string; before: string | undefined; offset: number; text: string };
  /** Every changed file before and after, for a diff and for writing. */
  changes: FileChange[];
  /** Services to rebuild (their build context holds a changed file) or pull (their image changed). */
  rebuild: string[];
  pull: string[];
}

/** Why an upgrade was not planned: `downgrade` when it would lower a version (the guide forbids it), `cannot-upgrade` otherwise. */
export type UpgradeFailureCode = 'downgrade' | 'cannot-upgrade';

export type UpgradeResult = { ok: true; plan: UpgradePlan } | { ok: false; code: UpgradeFailureCode; message: string };

const NEVER = 'The platform guide, Upgrading a Service Version: "NEVER downgrade to fix issues".';

/** The golden row a user names: its tool ("Dagster"), or a package or image of it ("dagster-webserver", "apache/superset"). */
export function findRow(entries: readonly GoldenEntry[], name: string): GoldenEntry | undefined {
  const key = name.trim().toLowerCase();
  return entries.find((e) => e.tool.toLowerCase() === key) ?? entries.find((e) => e.names.includes(key) || e.names.includes(key.split('/').pop() ?? key));
}

/** Whether a version can be written as a golden version: digits and dots, a PEP 440 or SemVer suffix. */
function readableVersion(version: string): boolean {
  return /^\d+(?:\.\d+)*/.test(version) && (parsePep440(version) !== undefined || /^\d+(?:\.\d+)*(?:-[0-9A-Za-z.]+)?$/.test(version));
}

/** The new text of a pin: the version itself, or for an image tag the leading version with the tag's suffix kept ("3.11-slim" → "3.12-slim"). */
function newPinText(pin: Pin, to: string): string {
  if (pin.ecosystem !== 'image') return to;
  const m = /^(v?)(\d+(?:\.\d+)*)(.*)$/.exec(pin.version);
  return m ? `${m[1]}${to}${m[3]}` : to;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function readUtf8(file: string): string | undefined {
  try {
    return fs.statSync(file).isFile() ? new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file)) : undefined;
  } catch {
    return undefined; // unreadable or not UTF-8: never rewritten
  }
}

/** Plans the upgrade of a golden row to `to`. Reads only; `today` dates the Workplan entry (YYYY-MM-DD). */
export function planUpgrade(root: string, name: string, to: string, today: string, goldenSetting?: string): UpgradeResult {
  const goldenFile = findGoldenVersionsFile(root, goldenSetting);
  if (!goldenFile) return { ok: false, code: 'cannot-upgrade', message: `no golden_versions.md in ${root}: nothing says which version is approved.` };
  const goldenText = readUtf8(goldenFile);
  if (goldenText === undefined) return { ok: false, code: 'cannot-upgrade', message: `${goldenFile} cannot be read as UTF-8 text.` };
  const golden = parseGoldenVersions(goldenText, goldenFile).golden;
  const entry = findRow(golden.entries, name);
  if (!entry) return { ok: false, code: 'cannot-upgrade', message: `golden_versions.md has no row for '${name}'. Rows: ${golden.entries.map((e) => e.tool).join(', ')}.` };
  const version = to.replace(/^v(?=\d)/, '');
  if (!readableVersion(version)) return { ok: false, code: 'cannot-upgrade', message: `'${to}' is not a version (expected something like 1.9.3).` };
  const order = compareGolden(version, entry.version);
  if (order === undefined) return { ok: false, code: 'cannot-upgrade', message: `${version} cannot be compared with ${entry.tool}'s golden version ${entry.version}.` };
  if (order < 0) return { ok: false, code: 'downgrade', message: `refused: ${version} is lower than ${entry.tool}'s golden version ${entry.version}. ${NEVER}` };
  if (order === 0 && version === entry.version) return { ok: false, code: 'cannot-upgrade', message: `${entry.tool} is already at ${entry.version}.` };

  const rel = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  const edits: UpgradeEdit[] = [];
  const texts = new Map<string, string>();
  const rowRange = goldenVersionRange(goldenText, entry);
  if (!rowRange) return { ok: false, code: 'cannot-upgrade', message: `the version cell of ${entry.tool}'s row in ${rel(goldenFile)} could not be found.` };
  texts.set(rel(goldenFile), goldenText);
  edits.push({ file: rel(goldenFile), ...rowRange, text: version, line: entry.line, what: 'golden_versions.md row', name: entry.tool, from: entry.version });
  // The row's own image reference ("`python:3.11-slim`") carries the version too.
  const lines = goldenText.split('\n');
  const rowStart = lines.slice(0, entry.line).reduce((n, l) => n + l.length + 1, 0);
  for (const m of lines[entry.line].matchAll(/[\w./-]+:v?(\d+(?:\.\d+)*)/g)) {
    if (m[1] !== entry.version) continue;
    const start = rowStart + (m.index ?? 0) + m[0].length - m[1].length;
    if (start < rowRange.start) edits.push({ file: rel(goldenFile), start, end: start + m[1].length, text: version, line: entry.line, what: 'golden_versions.md row', name: entry.tool, from: m[1] });
  }

  const lower: string[] = [];
  for (const file of workspaceFiles(root)) {
    const kind = classifyFile(file);
    if (!kind || !PINNED_KINDS.has(kind)) continue;
    const text = readUtf8(file);
    if (text === undefined) continue;
    for (const pin of findPins(text, kind)) {
      if (goldenEntryOf(pin, golden)?.tool !== entry.tool) continue;
      const newText = newPinText(pin, version);
      if (newText === pin.version) continue;
      const pinOrder = pin.ecosystem === 'image' ? compareVersions(newText, pin.version, 'image') : compareVersions(version, pin.version, pin.ecosystem);
      if (pinOrder !== undefined && pinOrder < 0) {
        lower.push(`${rel(file)}:${lineOf(text, pin.start) + 1} pins ${pin.name} ${pin.version}`);
        continue;
      }
      if (pin.ecosystem === 'image' && tagNumbers(pin.version) === undefined) continue; // "latest": no version to change
      texts.set(rel(file), text);
      edits.push({ file: rel(file), start: pin.start, end: pin.end, text: newText, line: lineOf(text, pin.start), what: pin.where, name: pin.name, from: pin.version });
    }
  }
  if (lower.length > 0) {
    return { ok: false, code: 'downgrade', message: `refused: ${version} would lower pins that are already higher: ${lower.join('; ')}. ${NEVER}` };
  }
  edits.sort((a, b) => a.file.localeCompare(b.file) || a.start - b.start);

  // Which services the change reaches: a build context holding a changed file, or a changed image.
  const model = buildModel(workingSnapshot(root));
  const changedFiles = [...new Set(edits.map((e) => e.file))];
  const rebuild: string[] = [];
  const pull: string[] = [];
  for (const service of model.services.values()) {
    const context = service.build?.split(' (')[0];
    const dir = context === undefined ? undefined : path.posix.normalize(path.posix.join(path.posix.dirname(service.file), context));
    if (dir !== undefined && changedFiles.some((f) => dir === '.' || f.startsWith(`${dir}/`))) rebuild.push(service.name);
    else if (service.image && edits.some((e) => e.what === 'image' && e.file === service.file && service.image?.includes(`:${e.from}`))) pull.push(service.name);
  }

  const workplanFile = path.join(root, ...WORKPLAN.split('/'));
  const workplanText = readUtf8(workplanFile);
  if (workplanText === undefined && fs.existsSync(workplanFile)) return { ok: false, code: 'cannot-upgrade', message: `${WORKPLAN} cannot be read as UTF-8 text.` };
  const entryText = workplanEntry({ tool: entry.tool, from: entry.version, to: version, today, files: changedFiles, rebuild, pull, edits });
  let offset = 0;
  let text: string;
  if (workplanText === undefined) {
    text = `# Workplan\n\nSignificant infrastructure changes, newest first.\n\n${entryText}`;
  } else {
    // "Newest first": before the first entry; otherwise at the end.
    const first = /^## /m.exec(workplanText);
    offset = /newest first/i.test(workplanText) && first ? first.index : workplanText.length;
    const lead = offset === workplanText.length && workplanText !== '' ? (workplanText.endsWith('\n\n') ? '' : workplanText.endsWith('\n') ? '\n' : '\n\n') : '';
    text = `${lead}${entryText}${offset < workplanText.length ? '\n' : ''}`;
  }
  const changes: FileChange[] = [...texts].sort(([a], [b]) => a.localeCompare(b)).map(([file, before]) => ({
    path: file,
    before,
    after: applyEdits(before, edits.filter((e) => e.file === file)),
  }));
  // other/Workplan.md holds no pins, so it is not among the changes yet.
  changes.push({ path: WORKPLAN, before: workplanText, after: workplanText === undefined ? text : workplanText.slice(0, offset) + text + workplanText.slice(offset) });
  return {
    ok: true,
    plan: { root, tool: entry.tool, from: entry.version, to: version, edits, workplan: { file: WORKPLAN, before: workplanText, offset, text }, changes, rebuild: rebuild.sort(), pull: pull.sort() },
  };
}

/** Where each pinned package or image publishes its releases (PyPI, npm, Docker Hub). */
function releaseNotes(edits: readonly UpgradeEdit[], to: string): string[] {
  const out = new Set<string>();
  for (const e of edits) {
    if (e.what === 'requirement' || (e.what === 'dependency' && !e.file.endsWith('package.json'))) out.add(`https://pypi.org/project/${e.name.toLowerCase()}/${to}/`);
    else if (e.what === 'dependency') out.add(`https://www.npmjs.com/package/${e.name}/v/${to}`);
    else if (e.what === 'image' || e.what === 'FROM' || e.what === 'ARG') {
      const repo = e.name.replace(/^docker\.io\//, '').replace(/^library\//, '');
      if (!repo.includes('.') || !repo.includes('/')) out.add(repo.includes('/') ? `https://hub.docker.com/r/${repo}/tags` : `https://hub.docker.com/_/${repo}`);
    }
  }
  return [...out];
}

function workplanEntry(u: { tool: string; from: string; to: string; today: string; files: string[]; rebuild: string[]; pull: string[]; edits: UpgradeEdit[] }): string {
  const code = (s: string): string => `\`${s}\``;
  const notes = releaseNotes(u.edits, u.to);
  const services = [...u.rebuild, ...u.pull];
  return [
    `## ${u.today}: ${u.tool} ${u.from} → ${u.to}`,
    '',
    `- What: ${u.tool} upgraded from ${u.from} to ${u.to} in golden_versions.md and every pin of it (${u.files.map(code).join(', ')}).`,
    '- Why: (fill in: the fix or feature this upgrade brings).',
    `- Impact: ${services.length > 0 ? `the services ${services.map(code).join(', ')} change` : 'no compose service builds or runs it directly'}; a fork made before this change keeps ${u.from} until it takes this change.`,
    '- Migration:',
    `  - [ ] Read the release notes of ${u.tool} ${u.to} (and of every release since ${u.from}) for breaking changes${notes.length > 0 ? `: ${notes.join(', ')}` : ''}.`,
    ...(u.rebuild.length > 0 ? [`  - [ ] Rebuild: ${code(`docker compose build --pull ${u.rebuild.join(' ')}`)}.`] : []),
    ...(u.pull.length > 0 ? [`  - [ ] Pull: ${code(`docker compose pull ${u.pull.join(' ')}`)}.`] : []),
    `  - [ ] Full restart: ${code('docker compose down && docker compose up -d')}.`,
    `  - [ ] Verify: every service healthy (${code('docker compose ps')}), the data flow source → raw → staging → marts, every UI answers.`,
    '',
  ].join('\n');
}
