// `duckstack mcp` through the SDK's own client over stdio: the bundled CLI (dist/cli.js, built by
// the test runner) serves a scaffolded fork with demo databases and a broken fork. Every tool is
// called and its structured content checked; nothing the tools do writes a file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { buildDemoDatabases, DEV_DATABASE } from '../../../src/core/scaffold';
import { noDockerEnv, scaffoldFork, tempDir } from '../validate/support';
import { call, CLI, connect, READ_TOOL_NAMES, snapshot } from './support';

interface Finding {
  file: string;
  ruleId: string;
  severity: string;
  range: { start: { line: number; column: number }; end: { line: number; column: number } };
  fix?: { title: string; diff: string };
  docs: string;
}

function textOf(content: { text: string } | { blob: string }): string {
  assert.ok('text' in content, 'a binary resource where text was expected');
  return content.text;
}

suite('mcp: duckstack mcp over stdio with the SDK client', function () {
  this.timeout(180_000);
  let root: string;
  let clean: string;
  let broken: string;
  let cleanClient: Client;
  let brokenClient: Client;

  suiteSetup(async () => {
    root = tempDir('mcp');
    clean = path.join(root, 'clean');
    await scaffoldFork(clean);
    const demo = await buildDemoDatabases(clean);
    assert.ok(demo.ok, JSON.stringify(demo));
    broken = path.join(root, 'broken');
    await scaffoldFork(broken);
    const compose = path.join(broken, 'docker-compose.yml');
    const text = fs.readFileSync(compose, 'utf8');
    const next = text
      .replace('"${DAGSTER_PORT:-3000}:3000"', '"3000:3000"')
      .replace(/(\n {6}POSTGRES_PASSWORD: )\$\{POSTGRES_PASSWORD:\?set POSTGRES_PASSWORD in \.env\}/, '$1supersecret');
    assert.notEqual(next, text);
    assert.match(next, /supersecret/);
    fs.writeFileSync(compose, next);
    cleanClient = await connect(clean, noDockerEnv());
    brokenClient = await connect(broken, noDockerEnv());
  });
  suiteTeardown(async () => {
    await cleanClient?.close();
    await brokenClient?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the SDK is bundled into dist/cli.js: the CLI needs no node_modules for it', () => {
    const bundle = fs.readFileSync(CLI, 'utf8');
    assert.doesNotMatch(bundle, /require\(["'](?:@modelcontextprotocol\/sdk|zod)[/"']/);
    assert.match(bundle, /duckstack mcp: serving/);
  });

  test('lists the read-only tools, each with an output schema, and no tool that changes state', async () => {
    const { tools } = await cleanClient.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), READ_TOOL_NAMES);
    for (const tool of tools) {
      assert.equal(tool.outputSchema?.type, 'object', `${tool.name} has no output schema`);
      assert.equal(tool.annotations?.readOnlyHint, true, `${tool.name} is not marked read-only`);
    }
  });

  test('lint: a scaffolded fork is clean; a broken one gets findings with ranges and fixes as diffs, nothing written', async () => {
    const cleanLint = await call(cleanClient, 'lint');
    assert.deepEqual(cleanLint.data.findings, [], JSON.stringify(cleanLint.data.findings, null, 2));
    assert.deepEqual(cleanLint.data.errors, []);

    const before = snapshot(broken);
    const { data } = await call(brokenClient, 'lint', { paths: ['docker-compose.yml'] });
    const findings = data.findings as Finding[];
    const port = findings.find((f) => f.ruleId === 'compose-host-port-variable');
    assert.ok(port, JSON.stringify(findings, null, 2));
    assert.equal(port.file, 'docker-compose.yml');
    assert.equal(port.severity, 'warning');
    const line = fs.readFileSync(path.join(broken, 'docker-compose.yml'), 'utf8').split('\n').findIndex((l) => l.includes('"3000:3000"')) + 1;
    assert.equal(port.range.start.line, line);
    assert.ok(port.range.end.column > port.range.start.column);
    assert.equal(port.docs, 'duckstack://rules/compose-host-port-variable');
    assert.ok(port.fix);
    assert.match(port.fix.diff, /^--- a\/docker-compose\.yml\n\+\+\+ b\/docker-compose\.yml\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
    assert.match(port.fix.diff, /^-.*"3000:3000"$/m);
    assert.match(port.fix.diff, /^\+.*"\$\{DAGSTER_PORT:-3000\}:3000"$/m);

    const credential = findings.find((f) => f.ruleId === 'compose-hardcoded-credential');
    assert.ok(credential?.fix, JSON.stringify(findings, null, 2));
    assert.equal(credential.severity, 'error');
    assert.match(credential.fix.diff, /^\+.*\$\{POSTGRES_PASSWORD:\?/m);
    assert.doesNotMatch(credential.fix.diff, /supersecret/, 'the password moved to .env is masked in the diff');
    assert.match(credential.fix.title, /stored in \.env first/);
    assert.deepEqual((data.summary as { error: number }).error >= 1, true);
    assert.deepEqual(snapshot(broken), before, 'lint wrote a file');
  });

  test('validate: static checks by default, pass on the fork and fail on the broken one; runtime checks not run', async () => {
    const good = await call(cleanClient, 'validate');
    const checks = good.data.checks as Array<{ id: string; status: string; reason: string }>;
    assert.equal(good.data.ok, true, JSON.stringify(checks.filter((c) => c.status === 'fail'), null, 2));
    assert.equal(checks.find((c) => c.id === 'services')?.status, 'not-checked');
    assert.match(checks.find((c) => c.id === 'services')?.reason ?? '', /runtime checks were not asked for/);
    const bad = await call(brokenClient, 'validate');
    assert.equal(bad.data.ok, false);
    assert.ok((bad.data.checks as Array<{ status: string }>).some((c) => c.status === 'fail'));
  });

  test('doctor: no Docker engine answering is a note of the report; an unknown service is an error naming the services', async () => {
    const { result, data } = await call(cleanClient, 'doctor');
    assert.equal(data.ok, false);
    assert.match((data.notes as string[]).join('\n'), /Docker/);
    assert.equal(result.isError, undefined);
    const unknown = await call(cleanClient, 'doctor', { service: 'nope' });
    assert.equal(unknown.result.isError, true);
    assert.match((unknown.data.notes as string[]).join('\n'), /No service nope in the project; its services: .*dagster/);
  });

  test('the tools that change state are not offered and not callable without --allow-changes', async () => {
    const before = snapshot(broken);
    for (const name of ['up', 'restart', 'apply_fixes']) {
      const result = (await brokenClient.callTool({ name, arguments: {} })) as { isError?: boolean; content: Array<{ type: string; text?: string }> };
      assert.equal(result.isError, true, name);
      assert.match(result.content.map((c) => c.text ?? '').join(''), new RegExp(`Tool ${name} not found`), name);
    }
    assert.deepEqual(snapshot(broken), before);
  });

  test('apply_fixes (with --allow-changes): rewrites the broken file, the secret moved to .env and masked in the diff; a rule filter applies only its fixes', async () => {
    const dir = path.join(root, 'to-fix');
    fs.cpSync(broken, dir, { recursive: true });
    fs.rmSync(path.join(dir, '.env'), { force: true });
    // In CI: .env is not this run's to create (compose-env-missing does not run); the fix creates it with the moved secret alone.
    const client = await connect(dir, { ...noDockerEnv(), CI: 'true' }, { allowChanges: true });
    try {
      const unknown = await call(client, 'apply_fixes', { rules: ['no-such-rule'] });
      assert.equal(unknown.result.isError, true);
      const onlyPorts = await call(client, 'apply_fixes', { paths: ['docker-compose.yml'], rules: ['compose-host-port-variable'] });
      assert.equal(onlyPorts.data.ok, true, JSON.stringify(onlyPorts.data));
      const compose = path.join(dir, 'docker-compose.yml');
      assert.match(fs.readFileSync(compose, 'utf8'), /"\$\{DAGSTER_PORT:-3000\}:3000"/);
      assert.match(fs.readFileSync(compose, 'utf8'), /POSTGRES_PASSWORD: supersecret/, 'the filter left the other rule alone');
      assert.ok((onlyPorts.data.remaining as { error: number }).error >= 1);

      const all = await call(client, 'apply_fixes');
      const changed = all.data.changed as Array<{ file: string; diff: string }>;
      assert.deepEqual(changed.map((c) => c.file), ['docker-compose.yml'], JSON.stringify(all.data));
      assert.match(changed[0].diff, /^\+.*\$\{POSTGRES_PASSWORD:\?/m);
      assert.doesNotMatch(changed[0].diff, /supersecret/, 'the diff masks the secret');
      assert.doesNotMatch(JSON.stringify(all.data), /supersecret/);
      assert.match((all.data.notes as string[]).join('\n'), /moved POSTGRES_PASSWORD to \.env/);
      assert.match(fs.readFileSync(path.join(dir, '.env'), 'utf8'), /^POSTGRES_PASSWORD='supersecret'$/m);
      assert.equal(fs.statSync(path.join(dir, '.env')).mode & 0o777, 0o600);
      assert.deepEqual(all.data.remaining, { error: 0, warning: 0, info: 0, fixable: 0 });
      const lint = await call(client, 'lint');
      assert.deepEqual(lint.data.findings, []);
    } finally {
      await client.close();
    }
  });

  test('lint and apply_fixes judge the working copy as a local duckstack lint does: no .env is compose-env-missing, its fix the .env it creates (secrets ***), unless CI is set', async () => {
    const dir = path.join(root, 'no-env');
    fs.cpSync(clean, dir, { recursive: true });
    fs.rmSync(path.join(dir, '.env'));
    const local = noDockerEnv();
    delete local.CI;
    const ci = await connect(dir, { ...local, CI: 'true' });
    const checkout = await connect(dir, local, { allowChanges: true });
    try {
      const before = snapshot(dir);
      assert.deepEqual((await call(ci, 'lint')).data.findings, [], 'in CI a missing .env is not a finding');
      const { data } = await call(checkout, 'lint');
      const findings = data.findings as Finding[];
      assert.deepEqual(findings.map((f) => [f.file, f.ruleId, f.severity]), [['docker-compose.yml', 'compose-env-missing', 'warning']], JSON.stringify(findings, null, 2));
      const fix = findings[0].fix;
      assert.ok(fix);
      assert.match(fix.title, /^Create \.env from \.env\.example \(apply_fixes writes it, mode 600 and git-ignored, with a fresh random value for each \*\*\*\)$/);
      assert.match(fix.diff, /^--- a\/\.env\n\+\+\+ b\/\.env\n@@ /);
      assert.match(fix.diff, /^\+POSTGRES_PASSWORD=\*\*\*$/m);
      assert.match(fix.diff, /^\+POSTGRES_USER=platform$/m);
      assert.doesNotMatch(fix.diff, /replace-with-/);
      assert.deepEqual(snapshot(dir), before, 'lint wrote a file');

      const applied = await call(checkout, 'apply_fixes');
      assert.equal(applied.data.ok, true, JSON.stringify(applied.data));
      assert.deepEqual(applied.data.changed, [], 'no file of the fork is rewritten; .env is created, not shown');
      const envText = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      const password = /^POSTGRES_PASSWORD=([A-Za-z0-9_-]{32})$/m.exec(envText)?.[1];
      assert.ok(password, envText.replace(/=.*/g, '=…'));
      assert.equal(fs.statSync(path.join(dir, '.env')).mode & 0o777, 0o600);
      assert.match((applied.data.notes as string[]).join('\n'), /^\.env: Created \.env from \.env\.example \(mode 600\): generated POSTGRES_PASSWORD, /m);
      assert.doesNotMatch(JSON.stringify(applied.data), new RegExp(password), 'a generated value is never returned');
      assert.deepEqual(applied.data.remaining, { error: 0, warning: 0, info: 0, fixable: 0 });
      assert.equal(fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8'), before.get(path.join(dir, 'docker-compose.yml')));
      // Never overwritten: a second run has nothing to do.
      assert.deepEqual((await call(checkout, 'apply_fixes')).data.changed, []);
      assert.equal(fs.readFileSync(path.join(dir, '.env'), 'utf8'), envText);
    } finally {
      await ci.close();
      await checkout.close();
    }
  });

  test('apply_fixes in a checkout with no .env and a literal secret: .env from the example, the literal moved into it instead of a generated value', async () => {
    const dir = path.join(root, 'to-fix-local');
    fs.cpSync(broken, dir, { recursive: true });
    fs.rmSync(path.join(dir, '.env'), { force: true });
    const local = noDockerEnv();
    delete local.CI;
    const client = await connect(dir, local, { allowChanges: true });
    try {
      const all = await call(client, 'apply_fixes');
      assert.equal(all.data.ok, true, JSON.stringify(all.data));
      assert.deepEqual((all.data.changed as Array<{ file: string }>).map((c) => c.file), ['docker-compose.yml']);
      assert.doesNotMatch(JSON.stringify(all.data), /supersecret/);
      const notes = (all.data.notes as string[]).join('\n');
      assert.match(notes, /^\.env: Created \.env from \.env\.example \(mode 600\): generated SUPERSET_SECRET_KEY, /m);
      assert.doesNotMatch(notes, /generated [^.]*POSTGRES_PASSWORD/);
      assert.match(notes, /moved POSTGRES_PASSWORD to \.env/);
      const envText = fs.readFileSync(path.join(dir, '.env'), 'utf8');
      // The stack keeps the password it runs with (the database was initialised with it); the rest comes from the example.
      assert.match(envText, /^# POSTGRES_PASSWORD: set below, to the value the compose file had \(moved by DuckStack's fix\)$/m);
      assert.deepEqual(envText.split('\n').filter((l) => l.startsWith('POSTGRES_PASSWORD=')), ["POSTGRES_PASSWORD='supersecret'"]);
      assert.match(envText, /^POSTGRES_USER=platform$/m);
      assert.match(envText, /^SUPERSET_SECRET_KEY=[A-Za-z0-9_-]{32}$/m);
      assert.deepEqual(all.data.remaining, { error: 0, warning: 0, info: 0, fixable: 0 });
    } finally {
      await client.close();
    }
  });

  test('status: no Docker engine answering is a structured problem, not a crash', async () => {
    const { result, data } = await call(cleanClient, 'status');
    assert.equal(result.isError, true);
    assert.equal(data.reachable, false);
    assert.ok(typeof data.project === 'string' && data.project.length > 0);
    assert.match((data.problem as { cause: string }).cause, /\S/);
  });

  test('catalog: the demo databases with their schemas, tables and columns', async () => {
    const { data } = await call(cleanClient, 'catalog');
    const databases = data.databases as Array<{ name: string; exists: boolean; schemas?: Array<{ name: string; relations: Array<{ name: string; columns: Array<{ name: string }> }> }> }>;
    const dev = databases.find((d) => d.name === 'dev.duckdb');
    assert.ok(dev?.exists && dev.schemas, JSON.stringify(databases, null, 2));
    const relations = dev.schemas.flatMap((s) => s.relations.map((r) => `${s.name}.${r.name}`));
    assert.ok(relations.length > 0);
    assert.ok(dev.schemas.every((s) => s.relations.every((r) => r.columns.length > 0)));
  });

  test('query: rows within the limit; a write refused by DuckDB; a query past its timeout stopped', async () => {
    const rows = await call(cleanClient, 'query', { sql: 'SELECT * FROM range(10) t(i)', database: DEV_DATABASE, limit: 3 });
    assert.equal(rows.data.ok, true, JSON.stringify(rows.data));
    assert.deepEqual(rows.data.rows, [['0'], ['1'], ['2']]);
    assert.equal(rows.data.truncated, true);
    assert.equal(rows.data.cutRows, 7);

    const write = await call(cleanClient, 'query', { sql: 'CREATE TABLE main.evil (id INTEGER)', database: DEV_DATABASE });
    assert.equal(write.result.isError, true);
    assert.equal(write.data.ok, false);
    assert.match(JSON.stringify(write.data.problem), /read-only/i);
    const after = await call(cleanClient, 'query', { sql: "SELECT count(*) FROM information_schema.tables WHERE table_name = 'evil'", database: DEV_DATABASE });
    assert.deepEqual(after.data.rows, [['0']]);

    const slow = await call(cleanClient, 'query', { sql: 'SELECT count(*) FROM range(60000000000)', database: DEV_DATABASE, timeoutSeconds: 1 });
    assert.equal(slow.data.ok, false);
    assert.equal((slow.data.problem as { kind: string }).kind, 'timeout');

    const missing = await call(cleanClient, 'query', { sql: 'SELECT 1', database: 'nope.duckdb' });
    assert.equal(missing.result.isError, true);
    assert.match((missing.data.problem as { cause: string }).cause, /No DuckDB database nope\.duckdb/);
  });

  test('golden_versions: the rows of the fork’s golden_versions.md', async () => {
    const { data } = await call(cleanClient, 'golden_versions');
    assert.equal(data.file, 'golden_versions.md');
    const entries = data.entries as Array<{ tool: string; version: string; line: number }>;
    assert.ok(entries.some((e) => /dagster/i.test(e.tool) && /^\d+\.\d+/.test(e.version)), JSON.stringify(entries));
    assert.ok(entries.every((e) => e.line >= 1));
  });

  test('explain_rule: a rule with its documentation; an unknown id lists the known ones', async () => {
    const { data } = await call(cleanClient, 'explain_rule', { id: 'compose-host-port-variable' });
    assert.equal(data.known, true);
    assert.equal(data.defaultSeverity, 'warning');
    assert.equal(data.fixable, true);
    assert.match(String(data.documentation), /published host port is hardcoded/);
    const unknown = await call(cleanClient, 'explain_rule', { id: 'no-such-rule' });
    assert.equal(unknown.result.isError, true);
    assert.ok((unknown.data.knownIds as string[]).includes('compose-healthcheck'));
  });

  test('resources: the rules document, one rule, and the fork’s golden file', async () => {
    const { resources } = await cleanClient.listResources();
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.includes('duckstack://rules'));
    assert.ok(uris.includes('duckstack://golden_versions.md'));
    assert.ok(uris.includes('duckstack://rules/compose-healthcheck'));
    const doc = await cleanClient.readResource({ uri: 'duckstack://rules' });
    assert.match(textOf(doc.contents[0]), /^# DuckStack rules/);
    const one = await cleanClient.readResource({ uri: 'duckstack://rules/compose-healthcheck' });
    assert.match(textOf(one.contents[0]), /^### compose-healthcheck\nA long-running service has no healthcheck/);
    const golden = await cleanClient.readResource({ uri: 'duckstack://golden_versions.md' });
    assert.equal(textOf(golden.contents[0]), fs.readFileSync(path.join(clean, 'golden_versions.md'), 'utf8'));
  });
});
