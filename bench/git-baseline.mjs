// What the git-aware rules cost a lint run: loading the git baseline (HEAD and the merge base,
// every platform file read through one `git cat-file --batch`) of a fork with 200 committed
// platform files, against the cheapest git call there is (`git rev-parse HEAD`) and against the
// lint project context without git. Median of 7 runs each. Prints, never asserts.
// Run after `npx tsc -p .` (it loads the compiled engine from out/).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const baselinePath = path.join(root, 'out', 'src', 'core', 'git', 'baseline.js');
if (!fs.existsSync(baselinePath)) {
  console.error('out/src/core/git/baseline.js is missing: run `npx tsc -p .` first');
  process.exit(2);
}
const { loadGitBaseline } = require(baselinePath);
const { loadProjectContext } = require(path.join(root, 'out', 'src', 'core', 'lint', 'engine.js'));

const RUNS = 7;
const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@e' };
const git = (dir, ...args) => execFileSync('git', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-git-'));
const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-nogit-'));
for (const target of [dir, plain]) {
  fs.writeFileSync(path.join(target, 'golden_versions.md'), '| Tool | Golden Version |\n| --- | --- |\n| Dagster | 1.9.1 |\n');
  fs.writeFileSync(path.join(target, 'compose.yaml'), `services:\n${Array.from({ length: 50 }, (_, i) => `  s${i}:\n    image: postgres:16.${i}\n`).join('')}`);
  for (let i = 0; i < 66; i++) {
    const sub = path.join(target, `svc${i}`);
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'Dockerfile'), 'FROM python:3.11-slim\n');
    fs.writeFileSync(path.join(sub, 'requirements.txt'), 'dagster==1.9.1\nduckdb==1.1.3\n');
    fs.writeFileSync(path.join(sub, 'notes.txt'), 'not a platform file\n');
  }
}
git(dir, 'init', '-q', '-b', 'main');
git(dir, 'add', '-A');
git(dir, 'commit', '-qm', 'platform');
git(dir, 'checkout', '-qb', 'feature');
git(dir, 'commit', '-q', '--allow-empty', '-m', 'work');

async function median(fn) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const revParse = await median(() => git(dir, 'rev-parse', 'HEAD'));
const baseline = await median(async () => {
  const b = await loadGitBaseline(dir);
  if (!b || b.refs.length !== 2) throw new Error('expected HEAD and the merge base with main');
});
const contextWithGit = await median(() => loadProjectContext(dir));
const contextWithoutGit = await median(() => loadProjectContext(plain));
console.log(`git baseline of 200 platform files (HEAD + merge base): ${baseline.toFixed(1)} ms median of ${RUNS}`);
console.log(`one \`git rev-parse HEAD\`:                              ${revParse.toFixed(1)} ms  (baseline = ${(baseline / revParse).toFixed(1)}x)`);
console.log(`lint project context in the repository:                ${contextWithGit.toFixed(1)} ms`);
console.log(`lint project context of the same files without git:    ${contextWithoutGit.toFixed(1)} ms  (git adds ${(contextWithGit / contextWithoutGit).toFixed(1)}x)`);
fs.rmSync(dir, { recursive: true, force: true });
fs.rmSync(plain, { recursive: true, force: true });
