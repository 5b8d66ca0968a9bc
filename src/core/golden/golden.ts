// golden_versions.md: a tolerant reader of the markdown tables that pin each tool's version.
// Real files vary (header names, bold/code/links in cells, "v" prefixes, trailing notes, extra
// columns), so columns are found by header synonyms and each cell is cleaned before reading.
import * as path from 'node:path';
import { readRegularFile, regularFileProblem } from '../files';
import { classifyFile } from '../workspace/classify';
import { walkWorkspace } from '../workspace/walk';
import type { GoldenEntry, GoldenVersions } from './types';

/** A table row that names a tool but whose version could not be read. */
export interface GoldenProblem {
  message: string;
  /** 0-based offsets of the row in the file's text. */
  start: number;
  end: number;
}

export interface GoldenParse {
  golden: GoldenVersions;
  problems: GoldenProblem[];
}

// Names that differ between the table and images/packages for the same tool.
const ALIASES: Record<string, string[]> = {
  postgresql: ['postgres'],
  postgres: ['postgresql'],
  'cube.js': ['cube', 'cubejs'],
  cubejs: ['cube'],
  'apache superset': ['superset', 'apache-superset'],
  'apache-superset': ['superset'],
  'dbt core': ['dbt-core', 'dbt'],
  'dbt-core': ['dbt'],
  'node.js': ['node', 'nodejs'],
  nodejs: ['node'],
  jupyterlab: ['jupyter'],
  'pandas-ai': ['pandasai'],
  pandasai: ['pandas-ai'],
};

type Column = 'tool' | 'names' | 'version';

function headerColumn(cell: string): { column: Column; rank: number } | undefined {
  const h = cell.toLowerCase();
  if (/\b(latest|minimum|min|previous|old|upgrade|notes?|comments?)\b/.test(h)) return undefined;
  if (/golden/.test(h)) return { column: 'version', rank: 3 };
  if (/pinned|pin\b/.test(h)) return { column: 'version', rank: 2 };
  if (/version|release|tag/.test(h)) return { column: 'version', rank: 1 };
  if (/package|image|library|module/.test(h)) return { column: 'names', rank: 1 };
  if (/tool|software|component|service|name|technology|dependency/.test(h)) return { column: 'tool', rank: 1 };
  return undefined;
}

