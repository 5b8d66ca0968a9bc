// The whole test suite, as CI runs it: installs and starts what the tests need (Debian packages,
// code-server, a Docker engine), builds, then runs unit tests, extension-host tests in a real
// VS Code, and UI tests in Chromium. Stops only what it started. Exit code = failures.
// Every run starts with the static checks: ESLint (no `vscode` under src/core) and the folder
// layering of src/core (scripts/lint.mjs).
//   npm test                         everything
//   npm test -- --only=unit|vscode|ui   one layer
//   npm test -- --host=electron      extension-host tests in desktop VS Code via @vscode/test-electron
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const host = args.find((a) => a.startsWith('--host='))?.slice(7) ?? 'code-server';
const layers = only ? only.split(',') : ['unit', 'vscode', 'ui'];
const env = { ...process.env };
const results = [];

function step(title) {
  console.log(`\n[duckstack] ── ${title}`);
}
function run(title, command, commandArgs, options = {}) {
  step(title);
  const started = Date.now();
  const r = spawnSync(command, commandArgs, { cwd: root, env, stdio: 'inherit', ...options });
  const ok = r.status === 0;
  results.push({ title, ok, seconds: ((Date.now() - started) / 1000).toFixed(1) });
  return ok;
}
function prerequisite(title, script) {
  if (!run(title, 'bash', [path.join(root, 'scripts', script)])) {
    console.error(`[duckstack] FAILED prerequisite: ${title}. See the messages above; nothing was skipped.`);
    process.exit(1);
  }
}

prerequisite('Debian packages', 'ensure-host-packages.sh');
if (layers.includes('vscode') || layers.includes('ui')) prerequisite('code-server', 'ensure-code-server.sh');
step('Docker engine');
let dockerStartedHere = false;
try {
  const hadPrivate = fs.existsSync('/tmp/duckstack-docker/started-by-duckstack');
  const exports = execFileSync('bash', [path.join(root, 'scripts', 'ensure-docker.sh')], { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
  for (const m of exports.matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
  dockerStartedHere = !hadPrivate && fs.existsSync('/tmp/duckstack-docker/started-by-duckstack');
} catch {
  console.error('[duckstack] FAILED prerequisite: a Docker engine with compose v2 (see the messages above).');
  process.exit(1);
}

try {
  run('static checks (ESLint: no vscode in src/core; src/core folders without cycles)', process.execPath, ['scripts/lint.mjs']);
  if (!run('build (esbuild)', process.execPath, ['scripts/build.mjs'])) throw new Error('build failed');
  if (!run('type-check and compile tests (tsc)', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'])) throw new Error('tsc failed');
  const mocha = ['node_modules/mocha/bin/mocha.js', '--ui', 'tdd', '--timeout', '180000'];
  if (layers.includes('unit')) run('unit and integration tests (Node, real files, real Docker engine)', process.execPath, [...mocha, 'out/test/unit/**/*.test.js']);
  if (layers.includes('vscode')) run(`extension-host tests (real VS Code: ${host})`, process.execPath, ['out/test/harness/runExtensionTests.js', `--host=${host}`]);
  if (layers.includes('ui')) {
    if (run('package the .vsix for UI tests', process.execPath, ['scripts/package.mjs'])) {
      run('UI tests (code-server + Chromium, packaged .vsix)', process.execPath, [...mocha, 'out/test/ui/**/*.test.js']);
    }
  }
} catch (e) {
  console.error(`[duckstack] ${e.message}`);
} finally {
  if (dockerStartedHere) spawnSync('bash', [path.join(root, 'scripts', 'stop-docker.sh')], { stdio: 'inherit' });
}

step('summary');
for (const r of results) console.log(`  ${r.ok ? 'PASS' : 'FAIL'}  ${r.title}  (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
const expected = 3 + (layers.includes('unit') ? 1 : 0) + (layers.includes('vscode') ? 1 : 0) + (layers.includes('ui') ? 2 : 0);
if (results.length < expected) console.error('[duckstack] some steps did not run (see above)');
process.exitCode = failed > 0 || results.length < expected ? 1 : 0;
