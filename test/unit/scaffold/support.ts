// Shared helpers of the scaffold tests: temp folders, the option sets, snippet expansion.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OptionalService, ScaffoldOptions } from '../../../src/core/scaffold';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const TEMPLATES_DIR = path.join(REPO_ROOT, 'templates');
export const SNIPPETS_DIR = path.join(REPO_ROOT, 'snippets');
export const FIXTURES_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'scaffold');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `duckstack-scaffold-${prefix}-`));
}

/** Every combination of optional services, plus one with non-default ports. */
export const OPTION_SETS: Array<{ label: string; without: OptionalService[]; ports?: ScaffoldOptions['ports'] }> = [
  { label: 'all services', without: [] },
  { label: 'without cube', without: ['cube'] },
  { label: 'without jupyter', without: ['jupyter'] },
  { label: 'without cube and jupyter', without: ['cube', 'jupyter'] },
  { label: 'custom ports', without: [], ports: { dagster: 13000, dbt: 18080, superset: 18088, cube: 14000, jupyter: 18888 } },
];

/** Every file under dir, as sorted relative POSIX paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out.sort();
}

export interface Snippet {
  file: string;
  name: string;
  prefix: string;
  body: string[];
}

export function loadSnippets(): Snippet[] {
  return fs
    .readdirSync(SNIPPETS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) => {
      const data = JSON.parse(fs.readFileSync(path.join(SNIPPETS_DIR, file), 'utf8')) as Record<string, { prefix: string; body: string[] }>;
      return Object.entries(data).map(([name, s]) => ({ file, name, prefix: s.prefix, body: s.body }));
    });
}

/**
 * Expands a VS Code snippet body with its defaults: `${1:default}` → default (nested ones too),
 * `${1|a,b|}` → a, `$1` / `${1}` / `$0` → nothing, `\$` `\}` `\\` → the character.
 */
export function expandSnippet(body: string[]): string {
  const text = body.join('\n');
  let i = 0;
  const parse = (stopAt: string | undefined): string => {
    let out = '';
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) {
        out += text[i + 1];
        i += 2;
      } else if (stopAt !== undefined && c === stopAt) {
        i++;
        return out;
      } else if (c === '$' && /\d/.test(text[i + 1] ?? '')) {
        i++;
        while (/\d/.test(text[i] ?? '')) i++;
      } else if (c === '$' && text[i + 1] === '{') {
        const m = /^\$\{(\d+)(:|\||\})/.exec(text.slice(i));
        if (!m) throw new Error(`unsupported snippet syntax at ${JSON.stringify(text.slice(i, i + 20))}`);
        i += m[0].length;
        if (m[2] === ':') out += parse('}');
        else if (m[2] === '|') {
          const end = text.indexOf('|}', i);
          out += text.slice(i, end).split(',')[0];
          i = end + 2;
        }
      } else {
        out += c;
        i++;
      }
    }
    if (stopAt !== undefined) throw new Error('unclosed placeholder in snippet');
    return out;
  };
  return parse(undefined);
}

export const SNIPPET_HOSTS = path.join(FIXTURES_DIR, 'snippet-hosts');

/** Which host compose file each compose snippet is inserted into. */
export const COMPOSE_HOSTS: Record<string, string> = {
  'duckstack-compose-service': 'service-with-postgres.yml',
  'duckstack-compose-postgres': 'service.yml',
  'duckstack-compose-redis': 'service.yml',
  'duckstack-compose-healthcheck-http': 'in-service-healthcheck.yml',
  'duckstack-compose-depends-on': 'in-service-depends-on.yml',
  'duckstack-compose-named-volume': 'in-service-volumes.yml',
};

/** The host file with the expanded snippet at its #SNIPPET line, indented as that line is. */
export function composeWithSnippet(snippet: Snippet): string {
  const host = fs.readFileSync(path.join(SNIPPET_HOSTS, COMPOSE_HOSTS[snippet.prefix]), 'utf8');
  return host.replace(/^( *)#SNIPPET$/m, (_, indent: string) =>
    expandSnippet(snippet.body)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => indent + line)
      .join('\n'),
  );
}
