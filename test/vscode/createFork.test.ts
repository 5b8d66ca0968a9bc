import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { DuckStackApi } from '../../src/extension';
import type { CreateForkArgs, CreateForkOutcome } from '../../src/scaffold/createFork';

/** Every file under dir (relative POSIX paths) with a hash of its content, its mode and mtime. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string, rel: string): void => {
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      const childAbs = path.join(abs, entry.name);
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        walk(childAbs, childRel);
      } else {
        const stat = fs.statSync(childAbs);
        const hash = createHash('sha256').update(fs.readFileSync(childAbs)).digest('hex');
        files.set(childRel, `${hash} ${stat.mode.toString(8)} ${stat.mtimeMs}`);
      }
    }
  };
  walk(dir, '');
  return files;
}

function createFork(args: CreateForkArgs): Thenable<CreateForkOutcome | undefined> {
  return vscode.commands.executeCommand<CreateForkOutcome | undefined>('duckstack.createFork', args);
}

/** The answers of every prompt for a fork in dir; tests override what they check. */
function answers(dir: string, overrides: Partial<CreateForkArgs> = {}): CreateForkArgs {
  return { dir, projectName: 'acme-analytics', ports: { dagster: 13000, superset: 18088 }, without: ['jupyter'], confirm: false, open: false, ...overrides };
}

