// The compose-env-missing quick fix in a real VS Code: a compose file that needs variables its
// .env.example documents, with no .env beside it, shows a warning whose quick fix runs the core's
// create (the platform's secrets generated, an outside service's key left empty, mode 600,
// git-ignored, never overwritten); the warning then goes away.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DoctorReport } from '../../src/core/doctor';
import type { CreateEnvResult } from '../../src/core/env/create';
import type { DuckStackApi } from '../../src/extension';
import { poll } from './poll';

async function extensionApi(): Promise<DuckStackApi> {
  const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
  assert.ok(extension);
  return extension.activate();
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

function envMissing(uri: vscode.Uri): vscode.Diagnostic | undefined {
  return vscode.languages.getDiagnostics(uri).find((d) => d.source === 'duckstack' && codeOf(d) === 'compose-env-missing');
}

suite('Create .env from .env.example (extension host)', () => {
  let dir: string;

  suiteSetup(async () => {
    await (await extensionApi()).lint.ready;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-env-missing-'));
    fs.writeFileSync(path.join(dir, '.env.example'), 'PG_USER=analytics\nPG_PASSWORD=replace-with-a-long-random-string\n# Optional: an LLM key\nOPENAI_API_KEY=\n');
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      'services:\n  db:\n    image: postgres:16.6\n    healthcheck: { disable: true }\n    environment:\n      POSTGRES_USER: "${PG_USER}"\n      POSTGRES_PASSWORD: "${PG_PASSWORD:?set PG_PASSWORD in .env}"\n      OPENAI_API_KEY: "${OPENAI_API_KEY:-}"\n',
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('Diagnose names the missing .env and links to Create .env from .env.example', async () => {
    const report = await vscode.commands.executeCommand<DoctorReport>('duckstack.service.diagnose', { projectDir: dir, service: 'db' });
    const environment = report?.services[0]?.findings.find((f) => f.area === 'environment');
    assert.deepEqual(environment?.next, [{ kind: 'create-env' }]);
    const html = (await extensionApi()).doctor.html ?? '';
    const link = `<a href="command:duckstack.env.create?${encodeURIComponent(JSON.stringify([dir]))}">Create .env from .env.example</a>`;
    assert.ok(html.includes(link), 'the report has no Create .env link');
    assert.equal(fs.existsSync(path.join(dir, '.env')), false, 'diagnosing writes nothing');
  });

  test('the missing .env is a warning on the compose file; its quick fix creates .env, and a second run never overwrites it', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'compose.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const warning = await poll(() => envMissing(uri), 20_000);
    assert.ok(warning, 'no compose-env-missing diagnostic');
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(warning.message, 'There is no .env beside this compose file, and it needs PG_USER, PG_PASSWORD (documented in .env.example); create .env from .env.example.');
    assert.equal(warning.range.start.line, 5);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, warning.range, vscode.CodeActionKind.QuickFix.value);
    const create = actions.find((a) => a.title === 'Create .env from .env.example');
    assert.ok(create?.command && !create.edit, `a command, not an edit: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(create.command.command, 'duckstack.env.create');
    // Fix all edits documents; creating a file is asked for on its own.
    const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.duckstack');
    assert.deepEqual(fixAll.map((a) => a.title), []);

    const created = await vscode.commands.executeCommand<CreateEnvResult>(create.command.command, ...(create.command.arguments ?? []));
    assert.ok(created?.ok, created && !created.ok ? created.reason : 'no result');
    assert.deepEqual([created.generated, created.leftEmpty], [['PG_PASSWORD'], ['OPENAI_API_KEY']]);
    const envFile = path.join(dir, '.env');
    const text = fs.readFileSync(envFile, 'utf8');
    assert.match(text, /^PG_USER=analytics\nPG_PASSWORD=[A-Za-z0-9_-]{32}\n# Optional: an LLM key\nOPENAI_API_KEY=\n$/);
    assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), '/.env\n');
    assert.ok(await poll(() => (envMissing(uri) ? undefined : true), 20_000), 'the warning stayed after .env was created');

    const again = await vscode.commands.executeCommand<CreateEnvResult>('duckstack.env.create', dir);
    assert.deepEqual(again, { ok: false, reason: `${envFile} already exists; DuckStack never overwrites it.` });
    assert.equal(fs.readFileSync(envFile, 'utf8'), text);
  });
});
