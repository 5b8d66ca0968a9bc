// Lint time grows linearly with the size of a compose file: whole-process `duckstack lint` of the
// same realistic content at 0.5 MB and at 5 MB, in every output format, and `--fix` of a 2 MB file
// (on a temp copy) against its own lint. Goals: 5 MB at most 10x the 0.5 MB time in each format,
// --fix at most 3x the lint. Ratios come from one run of this script; it prints, never asserts.
// Run after `npm run build` (it runs dist/cli.js). `--runs=N` sets the runs per measurement (default 3).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatedCompose } from './lib/compose.mjs';
import { median } from './lib/stats.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run `npm run build` first');
  process.exit(2);
}
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 3);
const FORMATS = ['stylish', 'json', 'sarif'];
const MB = 1024 * 1024;

const GOLDEN = '| Tool | Package / Image | Golden Version |\n|---|---|---|\n| PostgreSQL | postgres | 16 |\n';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-bench-scale-'));

function project(name, bytes) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const { text, services } = generatedCompose({ bytes });
  fs.writeFileSync(path.join(dir, 'compose.yaml'), text);
  fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
  fs.writeFileSync(path.join(dir, '.env.example'), 'POSTGRES_PASSWORD=\n');
  return { dir, size: text.length, services };
}

function timeOnce(dir, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'lint', ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MB });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error || ![0, 1].includes(r.status)) throw new Error(`duckstack lint ${args.join(' ')} failed (exit ${r.status}): ${r.error?.message ?? r.stderr}`);
  return ms;
}
const time = (dir, args) => median(Array.from({ length: runs }, () => timeOnce(dir, args)));
const mb = (bytes) => `${(bytes / MB).toFixed(2)} MB`;

try {
  const small = project('small', 0.5 * MB);
  const large = project('large', 5 * MB);
  console.log(`compose files: ${mb(small.size)} (${small.services} services) and ${mb(large.size)} (${large.services} services); medians of ${runs} whole-process runs of dist/cli.js`);
  let worst = 0;
  for (const format of FORMATS) {
    const a = time(small.dir, ['--format', format]);
    const b = time(large.dir, ['--format', format]);
    const ratio = b / a;
    worst = Math.max(worst, ratio);
    console.log(`lint --format ${format.padEnd(7)}: ${(a / 1000).toFixed(2)} s at 0.5 MB, ${(b / 1000).toFixed(2)} s at 5 MB: ${ratio.toFixed(1)}x for ${(large.size / small.size).toFixed(1)}x the size (goal: at most 10x)`);
  }
  console.log(`worst lint ratio: ${worst.toFixed(1)}x (goal: at most 10x) ${worst <= 10 ? 'MET' : 'NOT MET'}`);

  const fixSource = project('fix', 2 * MB);
  const lintMs = time(fixSource.dir, []);
  const fixMs = median(
    Array.from({ length: runs }, (_, i) => {
      // --fix rewrites the file: each run starts from a fresh copy of the original.
      const copy = path.join(work, `fix-copy-${i}`);
      fs.cpSync(fixSource.dir, copy, { recursive: true });
      return timeOnce(copy, ['--fix']);
    }),
  );
  const fixRatio = fixMs / lintMs;
  console.log(`--fix of ${mb(fixSource.size)}: ${(fixMs / 1000).toFixed(2)} s against its lint ${(lintMs / 1000).toFixed(2)} s: ${fixRatio.toFixed(2)}x (goal: at most 3x) ${fixRatio <= 3 ? 'MET' : 'NOT MET'}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
