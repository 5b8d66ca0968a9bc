import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..', '..');

// ESLint and scripts/core-layers.mjs are ES modules: loaded with import(), which the CommonJS
// output of these tests keeps as is.
const loadEslint = (): Promise<typeof import('eslint', { with: { 'resolution-mode': 'import' } })> => import('eslint');
const loadLayers = (): Promise<typeof import('../../scripts/core-layers.mjs', { with: { 'resolution-mode': 'import' } })> => import(path.join(repo, 'scripts', 'core-layers.mjs'));

// Each way a file can load vscode, and the rules that must reject it under src/core.
const VSCODE_LOADS: Array<[code: string, rules: string[]]> = [
  ["import * as vscode from 'vscode';", ['no-restricted-imports']],
  ["export { window } from 'vscode';", ['no-restricted-imports']],
  ["type U = import('vscode').Uri;", ['no-restricted-syntax']],
  ["import vscode = require('vscode');", ['no-restricted-imports', 'no-restricted-syntax']],
  ["const vscode = require('vscode');", ['no-restricted-syntax']],
  ["const vscode = import('vscode');", ['no-restricted-syntax']],
];

suite('architecture (unit)', () => {
  test('ESLint rejects every way of loading vscode under src/core, and only there', async () => {
    const { ESLint } = await loadEslint();
    const eslint = new ESLint({ cwd: repo });
    for (const [code, rules] of VSCODE_LOADS) {
      const [inCore] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(repo, 'src', 'core', 'lint', 'probe.ts') });
      assert.deepEqual(inCore.messages.map((m) => [m.ruleId, m.severity]), rules.map((rule) => [rule, 2]), code);
      const [inAdapter] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(repo, 'src', 'lint', 'probe.ts') });
      assert.deepEqual(inAdapter.messages, [], code);
    }
  });

  test('src/core never imports vscode: ESLint finds nothing in it', async () => {
    const { ESLint } = await loadEslint();
    const results = await new ESLint({ cwd: repo }).lintFiles(['src/core']);
    assert.ok(results.length > 50, `only ${results.length} files linted under src/core`);
    assert.deepEqual(results.flatMap((r) => r.messages.map((m) => `${path.relative(repo, r.filePath)}:${m.line} ${m.message}`)), []);
  });

  test('the folders under src/core form a layered graph: no folder-level import cycle', async () => {
    const { folderCycles, folderGraph, describeCycles } = await loadLayers();
    const graph = folderGraph(path.join(repo, 'src', 'core'));
    assert.ok(graph.has('lint') && graph.has('rules') && graph.get('rules')?.has('lint'), 'the graph misses the rules → lint imports');
    const cycles = folderCycles(graph);
    assert.deepEqual(describeCycles(graph, cycles), []);
  });

  test('the layering check finds a cycle through any kind of import and names the imports', async () => {
    const { folderCycles, folderGraph, describeCycles } = await loadLayers();
    const core = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-layers-'));
    try {
      const write = (file: string, text: string): void => {
        fs.mkdirSync(path.dirname(path.join(core, file)), { recursive: true });
        fs.writeFileSync(path.join(core, file), text);
      };
      write('a/one.ts', "import { two } from '../b/two';\nexport const one = two;\n");
      write('b/two.ts', "export const two = 2;\nexport type C = import('../c/three').Three;\n");
      write('c/three.ts', "export interface Three { a: typeof import('../a/one') }\n");
      write('d/four.ts', "import { one } from '../a/one';\nexport const four = one;\n");
      write('top.ts', "import { four } from './d/four';\nexport const top = four;\n");
      const graph = folderGraph(core);
      const cycles = folderCycles(graph);
      assert.deepEqual(cycles, [['a', 'b', 'c']]);
      assert.deepEqual(describeCycles(graph, cycles), ['folder cycle in src/core: a, b, c\n  a → b: a/one.ts:1\n  b → c: b/two.ts:2\n  c → a: c/three.ts:1']);
      // Breaking one edge leaves a layered graph.
      write('c/three.ts', 'export interface Three { a: number }\n');
      assert.deepEqual(folderCycles(folderGraph(core)), []);
    } finally {
      fs.rmSync(core, { recursive: true, force: true });
    }
  });

  test('one workspace walker and one ignore list: no other code lists folders or names a skipped folder', () => {
    // Code that lists a folder for another reason than looking through a workspace, each with it.
    const OTHER_LISTINGS: Record<string, string> = {
      'src/core/workspace/walk.ts': 'the workspace walker itself',
      'src/core/lint/root.ts': 'looks up, not down: the folders above a path, for the project root marker',
      'src/core/scaffold/template.ts': "DuckStack's own templates folder, every file of which a fork gets",
      'src/core/scaffold/plan.ts': 'whether the folder a fork is created in is empty',
      'src/core/duckdb/snapshot.ts': "DuckStack's own snapshot folder in the temp folder, to sweep",
      'src/core/doctor/host-ports.ts': "/proc, for the process holding a port",
    };
    const files: string[] = [];
    const collect = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) collect(full);
        else if (entry.name.endsWith('.ts')) files.push(full);
      }
    };
    collect(path.join(repo, 'src'));
    assert.ok(files.length > 150, `only ${files.length} source files found`);
    const listing = /\b(readdirSync|readdir|opendirSync|opendir|globSync|glob)\s*\(/;
    // A skipped folder's name written as a list item or a glob alternative ('node_modules', {target,node_modules}).
    const skipped = /['"](node_modules|__pycache__|site-packages|dbt_packages)['"]|[{,](node_modules|__pycache__|site-packages|dbt_packages)[,}]/;
    const offenders: string[] = [];
    for (const file of files) {
      const rel = path.relative(repo, file).split(path.sep).join('/');
      // Comments may name folders and calls; code may not.
      const text = fs.readFileSync(file, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '');
      if (listing.test(text) && !(rel in OTHER_LISTINGS)) offenders.push(`${rel}: lists a folder: walk the workspace with src/core/workspace/walk.ts`);
      // The templates walk leaves out Python's caches of DuckStack's own files, which are no workspace.
      if (skipped.test(text) && rel !== 'src/core/workspace/ignore.ts' && rel !== 'src/core/scaffold/template.ts') offenders.push(`${rel}: names a skipped folder: the one list is src/core/workspace/ignore.ts`);
      // The editor's file search excludes the one list too: the call's whole argument list (nested
      // parentheses included, as in findFiles(new RelativePattern(…), search.exclude)) names it.
      for (const m of text.matchAll(/findFiles\(/g)) if (!callArguments(text, m.index + m[0].length).includes('exclude')) offenders.push(`${rel}: findFiles without workspaceSearch's exclude glob`);
    }
    assert.deepEqual(offenders, []);
  });

  test('the CLI bundle runs without vscode and lists its commands', () => {
    const cli = path.join(repo, 'src', 'cli.ts');
    const text = fs.readFileSync(cli, 'utf8');
    assert.doesNotMatch(text, /['"]vscode['"]/);
    for (const name of ['lint', 'status', 'up', 'down', 'restart', 'catalog', 'query', 'new', 'validate', 'doctor', 'impact', 'upgrade', 'update', 'mcp']) {
      assert.match(text, new RegExp(`\\b${name}: \\{`), `duckstack ${name} is not registered in src/cli.ts`);
    }
  });
});

/** The text of a call's arguments, from just after its opening parenthesis to the matching one. */
function callArguments(text: string, start: number): string {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(start, i);
  }
  return text.slice(start);
}