/** Strips markdown from a cell: links, images, bold/italic, code, html tags, escapes. */
export function cleanCell(cell: string): string {
  return cell
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/(\*\*|__)(.*?)\1/g, '$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(^|\s)[*_]([^*_]+)[*_](?=\s|$)/g, '$1$2')
    .replace(/\\([|*_`])/g, '$1')
    .replace(/[✅⚠️🔴🟢🟡❌]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// A SemVer suffix ("-rc.1") or a PEP 440 one written without a dash ("rc1", "b2", ".post1", ".dev0"),
// so "1.9.1rc1" stays a pre-release instead of reading as the release 1.9.1.
const VERSION = /(?:^|[\s(=~^>:@])v?(\d+(?:\.\d+)*(?:-[0-9A-Za-z][0-9A-Za-z.]*|(?:a|b|rc)\d+(?:\.(?:post|dev)\d+)*|(?:\.(?:post|dev)\d+)+)?)/;

/** The first version in a cleaned cell: "**v1.9.1** (pinned)" → "1.9.1", "==3.11" → "3.11", "1.9.1rc1" → "1.9.1rc1". */
export function readVersion(cleaned: string): string | undefined {
  const m = VERSION.exec(` ${cleaned}`);
  return m?.[1];
}

function splitRow(line: string): Array<{ text: string; start: number; end: number }> {
  const cells: Array<{ text: string; start: number; end: number }> = [];
  let start = 0;
  for (let i = 0; i <= line.length; i++) {
    if (i === line.length || (line[i] === '|' && line[i - 1] !== '\\')) {
      cells.push({ text: line.slice(start, i), start, end: i });
      start = i + 1;
    }
  }
  // Leading and trailing pipes make empty outer cells.
  if (cells.length > 1 && cells[0].text.trim() === '') cells.shift();
  if (cells.length > 1 && cells[cells.length - 1].text.trim() === '') cells.pop();
  return cells;
}

const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Lower-case names a tool is known by: the package/image cell's names and variants of the tool's name. */
function namesFor(tool: string, namesCell: string | undefined): string[] {
  const names = new Set<string>();
  const add = (n: string): void => {
    const key = normalizeName(n);
    if (key === '') return;
    names.add(key);
    for (const alias of ALIASES[key] ?? []) names.add(alias);
  };
  if (namesCell) {
    for (const part of namesCell.split(/,|;|\s\/\s|\s+or\s+|\s+and\s+/)) add(part.replace(/\(.*?\)/g, ''));
  }
  const toolName = tool.replace(/\(.*?\)/g, '').trim();
  add(toolName);
  add(toolName.replace(/\s+/g, '-'));
  return [...names];
}

/** "apache/superset:5.0.0" → "superset", "python:3.11-slim" → "python", "dbt-duckdb==1.8" → "dbt-duckdb". */
export function normalizeName(raw: string): string {
  let n = raw.trim().toLowerCase();
  n = n.replace(/@sha256:[0-9a-f]+$/, '');
  n = n.split(/\s*(?:==|>=|<=|~=|!=|\^|~|>|<)\s*/)[0];
  n = n.replace(/\[.*\]$/, '');
  const lastSlash = n.lastIndexOf('/');
  const colon = n.indexOf(':', lastSlash + 1);
  if (colon >= 0) n = n.slice(0, colon);
  if (lastSlash >= 0 && !n.startsWith('@')) n = n.slice(lastSlash + 1);
  return n.replace(/\s+\d[\w.]*$/, '').trim();
}

export function parseGoldenVersions(text: string, file: string): GoldenParse {
  const entries: GoldenEntry[] = [];
  const problems: GoldenProblem[] = [];
  const lines = text.split('\n');
  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].includes('|') || !DELIMITER_ROW.test(lines[i + 1])) continue;
    const columns = new Map<Column, { index: number; rank: number }>();
    splitRow(lines[i]).forEach((cell, index) => {
      const found = headerColumn(cleanCell(cell.text));
      if (!found) return;
      const prev = columns.get(found.column);
      if (!prev || found.rank > prev.rank) columns.set(found.column, { index, rank: found.rank });
    });
    const versionCol = columns.get('version')?.index;
    const toolCol = columns.get('tool')?.index ?? columns.get('names')?.index;
    let row = i + 2;
    for (; row < lines.length && lines[row].includes('|') && lines[row].trim() !== ''; row++) {
      if (versionCol === undefined || toolCol === undefined) continue;
      const cells = splitRow(lines[row].replace(/\r$/, '')).map((c) => cleanCell(c.text));
      if (cells.every((c) => c === '' || /^-+$/.test(c))) continue;
      const tool = cells[toolCol] ?? '';
      const rowStart = offsets[row];
      const rowEnd = rowStart + lines[row].replace(/\r$/, '').length;
      const version = readVersion(cells[versionCol] ?? '');
      if (tool === '' || version === undefined) {
        problems.push({
          message: tool === ''
            ? 'This golden_versions row names no tool.'
            : `No version could be read for "${tool}" (expected a version like 1.9.1 in the "Version" column).`,
          start: rowStart,
          end: rowEnd,
        });
        continue;
      }
      const namesCol = columns.get('names')?.index;
      entries.push({ tool, names: namesFor(tool, namesCol === undefined ? undefined : cells[namesCol]), version, file, line: row });
    }
    i = row - 1;
  }
  return { golden: goldenFrom(file, entries), problems };
}

export function goldenFrom(file: string | undefined, entries: GoldenEntry[]): GoldenVersions {
  const byName = new Map<string, GoldenEntry>();
  for (const entry of entries) for (const name of entry.names) if (!byName.has(name)) byName.set(name, entry);
  return {
    file,
    entries,
    lookup(name: string): GoldenEntry | undefined {
      let key = normalizeName(name);
      for (;;) {
        const found = byName.get(key) ?? byName.get(key.replace(/(\.js|js)$/, ''));
        if (found) return found;
        // "dagster-webserver" → "dagster": a package family shares its tool's row.
        const dash = key.lastIndexOf('-');
        if (dash <= 0) return undefined;
        key = key.slice(0, dash);
      }
    },
  };
}

export const noGoldenVersions: GoldenVersions = goldenFrom(undefined, []);

/**
 * The golden_versions file: the setting (absolute or relative to root) if given, else the first
 * golden_versions*.md of the workspace walk (shallowest first, outside the folders it skips).
 * The lint, the hover, Upgrade Tool Version and Open golden_versions.md all open this one.
 */
export function findGoldenVersionsFile(root: string, setting?: string): string | undefined {
  if (setting) {
    const file = path.resolve(root, setting);
    return regularFileProblem(file) === undefined ? file : undefined;
  }
  for (const entry of walkWorkspace(root, { maxDepth: 5 })) {
    if (entry.type === 'file' && classifyFile(entry.path) === 'goldenVersions') return entry.path;
  }
  return undefined;
}

/** Reads and parses the golden file; a missing or unreadable file gives no entries. */
export async function loadGoldenVersions(root: string, setting?: string): Promise<GoldenParse> {
  const file = findGoldenVersionsFile(root, setting);
  if (!file) return { golden: noGoldenVersions, problems: [] };
  const read = await readRegularFile(file);
  return read.ok ? parseGoldenVersions(read.text, file) : { golden: goldenFrom(file, []), problems: [] };
}
