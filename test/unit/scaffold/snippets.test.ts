// Every snippet, expanded with its defaults, is valid where it is meant to go.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse as parseYaml, parseDocument } from 'yaml';
import { buildDemoDatabases, planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { COMPOSE_HOSTS, composeWithSnippet, expandSnippet, loadSnippets, tempDir, type Snippet } from './support';

const execFileAsync = promisify(execFile);
suite('scaffold: snippets', () => {
  const snippets = loadSnippets();
  let root: string;
  suiteSetup(() => {
    root = tempDir('snippets');
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the snippet files cover compose, dbt and Dagster with unique prefixes', () => {
    assert.deepEqual([...new Set(snippets.map((s) => s.file))], ['compose.json', 'dagster-python.json', 'dbt-dagster-yaml.json', 'dbt-sql.json']);
    const prefixes = snippets.map((s) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
    assert.deepEqual(snippets.filter((s) => s.file === 'compose.json').map((s) => s.prefix).sort(), Object.keys(COMPOSE_HOSTS).sort());
  });

  test('snippet expansion: defaults, choices, nesting and escapes', () => {
    assert.equal(expandSnippet(['a ${1:x${2:y}} ${3|p,q|} $0 \\${VAR:-${4:8}} \\}']), 'a xy p  ${VAR:-8} }');
  });

  for (const snippet of loadSnippets().filter((s) => s.file === 'compose.json')) {
    test(`compose snippet ${snippet.prefix}: docker compose config accepts it`, async () => {
      const dir = fs.mkdtempSync(path.join(root, 'compose-'));
      const text = composeWithSnippet(snippet);
      assert.deepEqual(parseDocument(text).errors, []);
      fs.writeFileSync(path.join(dir, 'docker-compose.yml'), text);
      fs.writeFileSync(path.join(dir, '.env'), `POSTGRES_PASSWORD=${randomBytes(12).toString('hex')}\n`);
      const { stderr } = await execFileAsync('docker', ['compose', 'config', '-q'], { cwd: dir });
      assert.equal(stderr.trim(), '');
    });
  }

  for (const snippet of loadSnippets().filter((s) => s.file === 'dbt-dagster-yaml.json')) {
    test(`YAML snippet ${snippet.prefix}: parses`, () => {
      const doc = parseDocument(expandSnippet(snippet.body));
      assert.deepEqual(doc.errors, []);
      assert.ok(doc.contents, 'not empty');
    });
  }

  test('the profiles snippet has dev, test and prod, every path through env_var', () => {
    const snippet = snippets.find((s) => s.prefix === 'duckstack-dbt-profiles') as Snippet;
    const profiles = parseYaml(expandSnippet(snippet.body)) as Record<string, { outputs: Record<string, { path: string }> }>;
    const outputs = profiles.analytics.outputs;
    assert.deepEqual(Object.keys(outputs), ['dev', 'test', 'prod']);
    for (const target of Object.values(outputs)) assert.match(target.path, /^\{\{ env_var\('DUCKDB_[A-Z]+_PATH', '\/app\/02_duck_db\//);
  });

  test('dbt SQL snippets run as models of the template project (with DuckDB)', async () => {
    const dir = path.join(root, 'dbt-fork');
    const plan = planScaffold({ dir, without: ['cube', 'jupyter'] });
    const written = await writeScaffold(plan);
    assert.ok(written.ok);
    const sqlSnippets = snippets.filter((s) => s.file === 'dbt-sql.json');
    assert.equal(sqlSnippets.length, 2);
    for (const [i, snippet] of sqlSnippets.entries()) {
      fs.writeFileSync(path.join(dir, '04_dbt', 'models', 'marts', `snippet_${i}.sql`), expandSnippet(snippet.body));
    }
    const built = await buildDemoDatabases(dir);
    assert.ok(built.ok, built.ok ? '' : built.message);
    assert.deepEqual(
      built.tables.filter((t) => t.name.startsWith('snippet_')).map((t) => [t.name, t.rows]),
      [['snippet_0', 60], ['snippet_1', 60]],
    );
  });

  test('Python snippets compile (python3 -m py_compile)', async () => {
    const pySnippets = snippets.filter((s) => s.file === 'dagster-python.json');
    assert.equal(pySnippets.length, 2);
    const files = pySnippets.map((snippet, i) => {
      const file = path.join(root, `snippet_${i}.py`);
      fs.writeFileSync(file, expandSnippet(snippet.body));
      return file;
    });
    await execFileAsync('python3', ['-m', 'py_compile', ...files], { env: { ...process.env, PYTHONPYCACHEPREFIX: path.join(root, 'pycache') } });
  });
});
