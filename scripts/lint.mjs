// The static checks `npm test` runs first: ESLint over src, test and bench (eslint.config.mjs:
// no `vscode` under src/core), then the folder layering of src/core (scripts/core-layers.mjs).
// Exit 1 when either finds a problem.
import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describeCycles, folderCycles, folderGraph } from './core-layers.mjs';

const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });
const results = await eslint.lintFiles(['src', 'test', 'bench']);
const formatted = (await eslint.loadFormatter('stylish')).format(results);
if (formatted) console.log(formatted);
const errors = results.reduce((n, r) => n + r.errorCount, 0);
console.log(`[duckstack] ESLint: ${results.length} files, ${errors} error(s)`);

const graph = folderGraph(path.join(root, 'src', 'core'));
const cycles = folderCycles(graph);
for (const text of describeCycles(graph, cycles)) console.error(text);
const edges = [...graph.values()].reduce((n, to) => n + to.size, 0);
console.log(`[duckstack] src/core layering: ${graph.size} folders, ${edges} folder imports, ${cycles.length} cycle(s)`);
process.exitCode = errors > 0 || cycles.length > 0 ? 1 : 0;
