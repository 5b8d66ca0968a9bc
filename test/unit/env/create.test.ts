// Create .env from .env.example: placeholder secrets generated, everything else copied, never an
// existing .env overwritten, .env git-ignored; and `duckstack new --env` on the real templates.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { parseDotEnv } from '../../../src/core/compose/env';
import { createEnvFromExample, fillPlaceholders } from '../../../src/core/env/create';
import { lintWorkspace } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import { tempDir } from '../validate/support';

const EXAMPLE = [
  '# Secrets: replace every placeholder.',
  'POSTGRES_USER=analytics',
  'POSTGRES_PASSWORD=replace-with-a-long-random-string',
  'export SUPERSET_SECRET_KEY="replace-with-a-secret"  # Flask signs sessions with it',
  "CUBE_API_SECRET='replace-with-x'",
  'JUPYTER_TOKEN=',
  '# Optional: an LLM key for PandasAI',
  'PANDASAI_API_KEY=',
  'OPENAI_API_KEY=replace-with-your-openai-key # from platform.openai.com',
  'AWS_SECRET_ACCESS_KEY=',
  'DAGSTER_PORT=',
  'DB_PASSWORD_FILE=',
  'NOTE=replace-with-anything # a placeholder whatever its name',
  'DAGSTER_HOME=/opt/dagster/dagster_home',
  '',
].join('\n');

