// The folders under src/core must form a layered graph: when folder A imports from folder B, B
// never imports (directly or through other folders) from A. Imports are read with the same parser
// ESLint uses (import/export declarations, import(), require(), import types), so a cycle through
// any of them is found. Used by scripts/lint.mjs (npm test) and test/unit/architecture.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import parser from 'duckstack-eslint-typescript';

function sources(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : /\.[cm]?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Every module specifier a file names: import/export … from, import(), require(), import('…') types. */
export function importsOf(text) {
  const ast = parser.parse(text, { range: false, loc: true, comment: false, sourceType: 'module', ecmaVersion: 'latest' });
  const found = [];
  const visit = (node) => {
    if (!node || typeof node.type !== 'string') return;
    if ((node.type === 'ImportDeclaration' || node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration' || node.type === 'ImportExpression') && node.source?.type === 'Literal') {
      found.push({ specifier: String(node.source.value), line: node.loc.start.line });
    } else if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal') {
      found.push({ specifier: String(node.arguments[0].value), line: node.loc.start.line });
    } else if (node.type === 'TSExternalModuleReference' && node.expression.type === 'Literal') {
      found.push({ specifier: String(node.expression.value), line: node.loc.start.line });
    } else if (node.type === 'TSImportType' && node.argument?.literal?.type === 'Literal') {
      found.push({ specifier: String(node.argument.literal.value), line: node.loc.start.line });
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent' || key === 'loc' || key === 'range') continue;
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') visit(value);
    }
  };
  visit(ast);
  return found;
}

/** The top folder of src/core a path lies in ("lint" for src/core/lint/engine.ts), or undefined outside core or at its top. */
function folderOf(coreDir, file) {
  const relative = path.relative(coreDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const parts = relative.split(path.sep);
  return parts.length > 1 ? parts[0] : undefined;
}

/**
 * The folder graph of coreDir: folder → folder → the imports that make that edge (file:line).
 * Files directly in coreDir belong to no folder and add no edge.
 */
export function folderGraph(coreDir) {
  const graph = new Map();
  for (const file of sources(coreDir)) {
    const from = folderOf(coreDir, file);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const { specifier, line } of importsOf(fs.readFileSync(file, 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const to = folderOf(coreDir, path.resolve(path.dirname(file), specifier));
      if (!to || to === from) continue;
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to).push(`${path.relative(coreDir, file)}:${line}`);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan): each is a cycle to break. */
export function folderCycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const connect = (v) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v), indices.get(w)));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v);
  return cycles;
}

/** One paragraph per cycle: the folders and the imports that tie them, for the person who breaks it. */
export function describeCycles(graph, cycles) {
  return cycles.map((folders) => {
    const inCycle = new Set(folders);
    const edges = folders.flatMap((from) =>
      [...(graph.get(from) ?? new Map())].filter(([to]) => inCycle.has(to)).map(([to, where]) => `  ${from} → ${to}: ${where.slice(0, 3).join(', ')}${where.length > 3 ? ` (+${where.length - 3})` : ''}`),
    );
    return `folder cycle in src/core: ${folders.join(', ')}\n${edges.join('\n')}`;
  });
}
