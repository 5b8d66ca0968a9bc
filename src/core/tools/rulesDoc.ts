// DuckStack's own docs/rules.md: the documentation of every rule, served to assistants whole and
// one section at a time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFileSync } from '../files';

/** Where DuckStack's own docs/rules.md is: the nearest ancestor of this module holding it (src/, out/src/, dist/). */
export function rulesDocFile(from: string = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'docs', 'rules.md');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The `### <id>` section of docs/rules.md, without its heading; undefined when absent. */
export function ruleSection(doc: string, id: string): string | undefined {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === `### ${id}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^#{2,3} /.test(lines[end])) end++;
  return lines.slice(start + 1, end).join('\n').trim();
}

export function readRulesDoc(): string {
  const file = rulesDocFile();
  const read = file ? readRegularFileSync(file) : undefined;
  if (!read?.ok) throw new Error(`docs/rules.md is missing from this DuckStack installation${read && !read.ok ? `: ${read.message}` : ''}`);
  return read.text;
}