suite('create .env from .env.example (unit)', () => {
  test('the platform\'s placeholders and empty secrets are generated; outside keys are left empty with a comment; other lines, comments and quotes are kept', () => {
    let n = 0;
    const filled = fillPlaceholders(EXAMPLE, () => `gen${++n}`);
    assert.deepEqual(filled.generated, ['POSTGRES_PASSWORD', 'SUPERSET_SECRET_KEY', 'CUBE_API_SECRET', 'JUPYTER_TOKEN', 'NOTE']);
    assert.deepEqual(filled.leftEmpty, ['PANDASAI_API_KEY', 'OPENAI_API_KEY', 'AWS_SECRET_ACCESS_KEY']);
    assert.equal(
      filled.text,
      [
        '# Secrets: replace every placeholder.',
        'POSTGRES_USER=analytics',
        'POSTGRES_PASSWORD=gen1',
        'export SUPERSET_SECRET_KEY=gen2  # Flask signs sessions with it',
        'CUBE_API_SECRET=gen3',
        'JUPYTER_TOKEN=gen4',
        '# Optional: an LLM key for PandasAI',
        'PANDASAI_API_KEY=',
        '# OPENAI_API_KEY: a key an outside service issues; DuckStack left it empty. Set it from that service, or leave it empty when unused.',
        '# from platform.openai.com',
        'OPENAI_API_KEY=',
        '# AWS_SECRET_ACCESS_KEY: a key an outside service issues; DuckStack left it empty. Set it from that service, or leave it empty when unused.',
        'AWS_SECRET_ACCESS_KEY=',
        'DAGSTER_PORT=',
        'DB_PASSWORD_FILE=',
        'NOTE=gen5 # a placeholder whatever its name',
        'DAGSTER_HOME=/opt/dagster/dagster_home',
        '',
      ].join('\n'),
    );
    assert.equal(fillPlaceholders('A_TOKEN=replace-with-x\r\nB=1\r\n', () => 'v').text, 'A_TOKEN=v\r\nB=1\r\n');
    // A literal a lint fix moves into .env next is neither generated nor kept as a placeholder: the fix's value goes below.
    const moved = fillPlaceholders('POSTGRES_USER=analytics\nexport POSTGRES_PASSWORD=replace-with-x\nJUPYTER_TOKEN=\n', () => 'v', new Set(['POSTGRES_PASSWORD', 'POSTGRES_USER']));
    assert.deepEqual(moved, {
      text: "POSTGRES_USER=analytics\n# POSTGRES_PASSWORD: set below, to the value the compose file had (moved by DuckStack's fix)\nJUPYTER_TOKEN=v\n",
      generated: ['JUPYTER_TOKEN'],
      leftEmpty: [],
    });
  });

  test('writes .env (mode 600) with fresh random secrets, git-ignores it, and never overwrites it', async () => {
    const dir = tempDir('env-create');
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      fs.writeFileSync(path.join(dir, '.env.example'), EXAMPLE);
      const created = await createEnvFromExample(dir);
      assert.ok(created.ok, created.ok ? '' : created.reason);
      assert.deepEqual(created.generated, ['POSTGRES_PASSWORD', 'SUPERSET_SECRET_KEY', 'CUBE_API_SECRET', 'JUPYTER_TOKEN', 'NOTE']);
      assert.deepEqual(created.leftEmpty, ['PANDASAI_API_KEY', 'OPENAI_API_KEY', 'AWS_SECRET_ACCESS_KEY']);
      const envFile = path.join(dir, '.env');
      assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);
      const env = parseDotEnv(fs.readFileSync(envFile, 'utf8'));
      for (const name of created.generated) assert.match(env.get(name) ?? '', /^[A-Za-z0-9_-]{32}$/, name);
      assert.equal(new Set(created.generated.map((n) => env.get(n))).size, created.generated.length, 'every secret is its own value');
      assert.equal(env.get('POSTGRES_USER'), 'analytics');
      assert.equal(env.get('DAGSTER_PORT'), '');
      assert.equal(env.get('DB_PASSWORD_FILE'), '');
      for (const name of created.leftEmpty) assert.equal(env.get(name), '', name);
      assert.doesNotMatch(JSON.stringify(created), new RegExp(String(env.get('POSTGRES_PASSWORD'))));
      assert.equal(created.gitignore, `added /.env to ${path.join(dir, '.gitignore')}`);
      execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: dir });

      const before = fs.readFileSync(envFile, 'utf8');
      const again = await createEnvFromExample(dir);
      assert.deepEqual(again, { ok: false, reason: `${envFile} already exists; DuckStack never overwrites it.` });
      assert.equal(fs.readFileSync(envFile, 'utf8'), before);

      const other = tempDir('env-create-none');
      assert.deepEqual(await createEnvFromExample(other), { ok: false, reason: `There is no .env.example, .env.sample, .env.template in ${other} to create .env from.` });
      fs.rmSync(other, { recursive: true, force: true });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('duckstack new --env: the fork starts with a .env whose every placeholder is generated', async () => {
    const parent = tempDir('env-new');
    const dir = path.join(parent, 'fork');
    let out = '';
    let err = '';
    const io: CliIo = { cwd: parent, env: process.env, out: (t) => (out += t), err: (t) => (err += t) };
    try {
      assert.equal(await cli(['new', dir, '--env'], io), 0, err);
      const text = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      assert.doesNotMatch(text, /replace-with-/);
      const example = parseDotEnv(fs.readFileSync(path.join(dir, '.env.example'), 'utf8'));
      const env = parseDotEnv(text);
      assert.deepEqual([...env.keys()], [...example.keys()]);
      // The platform's own secrets are generated; PandasAI's API key comes from PandasAI, so it stays empty.
      const generated = ['POSTGRES_PASSWORD', 'SUPERSET_SECRET_KEY', 'SUPERSET_ADMIN_PASSWORD', 'CUBE_API_SECRET', 'JUPYTER_TOKEN'];
      assert.deepEqual([...example].filter(([, v]) => v.startsWith('replace-with-')).map(([k]) => k), generated);
      for (const name of generated) assert.match(env.get(name) ?? '', /^[A-Za-z0-9_-]{32}$/, name);
      for (const [k, v] of example) if (!generated.includes(k)) assert.equal(env.get(k), v, k);
      assert.equal(env.get('PANDASAI_API_KEY'), '');
      assert.match(text, /^# Optional: an LLM API key for PandasAI \(leave empty to skip PandasAI\)\nPANDASAI_API_KEY=$/m);
      assert.match(
        out,
        new RegExp(`^Created \\.env from \\.env\\.example \\(mode 600\\): generated ${generated.join(', ')}; left empty PANDASAI_API_KEY \\(a key an outside service issues: set it yourself, or leave it empty when unused\\)\\.$`, 'm'),
      );
      assert.doesNotMatch(out, /cp \.env\.example \.env/);
      // The templates' .gitignore already ignores .env: nothing added.
      assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), fs.readFileSync(path.resolve(__dirname, '../../../../templates/.gitignore'), 'utf8'));
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  test('duckstack env create: .env in an existing fork, never overwritten (exit 1), no example a usage error (exit 2), names only', async () => {
    const dir = tempDir('env-cli');
    let out = '';
    let err = '';
    const io: CliIo = { cwd: dir, env: process.env, out: (t) => (out += t), err: (t) => (err += t) };
    try {
      assert.equal(await cli(['env', 'create'], io), 2);
      assert.equal(err, `duckstack env create: There is no .env.example, .env.sample, .env.template in ${dir} to create .env from.\n`);
      fs.writeFileSync(path.join(dir, '.env.example'), EXAMPLE);
      err = '';
      assert.equal(await cli(['env', 'create', '.'], io), 0, err);
      const env = parseDotEnv(fs.readFileSync(path.join(dir, '.env'), 'utf8'));
      assert.equal(
        out,
        'Created .env from .env.example (mode 600): generated POSTGRES_PASSWORD, SUPERSET_SECRET_KEY, CUBE_API_SECRET, JUPYTER_TOKEN, NOTE; left empty PANDASAI_API_KEY, OPENAI_API_KEY, AWS_SECRET_ACCESS_KEY (keys an outside service issues: set them yourself, or leave them empty when unused).\n' +
          `added /.env to ${path.join(dir, '.gitignore')}\n`,
      );
      assert.doesNotMatch(out, new RegExp(String(env.get('POSTGRES_PASSWORD'))));
      const before = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      err = '';
      assert.equal(await cli(['env', 'create', dir], io), 1);
      assert.equal(err, `duckstack env create: ${path.join(dir, '.env')} already exists; DuckStack never overwrites it.\n`);
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), before);
      err = '';
      assert.equal(await cli(['env', 'make'], io), 2);
      assert.match(err, /^duckstack env: unknown subcommand 'make'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('duckstack lint --fix with no .env and a literal password: .env from the example, the literal moved into it, not a generated value', async () => {
    const dir = tempDir('env-moved');
    try {
      fs.writeFileSync(path.join(dir, '.env.example'), 'DB_USER=analytics\n# Secret\nPOSTGRES_PASSWORD=replace-with-a-password\nAPP_SECRET=replace-with-x\n');
      fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  db:\n    image: postgres:16\n    healthcheck: { disable: true }\n    environment:\n      POSTGRES_USER: "${DB_USER:?set DB_USER in .env}"\n      POSTGRES_PASSWORD: supersecret\n      APP_SECRET: "${APP_SECRET:?}"\n');
      const local: NodeJS.ProcessEnv = { ...process.env };
      delete local.CI;
      let out = '';
      const code = await cli(['lint', '--fix', dir], { cwd: dir, env: local, out: (t) => (out += t), err: (t) => (out += t) });
      assert.equal(code, 0, out);
      assert.match(out, /^duckstack lint --fix: \.env: Created \.env from \.env\.example \(mode 600\): generated APP_SECRET\.$/m);
      assert.match(out, /moved POSTGRES_PASSWORD to \.env/);
      assert.doesNotMatch(out, /supersecret/);
      const text = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      const env = parseDotEnv(text);
      assert.equal(env.get('POSTGRES_PASSWORD'), 'supersecret', 'the value the database runs with');
      assert.equal(env.get('DB_USER'), 'analytics');
      assert.match(env.get('APP_SECRET') ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.match(text, /^# POSTGRES_PASSWORD: set below, to the value the compose file had \(moved by DuckStack's fix\)$/m);
      assert.match(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), /POSTGRES_PASSWORD: "\$\{POSTGRES_PASSWORD:\?/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('compose-env-missing: a working-copy finding (editor, local lint), never in CI; duckstack lint --fix creates .env', async () => {
    const dir = tempDir('env-rule');
    try {
      fs.writeFileSync(path.join(dir, '.env.example'), 'DB_PASSWORD=replace-with-a-password\nDB_USER=analytics\n');
      const compose = 'services:\n  db:\n    image: postgres:16\n    healthcheck: { disable: true }\n    environment:\n      POSTGRES_USER: "${DB_USER}"\n      POSTGRES_PASSWORD: "${DB_PASSWORD:?set DB_PASSWORD in .env}"\n      PGPORT: "${PGPORT:-5432}"\n';
      fs.writeFileSync(path.join(dir, 'compose.yaml'), compose);
      const envMissing = async (workingCopy?: boolean): Promise<unknown[]> =>
        (await lintWorkspace(dir, { ruleSet: allRules, ...(workingCopy === undefined ? {} : { workingCopy }) }))
          .filter((f) => f.ruleId === 'compose-env-missing')
          .map((f) => ({ message: f.message, severity: f.severity, line: f.line, text: compose.slice(f.start, f.end), fix: f.fix }));
      // A .env is never committed: CI (the default) says nothing about it.
      assert.deepEqual(await envMissing(), []);
      assert.deepEqual(await envMissing(true), [
        {
          message: 'There is no .env beside this compose file, and it needs DB_USER, DB_PASSWORD (documented in .env.example); create .env from .env.example.',
          severity: 'warning',
          line: 5,
          text: '${DB_USER}',
          fix: { title: 'Create .env from .env.example', edits: [], createEnv: true },
        },
      ]);

      let out = '';
      const run = async (args: string[], env: NodeJS.ProcessEnv): Promise<number> => {
        out = '';
        return cli(args, { cwd: dir, env, out: (t) => (out += t), err: (t) => (out += t) });
      };
      const local: NodeJS.ProcessEnv = { ...process.env };
      delete local.CI;
      // In CI (CI=true, or --ci): nothing. Locally: a warning, so the exit code stays 0.
      assert.equal(await run(['lint', dir, '--format', 'json'], { ...local, CI: 'true' }), 0);
      assert.deepEqual(JSON.parse(out), []);
      assert.equal(await run(['lint', dir, '--format', 'json', '--ci'], local), 0);
      assert.deepEqual(JSON.parse(out), []);
      assert.equal(await run(['lint', dir, '--format', 'json'], { ...local, CI: 'false' }), 0);
      assert.deepEqual((JSON.parse(out) as Array<{ ruleId: string; severity: string; fixable: boolean }>).map((f) => [f.ruleId, f.severity, f.fixable]), [['compose-env-missing', 'warning', true]]);

      assert.equal(await run(['lint', '--fix', dir], local), 0);
      const env = parseDotEnv(fs.readFileSync(path.join(dir, '.env'), 'utf8'));
      assert.equal(env.get('DB_USER'), 'analytics');
      assert.match(env.get('DB_PASSWORD') ?? '', /^[A-Za-z0-9_-]{32}$/);
      assert.equal(fs.statSync(path.join(dir, '.env')).mode & 0o777, 0o600);
      assert.match(out, /^duckstack lint --fix: \.env: Created \.env from \.env\.example \(mode 600\): generated DB_PASSWORD\.$/m);
      assert.doesNotMatch(out, new RegExp(String(env.get('DB_PASSWORD'))));
      assert.equal(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8'), compose, 'the compose file is not touched');
      assert.deepEqual(await envMissing(true), []);
      // Nothing is overwritten: a second --fix has nothing to do.
      const before = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      assert.equal(await run(['lint', '--fix', dir], local), 0);
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), before);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
