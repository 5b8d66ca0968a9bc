// `npm start`'s demo fork (scripts/demo-fork.mjs, through the bundled CLI): complete, so the
// platform can start: .env is there with every required variable (docker compose config agrees),
// the demo databases hold tables, and the start log's "try first" names commands that exist.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from './support';

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '..', '..', '..', '..');

interface DemoForkModule {
  createDemoFork(root: string, folder: string, options?: { env?: NodeJS.ProcessEnv; quiet?: boolean }): string;
  madeLines(printed: string): string[];
  tryFirst(url: string, images?: { canStart: boolean; lines: string[] }): string[];
}

suite('npm start: the demo fork', () => {
  let demo: DemoForkModule;
  let dir: string;
  let printed: string;
  suiteSetup(async () => {
    assert.ok(fs.existsSync(path.join(root, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    demo = (await import(pathToFileURL(path.join(root, 'scripts', 'demo-fork.mjs')).href)) as DemoForkModule;
    dir = path.join(tempDir('demo'), 'demo-platform');
    printed = demo.createDemoFork(root, dir, { quiet: true });
  });
  suiteTeardown(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test('has .env (mode 600, git-ignored) with a generated value for every placeholder of .env.example', () => {
    const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    assert.equal(fs.statSync(path.join(dir, '.env')).mode & 0o777, 0o600);
    assert.doesNotMatch(env, /replace-with/);
    for (const name of ['POSTGRES_PASSWORD', 'SUPERSET_SECRET_KEY', 'SUPERSET_ADMIN_PASSWORD', 'CUBE_API_SECRET', 'JUPYTER_TOKEN']) {
      assert.match(env, new RegExp(`^${name}=\\S{16,}`, 'm'), `${name} has a generated value`);
    }
    assert.match(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^\.env$/m);
    assert.ok(fs.statSync(path.join(dir, '02_duck_db', '01_raw', 'raw.duckdb')).size > 0);
    assert.ok(fs.statSync(path.join(dir, '02_duck_db', '02_dev', 'dev.duckdb')).size > 0);
  });

  test('docker compose accepts it: no required variable is missing', async () => {
    const env = { PATH: process.env.PATH, HOME: path.dirname(dir), DOCKER_CONFIG: process.env.DOCKER_CONFIG };
    let result: { stdout: string; stderr: string };
    try {
      result = await execFileAsync('docker', ['compose', 'config', '--quiet'], { cwd: dir, env, timeout: 60_000 });
    } catch (e) {
      assert.fail(`docker compose config refused the demo fork (or compose v2 is missing: run scripts/ensure-docker.sh and export DOCKER_CONFIG): ${String((e as { stderr?: string }).stderr ?? e)}`);
    }
    assert.doesNotMatch(result.stderr, /variable is not set|required variable/i, result.stderr);
    // Without .env the same call fails on the first required variable: the check above could fail.
    fs.renameSync(path.join(dir, '.env'), path.join(dir, '.env.off'));
    try {
      await assert.rejects(execFileAsync('docker', ['compose', 'config', '--quiet'], { cwd: dir, env, timeout: 60_000 }), /set POSTGRES_PASSWORD in \.env|required variable/);
    } finally {
      fs.renameSync(path.join(dir, '.env.off'), path.join(dir, '.env'));
    }
  });

  test('the start log ends with what to try first, naming commands DuckStack contributes', () => {
    const lines = demo.tryFirst('http://127.0.0.1:8123/?folder=x');
    assert.equal(lines[0], 'open http://127.0.0.1:8123/?folder=x');
    assert.equal(lines[1], 'Try first:');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { commands: Array<{ title: string; category?: string }>; walkthroughs: Array<{ title: string }> };
    };
    const titles = new Set(manifest.contributes.commands.map((c) => `${c.category ? `${c.category}: ` : ''}${c.title}`));
    const named = lines.join('\n').match(/"DuckStack: [^"]+"/g) ?? [];
    assert.ok(named.length >= 2);
    for (const quoted of named) assert.ok(titles.has(quoted.slice(1, -1)), `${quoted} is a contributed command`);
    assert.ok(lines.join('\n').includes(`"${manifest.contributes.walkthroughs[0].title}"`));
  });

  test('the start log tells what was made without the scaffold\'s terminal "Next steps"', () => {
    assert.match(printed, /^Next steps:$/m, 'duckstack new prints its next steps');
    const lines = demo.madeLines(printed);
    assert.match(lines[0], /^Created duckstack-demo in /);
    assert.ok(lines.some((l) => l.startsWith('Created .env from .env.example')), lines.join('\n'));
    assert.ok(!lines.some((l) => /Next steps|docker compose up/.test(l)), lines.join('\n'));
  });

  test('the start log says first whether the services can start here, and offers Start Platform only where it can', () => {
    const blocked = demo.tryFirst('http://127.0.0.1:8123/', { canStart: false, lines: ['The platform\'s services cannot start on this machine: …'] });
    assert.equal(blocked[0], 'The platform\'s services cannot start on this machine: …');
    assert.equal(blocked[1], 'open http://127.0.0.1:8123/');
    assert.match(blocked.join('\n'), /"DuckStack: Start Platform" fails here, for the reason said above/);
    const ready = demo.tryFirst('http://127.0.0.1:8123/', { canStart: true, lines: ['Every image of the platform is on the Docker engine: Start Platform starts it at once.'] });
    assert.doesNotMatch(ready.join('\n'), /fails here/);
    assert.match(ready.join('\n'), /"DuckStack: Start Platform": docker compose up/);
  });
});
