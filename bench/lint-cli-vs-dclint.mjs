// Whole-process CLI time on one realistic compose file (the scaffolded platform fork's):
// `duckstack lint` against dclint (a dev-only dependency, for this comparison), in one run,
// interleaved, medians of N runs. Goal: DuckStack at most 0.5x dclint. Prints, never asserts.
// Run after `npm run build`.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 9);
const cli = path.join(root, 'dist', 'cli.js');
const dclint = path.join(root, 'node_modules', 'dclint', 'bin', 'dclint.cjs');
for (const [file, what] of [[cli, 'dist/cli.js: run `npm run build`'], [dclint, 'dclint: run `npm ci`']]) {
  if (!fs.existsSync(file)) {
    console.error(`missing ${what}`);
    process.exit(2);
  }
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-cli-'));
const fork = path.join(dir, 'fork');
execFileSync(process.execPath, [cli, 'new', fork, '--name', 'bench-fork'], { stdio: 'ignore' });
const compose = path.join(fork, 'docker-compose.yml');

function timeOnce(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: fork, stdio: 'ignore' });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - started) / 1e6;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ours = [];
const theirs = [];
for (let i = 0; i < runs; i++) {
  ours.push(timeOnce([cli, 'lint', compose]));
  theirs.push(timeOnce([dclint, compose]));
}
const lines = fs.readFileSync(compose, 'utf8').split('\n').length;
console.log(`file               ${path.basename(compose)} of a scaffolded fork (${lines} lines, 7 services)`);
console.log(`duckstack lint     median ${median(ours).toFixed(0)} ms over ${runs} runs (all rules, golden versions, .env)`);
console.log(`dclint             median ${median(theirs).toFixed(0)} ms over ${runs} runs (its default rules)`);
console.log(`ratio              ${(median(ours) / median(theirs)).toFixed(2)}x (goal: at most 0.5x)`);
fs.rmSync(dir, { recursive: true, force: true });
