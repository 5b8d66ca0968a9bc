// Builds and packages the extension as a .vsix with vsce. The .vsix carries DuckDB's native
// library, so it is platform-specific: --target defaults to this machine's platform.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const target = process.argv.find((a) => a.startsWith('--target='))?.slice(9) ?? `${process.platform}-${process.arch}`;
const out = path.join(root, 'out', `${pkg.name}-${pkg.version}-${target}.vsix`);
fs.mkdirSync(path.dirname(out), { recursive: true });
execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--target', target, '--out', out, '--skip-license', '--no-rewrite-relative-links', '--allow-missing-repository'],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
console.log(`[duckstack] packaged ${path.relative(root, out)} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`);
