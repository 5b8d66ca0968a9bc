// Prints the bundled main module's load time and size: what every VS Code window pays when
// DuckStack activates. `vscode` exists only inside the extension host, so for this measurement
// it is replaced by a stand-in that answers every property read, call and `new` with itself
// (module load reads enums such as DiagnosticSeverity; activate() is not called). Run after
// `npm run build`.
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Module from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const bundle = path.join(root, 'dist', 'extension.js');
if (!fs.existsSync(bundle)) {
  console.error('dist/extension.js is missing: run `npm run build` first');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const originalResolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'vscode' ? 'vscode' : originalResolve.call(this, request, ...rest);
};
const standIn = new Proxy(function vscode() {}, {
  get: (target, key) => (key === Symbol.toPrimitive ? () => 0 : standIn),
  apply: () => standIn,
  construct: () => standIn,
});
// The bundle copies the module's own names (esbuild's __toESM), so list the API's top-level names.
const typings = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
const apiNames = new Set([...typings.matchAll(/^\t(?:export )?(?:class|enum|namespace|function|const|let) (\w+)/gm)].map((m) => m[1]));
const vscodeModule = Object.fromEntries([...apiNames].map((name) => [name, standIn]));
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscodeModule };

const loadedBefore = new Set(Object.keys(require.cache));
const started = process.hrtime.bigint();
const mod = require(bundle);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const loadedModules = Object.keys(require.cache).filter((k) => !loadedBefore.has(k));
const heavy = loadedModules.filter((k) => /@duckdb|dockerode/.test(k));

const size = fs.statSync(bundle).size;
console.log(`bundle           dist/extension.js ${(size / 1024).toFixed(1)} KiB`);
console.log(`load time        ${ms.toFixed(2)} ms (require of the bundle, cold, one run)`);
console.log(`exports          ${Object.keys(mod).join(', ')}`);
console.log(`modules loaded   ${loadedModules.length} (DuckDB or dockerode among them: ${heavy.length === 0 ? 'none' : heavy.join(', ')})`);
