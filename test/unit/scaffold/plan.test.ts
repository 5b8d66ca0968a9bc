import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { run as runNew } from '../../../src/cli/new';
import { checkPortsInUse, planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { renderTemplate } from '../../../src/core/scaffold/template';
import { FIXTURES_DIR, listFiles, OPTION_SETS, REPO_ROOT, TEMPLATES_DIR, tempDir } from './support';

const execFileAsync = promisify(execFile);

suite('scaffold: plan and write', () => {
  const dirs: string[] = [];
  const newDir = (prefix: string): string => {
    const d = tempDir(prefix);
    dirs.push(d);
    return d;
  };
  suiteTeardown(() => {
    for (const d of dirs) {
      fs.chmodSync(d, 0o755);
      fs.rmSync(d, { recursive: true, force: true });
    }
  });

  for (const set of OPTION_SETS) {
    test(`plans and writes a fork: ${set.label}`, async () => {
      const dir = path.join(newDir('write'), 'my-fork');
      const plan = planScaffold({ dir, without: set.without, ports: set.ports });
      assert.deepEqual(plan.problems, []);
      assert.deepEqual(plan.conflicts, []);
      assert.equal(plan.options.projectName, 'my-fork');
      const result = await writeScaffold(plan);
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.deepEqual(listFiles(dir), plan.files.map((f) => f.path).sort());
      for (const f of plan.files) assert.equal(fs.readFileSync(path.join(dir, f.path), 'utf8'), f.content);

      const files = new Set(plan.files.map((f) => f.path));
      assert.equal(files.has('05_cube/cube.js'), !set.without.includes('cube'));
      assert.equal(files.has('07_notebooks/explore_marts.ipynb'), !set.without.includes('jupyter'));
      assert.ok(!files.has('TEMPLATES.md'), 'template documentation is not part of a fork');
      for (const keep of ['02_duck_db/01_raw/.gitkeep', '02_duck_db/02_dev/.gitkeep', '02_duck_db/03_prod/.gitkeep', 'other/Workplan.md', 'golden_versions.md', 'README.md', '.env.example', '.gitignore', 'scripts/validate_setup.py']) {
        assert.ok(files.has(keep), `${keep} is written`);
      }
      const compose = fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8');
      assert.match(compose, /^name: my-fork$/m);
      assert.doesNotMatch(compose, /\{\{[#/]?[A-Za-z]/, 'no template syntax left');
      assert.equal(/^ {2}cube:$/m.test(compose), !set.without.includes('cube'));
      assert.equal(/^ {2}jupyter:$/m.test(compose), !set.without.includes('jupyter'));
      const dagsterPort = set.ports?.dagster ?? 3000;
      assert.ok(compose.includes(`"\${DAGSTER_PORT:-${dagsterPort}}:3000"`));
      assert.match(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'), new RegExp(`^DAGSTER_PORT=${dagsterPort}$`, 'm'));
      assert.equal(fs.statSync(path.join(dir, '06_superset/bootstrap.sh')).mode & 0o111, 0o111, 'scripts stay executable');
      // dbt's Jinja passes through untouched.
      assert.match(fs.readFileSync(path.join(dir, '04_dbt/profiles.yml'), 'utf8'), /\{\{ env_var\('DUCKDB_DEV_PATH'/);
    });
  }

  test('an existing file stops the whole run and every conflict is listed', async () => {
    const dir = newDir('conflict');
    fs.writeFileSync(path.join(dir, 'README.md'), 'mine\n');
    fs.mkdirSync(path.join(dir, '04_dbt'));
    fs.writeFileSync(path.join(dir, '04_dbt', 'profiles.yml'), 'mine: {}\n');
    fs.writeFileSync(path.join(dir, 'other'), 'a file where a folder goes\n');
    const plan = planScaffold({ dir });
    assert.deepEqual(plan.conflicts, ['04_dbt/profiles.yml', 'README.md', 'other']);
    const result = await writeScaffold(plan);
    assert.ok(!result.ok);
    assert.deepEqual(result.conflicts, plan.conflicts);
    assert.match(result.message, /Nothing was written: 3 file\(s\) already exist/);
    assert.deepEqual(listFiles(dir), ['04_dbt/profiles.yml', 'README.md', 'other']);
    assert.equal(fs.readFileSync(path.join(dir, 'README.md'), 'utf8'), 'mine\n');
  });

  test('a file that appears after planning is still never overwritten', async () => {
    const dir = newDir('race');
    const plan = planScaffold({ dir, projectName: 'race' });
    assert.deepEqual(plan.conflicts, []);
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), 'services: {}\n');
    const result = await writeScaffold(plan);
    assert.ok(!result.ok);
    assert.deepEqual(result.conflicts, ['docker-compose.yml']);
    assert.deepEqual(listFiles(dir), ['docker-compose.yml']);
  });

  const badNames: Array<[string, RegExp]> = [
    ['My-Fork', /not a valid compose project name/],
    ['-fork', /not a valid compose project name/],
    ['fork;rm -rf', /shell or YAML metacharacter/],
    ['$(whoami)', /shell or YAML metacharacter/],
    ['fork: x', /shell or YAML metacharacter/],
    ['a'.repeat(64), /longer than 63/],
    ['', /empty/],
  ];
  for (const [name, message] of badNames) {
    test(`project name ${JSON.stringify(name)} is refused with a clear message, nothing written`, async () => {
      const dir = path.join(newDir('name'), 'fork');
      const plan = planScaffold({ dir, projectName: name });
      assert.equal(plan.problems.length, 1);
      assert.match(plan.problems[0], message);
      assert.deepEqual(plan.files, []);
      const result = await writeScaffold(plan);
      assert.ok(!result.ok);
      assert.ok(!fs.existsSync(dir));
    });
  }

  test('bad ports are refused: privileged, out of range, fractional, duplicated, unknown service', () => {
    const dir = path.join(newDir('ports'), 'fork');
    const plan = planScaffold({ dir, ports: { dagster: 80, superset: 70000, cube: 3000.5, jupyter: 8088 } });
    assert.deepEqual(plan.problems, [
      'The port of dagster must be a whole number from 1024 to 65535, not "80".',
      'The port of superset must be a whole number from 1024 to 65535, not "70000".',
      'The port of cube must be a whole number from 1024 to 65535, not "3000.5".',
      'Port 8088 is given to both superset and jupyter.',
    ]);
    const unknown = planScaffold({ dir, ports: { ['airflow' as 'dagster']: 5000 } });
    assert.match(unknown.problems[0], /Unknown service "airflow" for a port/);
    // A port of a left-out service does not collide.
    assert.deepEqual(planScaffold({ dir, without: ['cube'], ports: { cube: 8088 } }).problems, []);
  });

  test('a folder name that cannot be a project name asks for one', () => {
    const plan = planScaffold({ dir: path.join(newDir('folder'), '___') });
    assert.match(plan.problems[0], /No valid project name can be made from the folder name "___"/);
    assert.equal(planScaffold({ dir: path.join(newDir('folder'), 'My Fork 2') }).options.projectName, 'my-fork-2');
  });

  test('an unwritable folder: nothing written, a clear message', async () => {
    const parent = newDir('unwritable');
    fs.chmodSync(parent, 0o755);
    const dir = path.join(parent, 'locked');
    fs.mkdirSync(dir, { mode: 0o555 });
    fs.chmodSync(dir, 0o555);
    const plan = planScaffold({ dir });
    assert.deepEqual(plan.problems, []);
    // Root ignores permissions, so the write runs as the unprivileged user "nobody" then, from
    // a copy of the engine's modules that nobody can read wherever the repository lives.
    const engine = path.join(parent, 'engine');
    fs.mkdirSync(engine, { mode: 0o755 });
    for (const m of ['scaffold/write', 'scaffold/plan', 'scaffold/options', 'scaffold/template', 'fs/atomic']) {
      fs.mkdirSync(path.dirname(path.join(engine, `${m}.js`)), { recursive: true, mode: 0o755 });
      fs.copyFileSync(path.join(REPO_ROOT, 'out', 'src', 'core', `${m}.js`), path.join(engine, `${m}.js`));
    }
    fs.writeFileSync(path.join(engine, 'plan.json'), JSON.stringify(plan));
    const script = `require('./scaffold/write.js').writeScaffold(JSON.parse(require('fs').readFileSync('./plan.json', 'utf8'))).then((r) => process.stdout.write(JSON.stringify(r)));`;
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { stdout } = await execFileAsync(process.execPath, ['-e', script], { ...asNobody, cwd: engine });
    const result = JSON.parse(stdout) as { ok: boolean; message: string };
    assert.equal(result.ok, false);
    assert.match(result.message, /^Nothing was written to .*locked: permission denied/);
    assert.deepEqual(listFiles(dir), []);
  });

  test('a failure part-way removes every file and folder the run created', async () => {
    // A template whose name is too long once the temporary suffix is added: the failure comes
    // after the other files were staged.
    const templatesDir = newDir('templates');
    fs.cpSync(path.join(FIXTURES_DIR, 'mini-templates'), templatesDir, { recursive: true });
    const longName = `zz/${'x'.repeat(250)}.txt`;
    fs.mkdirSync(path.join(templatesDir, 'zz'));
    fs.writeFileSync(path.join(templatesDir, longName), 'too long with a suffix\n');
    const dir = newDir('partway');
    fs.writeFileSync(path.join(dir, 'mine.txt'), 'kept\n');
    const plan = planScaffold({ dir, projectName: 'partway', templatesDir, allowNonEmpty: true });
    assert.deepEqual(plan.problems, []);
    assert.ok(plan.files.length >= 3);
    const result = await writeScaffold(plan);
    assert.ok(!result.ok);
    assert.match(result.message, /^Nothing was written to /);
    assert.deepEqual(listFiles(dir), ['mine.txt']);
    assert.deepEqual(fs.readdirSync(dir), ['mine.txt'], 'created folders are removed too');
  });

  test('template syntax: tokens, blocks, unknown variables and unbalanced blocks', () => {
    const vars = { PROJECT_NAME: 'p', DAGSTER_PORT: '3000' };
    const enabled = { cube: true, jupyter: false };
    const text = ['name: {{PROJECT_NAME}}', '# {{#cube}}', 'cube: {{DAGSTER_PORT}}', '# {{/cube}}', '# {{#jupyter}}', 'jupyter: 1', '# {{/jupyter}}', "x: \"{{ ref('a') }}\""].join('\n');
    assert.deepEqual(renderTemplate(text, vars, enabled), { ok: true, text: "name: p\ncube: 3000\nx: \"{{ ref('a') }}\"" });
    assert.deepEqual(renderTemplate('{{NOPE}}', vars, enabled), { ok: false, problem: 'unknown variable {{NOPE}}' });
    assert.deepEqual(renderTemplate('# {{#cube}}\nx', vars, enabled), { ok: false, problem: '{{#cube}} is never closed' });
    assert.deepEqual(renderTemplate('# {{/cube}}', vars, enabled), { ok: false, problem: 'line 1: {{/cube}} closes no open {{#cube}}' });
    assert.deepEqual(renderTemplate('# {{#redis}}', vars, enabled), { ok: false, problem: 'line 1: unknown block {{#redis}}' });
  });

  test('the templates render with no leftover syntax in any file', () => {
    const plan = planScaffold({ dir: path.join(newDir('leftover'), 'fork') });
    assert.deepEqual(plan.problems, []);
    for (const f of plan.files) assert.doesNotMatch(f.content, /\{\{[#/]?[A-Z][A-Z_]*\}\}|\{\{[#/][a-z]+\}\}/, f.path);
    assert.ok(fs.existsSync(path.join(TEMPLATES_DIR, 'TEMPLATES.md')));
  });

  test('a port in use on this machine gives a warning', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen({ port: 0, host: '0.0.0.0' }, resolve));
    const busy = (server.address() as net.AddressInfo).port;
    try {
      const free = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen({ port: 0, host: '0.0.0.0' }, () => {
          const p = (probe.address() as net.AddressInfo).port;
          probe.close(() => resolve(p));
        });
      });
      const warnings = await checkPortsInUse({ dagster: busy, superset: free });
      assert.deepEqual(warnings, [`Port ${busy} (dagster) is already in use on this machine; choose another or stop what uses it.`]);
    } finally {
      server.close();
    }
  });

  test('duckstack new: writes, refuses a second run, reports usage errors', async () => {
    const parent = newDir('cli');
    const out: string[] = [];
    const err: string[] = [];
    const io = { cwd: parent, env: {}, out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    assert.equal(await runNew(['fork', '--name', 'cli-fork', '--without', 'cube,jupyter', '--port', 'dagster=3100'], io), 0);
    assert.match(out.join(''), /Created cli-fork in .*fork \(\d+ files\)/);
    assert.ok(fs.existsSync(path.join(parent, 'fork', 'docker-compose.yml')));
    assert.ok(!fs.existsSync(path.join(parent, 'fork', '05_cube')));
    assert.ok(fs.readFileSync(path.join(parent, 'fork', 'docker-compose.yml'), 'utf8').includes('${DAGSTER_PORT:-3100}'));
    assert.equal(await runNew(['fork'], io), 2);
    assert.match(err.join(''), /Nothing was written: \d+ file\(s\) already exist/);
    err.length = 0;
    assert.equal(await runNew(['fork2', '--without', 'superset'], io), 2);
    assert.match(err.join(''), /--without: unknown service 'superset'/);
    assert.equal(await runNew(['fork2', '--port', 'dagster=abc'], io), 2);
    assert.match(err.join(''), /'abc' is not a whole number/);
    assert.equal(await runNew([], io), 2);
    assert.ok(!fs.existsSync(path.join(parent, 'fork2')));
  });
});