/** Polls until probe() returns a value, or undefined after timeoutMs. */
async function waitFor<T>(probe: () => T | undefined, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs the command and answers each prompt it shows by running a workbench command on it
 * (accept the default, or close), polling until the command completes.
 */
async function answeringPrompts(args: CreateForkArgs, answer: string, timeoutMs = 30_000): Promise<CreateForkOutcome | undefined> {
  let finished = false;
  const run = Promise.resolve(createFork(args)).finally(() => (finished = true));
  const deadline = Date.now() + timeoutMs;
  while (!finished) {
    if (Date.now() > deadline) throw new Error(`the command still waited for input after ${timeoutMs} ms`);
    await vscode.commands.executeCommand(answer);
    await new Promise((r) => setTimeout(r, 100));
  }
  return run;
}

suite('Create Platform Fork (extension host)', () => {
  let parent: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension, 'duckstack.duckstack is not installed in this VS Code');
    await extension.activate();
    parent = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-create-fork-'));
  });
  suiteTeardown(() => {
    if (parent) fs.rmSync(parent, { recursive: true, force: true });
  });

  test('with its prompts answered, writes a complete fork into a new folder', async () => {
    const dir = path.join(parent, 'acme');
    const outcome = await createFork(answers(dir));
    assert.ok(outcome?.status === 'created', `expected a created fork, got ${JSON.stringify(outcome)}`);
    assert.equal(outcome.dir, dir);
    assert.equal(outcome.projectName, 'acme-analytics');

    const onDisk = [...snapshot(dir).keys()].sort();
    // .env is made from .env.example after the fork is written (the wizard's default).
    assert.deepEqual([...outcome.written, '.env'].sort(), onDisk, 'the files reported written, and .env, are exactly the files on disk');
    assert.ok(outcome.env.created, JSON.stringify(outcome.env));
    assert.ok(outcome.env.generated.includes('POSTGRES_PASSWORD') && outcome.env.generated.includes('SUPERSET_SECRET_KEY'), outcome.env.generated.join(', '));
    const dotEnv = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    assert.doesNotMatch(dotEnv, /replace-with-/);
    assert.equal(fs.statSync(path.join(dir, '.env')).mode & 0o777, 0o600);
    for (const file of ['docker-compose.yml', '.env.example', '.gitignore', 'README.md', 'golden_versions.md', '04_dbt/profiles.yml', '04_dbt/dbt_project.yml', 'other/Workplan.md']) {
      assert.ok(onDisk.includes(file), `${file} is missing from the fork`);
    }
    assert.ok(onDisk.some((f) => f.startsWith('05_cube/')), 'Cube was kept');
    assert.ok(!onDisk.some((f) => f.startsWith('07_notebooks/')), 'Jupyter was left out, so 07_notebooks/ must not be written');

    const compose = parse(fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8')) as { name: string; services: Record<string, unknown> };
    assert.equal(compose.name, 'acme-analytics');
    assert.ok('cube' in compose.services && !('jupyter' in compose.services), `services: ${Object.keys(compose.services).join(', ')}`);

    const env = fs.readFileSync(path.join(dir, '.env.example'), 'utf8');
    assert.match(env, /^DAGSTER_PORT=13000$/m);
    assert.match(env, /^SUPERSET_PORT=18088$/m);
    assert.match(env, /^DBT_DOCS_PORT=8080$/m, 'a port not answered keeps its default');
    assert.doesNotMatch(env, /JUPYTER_PORT/);

    const profiles = parse(fs.readFileSync(path.join(dir, '04_dbt', 'profiles.yml'), 'utf8')) as Record<string, { outputs: Record<string, unknown> }>;
    const [profile] = Object.values(profiles);
    assert.deepEqual(Object.keys(profile.outputs).sort(), ['dev', 'prod', 'test']);
    assert.ok(!onDisk.some((f) => f.includes('.duckstack-tmp-')), 'no temporary file is left behind');
  });

  test('a second run into the same folder writes nothing and reports every conflict', async () => {
    const dir = path.join(parent, 'acme');
    const before = snapshot(dir);
    const outcome = await createFork(answers(dir));
    assert.ok(outcome?.status === 'refused', `expected a refusal, got ${JSON.stringify(outcome)}`);
    assert.deepEqual(outcome.problems, []);
    // .env is made from .env.example after the files are written: the fork's own, never a file the scaffold writes.
    assert.deepEqual([...outcome.conflicts].sort(), [...before.keys()].filter((f) => f !== '.env').sort(), 'every file of the fork is reported as a conflict');
    assert.deepEqual(snapshot(dir), before, 'no file was written, changed or added');

    await vscode.commands.executeCommand('duckstack.showOutput');
    const logged = await waitFor(() =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes(`Create Platform Fork in ${dir}: nothing was written.`)),
    );
    assert.ok(logged, 'the refusal is logged in the DuckStack output');
    assert.match(logged.getText(), /already exist and would be overwritten: .*docker-compose\.yml/);
  });

  test('one existing file in an otherwise new folder stops the whole run', async () => {
    const dir = path.join(parent, 'partly-there');
    fs.mkdirSync(path.join(dir, '04_dbt'), { recursive: true });
    fs.writeFileSync(path.join(dir, '04_dbt', 'profiles.yml'), 'mine: {}\n');
    const outcome = await createFork(answers(dir));
    assert.ok(outcome?.status === 'refused', `expected a refusal, got ${JSON.stringify(outcome)}`);
    assert.deepEqual(outcome.conflicts, ['04_dbt/profiles.yml']);
    assert.deepEqual([...snapshot(dir).keys()], ['04_dbt/profiles.yml'], 'nothing else was written');
    assert.equal(fs.readFileSync(path.join(dir, '04_dbt', 'profiles.yml'), 'utf8'), 'mine: {}\n');
  });

  test('a folder holding an unrelated file is refused as `duckstack new` refuses it, unless allowNonEmpty is given', async () => {
    const dir = path.join(parent, 'has-notes');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    const refused = await createFork(answers(dir));
    assert.ok(refused?.status === 'refused', `expected a refusal, got ${JSON.stringify(refused)}`);
    assert.match(refused.problems.join(' '), /is not empty: it holds notes\.txt, not part of the fork\. A fork is created in a new or empty folder/);
    assert.match(refused.problems.join(' '), /Use this folder anyway/);
    assert.deepEqual([...snapshot(dir).keys()], ['notes.txt'], 'nothing was written');

    const created = await createFork(answers(dir, { allowNonEmpty: true }));
    assert.ok(created?.status === 'created', `expected a fork, got ${JSON.stringify(created)}`);
    assert.equal(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8'), 'mine\n', 'the unrelated file is kept');
    assert.ok(fs.existsSync(path.join(dir, 'docker-compose.yml')));
  });

  test('asked instead of answered, the default of every prompt makes a fork named after its folder with all services', async () => {
    const dir = path.join(parent, 'My Team Fork');
    const outcome = await answeringPrompts({ dir, confirm: false, open: false }, 'workbench.action.acceptSelectedQuickOpenItem');
    assert.ok(outcome?.status === 'created', `expected a created fork, got ${JSON.stringify(outcome)}`);
    assert.equal(outcome.projectName, 'my-team-fork');
    const onDisk = [...snapshot(dir).keys()];
    assert.ok(onDisk.some((f) => f.startsWith('05_cube/')) && onDisk.some((f) => f.startsWith('07_notebooks/')), 'both optional services are kept');
    const env = fs.readFileSync(path.join(dir, '.env.example'), 'utf8');
    for (const line of ['DAGSTER_PORT=3000', 'DBT_DOCS_PORT=8080', 'SUPERSET_PORT=8088', 'CUBE_PORT=4000', 'JUPYTER_PORT=8888']) {
      assert.match(env, new RegExp(`^${line}$`, 'm'));
    }
  });

  test('closing a prompt cancels the command and writes nothing', async () => {
    const dir = path.join(parent, 'cancelled');
    const outcome = await answeringPrompts({ dir, confirm: false, open: false }, 'workbench.action.closeQuickOpen');
    assert.deepEqual(outcome, { status: 'cancelled' });
    assert.ok(!fs.existsSync(dir));
  });

  test('a bad project name is refused with a clear message and nothing is written', async () => {
    const cases: [string, RegExp][] = [
      ['Acme Analytics', /metacharacter/],
      ['acme;rm -rf ~', /metacharacter/],
      ['acme$(id)', /metacharacter/],
      ['Acme', /not a valid compose project name/],
      ['-acme', /not a valid compose project name/],
      ['', /empty/],
    ];
    for (const [name, expected] of cases) {
      const dir = path.join(parent, 'bad-name');
      const outcome = await createFork(answers(dir, { projectName: name }));
      assert.ok(outcome?.status === 'refused', `${JSON.stringify(name)}: expected a refusal, got ${JSON.stringify(outcome)}`);
      assert.equal(outcome.problems.length, 1, outcome.problems.join('\n'));
      assert.match(outcome.problems[0], expected);
      assert.ok(!fs.existsSync(dir), `${JSON.stringify(name)}: the folder must not be created`);
    }
  });

  test('a bad or duplicate port is refused and nothing is written', async () => {
    const dir = path.join(parent, 'bad-port');
    const low = await createFork(answers(dir, { ports: { dagster: 80 } }));
    assert.ok(low?.status === 'refused');
    assert.match(low.problems.join('\n'), /port of dagster must be a whole number from 1024 to 65535/);
    const twice = await createFork(answers(dir, { ports: { dagster: 15000, superset: 15000 } }));
    assert.ok(twice?.status === 'refused');
    assert.match(twice.problems.join('\n'), /Port 15000 is given to both dagster and superset/);
    assert.ok(!fs.existsSync(dir));
  });
});
