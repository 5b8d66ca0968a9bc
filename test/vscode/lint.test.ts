import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';

const BAD_COMPOSE = `services:
  dagster:
    image: local/busybox:1
    ports:
      - "3000:3000"
    healthcheck:
      test: ["CMD", "true"]
  superset:
    image: apache/superset:4.0.2
    depends_on:
      - dagster
    ports:
      - "\${SUPERSET_PORT:-8088}:8088"
`;

const GOLDEN = `| Tool | Package / Image | Golden Version | Notes |
| --- | --- | --- | --- |
| Apache Superset | \`apache/superset\` | 5.0.0 | BI |
`;

function codeOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

/** Waits until the document's DuckStack diagnostics satisfy predicate. */
async function diagnosticsWhere(uri: vscode.Uri, predicate: (ds: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'duckstack');
    if (predicate(ds)) return ds;
    if (Date.now() > deadline) throw new Error(`diagnostics did not settle: ${ds.map((d) => `${codeOf(d)}@${d.range.start.line}`).join(', ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Inline warnings (extension host)', () => {
  let dir: string;
  let composeUri: vscode.Uri;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    await (await extension.activate()).lint.ready;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-lint-'));
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
    fs.writeFileSync(path.join(dir, 'docker-compose.yml'), BAD_COMPOSE);
    composeUri = vscode.Uri.file(path.join(dir, 'docker-compose.yml'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('opening a bad compose file shows the platform rules as diagnostics, with rule ids and doc links', async () => {
    const document = await vscode.workspace.openTextDocument(composeUri);
    await vscode.window.showTextDocument(document);
    const ds = await diagnosticsWhere(composeUri, (all) => all.some((d) => codeOf(d) === 'compose-image-golden'));
    const byRule = new Map(ds.map((d) => [codeOf(d), d]));
    const port = byRule.get('compose-host-port-variable');
    assert.ok(port, 'hardcoded host port not reported');
    assert.equal(port.range.start.line, 4);
    assert.equal(port.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(byRule.has('compose-depends-on-condition'), 'list-form depends_on not reported');
    assert.equal(byRule.get('compose-image-golden')?.range.start.line, 8);
    const code = port.code as { value: string; target: vscode.Uri };
    assert.match(code.target.path, /docs\/rules\.md$/);
    assert.equal(code.target.fragment, 'compose-host-port-variable');
  });

  test('applying the quick fix through the vscode API changes the document and clears that finding', async () => {
    const document = await vscode.workspace.openTextDocument(composeUri);
    const ds = await diagnosticsWhere(composeUri, (all) => all.some((d) => codeOf(d) === 'compose-host-port-variable'));
    const port = ds.find((d) => codeOf(d) === 'compose-host-port-variable');
    assert.ok(port);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', composeUri, port.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Use ${DAGSTER_PORT:-3000}');
    assert.ok(fix?.edit, `no quick fix for the port among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(4).text, '      - "${DAGSTER_PORT:-3000}:3000"');
    await diagnosticsWhere(composeUri, (all) => !all.some((d) => codeOf(d) === 'compose-host-port-variable'));
  });

  test('"fix all" (source.fixAll.duckstack) applies every fix at once', async () => {
    const document = await vscode.workspace.openTextDocument(composeUri);
    await diagnosticsWhere(composeUri, (all) => all.some((d) => codeOf(d) === 'compose-image-golden'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider', composeUri, new vscode.Range(0, 0, 0, 0), 'source.fixAll.duckstack',
    );
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.duckstack');
    assert.ok(fixAll?.edit);
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    assert.match(document.getText(), /image: apache\/superset:5\.0\.0/);
    assert.match(document.getText(), /condition: service_healthy/);
    await diagnosticsWhere(composeUri, (all) => !all.some((d) => ['compose-image-golden', 'compose-depends-on-condition'].includes(codeOf(d) ?? '')));
  });

  test('the quick fix for a literal password keeps it in .env first (created, git-ignored), then edits the document', async () => {
    const secretDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-lint-secret-'));
    try {
      const uri = vscode.Uri.file(path.join(secretDir, 'docker-compose.yml'));
      fs.writeFileSync(uri.fsPath, 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: changeme\n    healthcheck:\n      test: ["CMD", "true"]\n');
      const document = await vscode.workspace.openTextDocument(uri);
      const ds = await diagnosticsWhere(uri, (all) => all.some((d) => codeOf(d) === 'compose-hardcoded-credential'));
      const secret = ds.find((d) => codeOf(d) === 'compose-hardcoded-credential');
      assert.ok(secret);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, secret.range, vscode.CodeActionKind.QuickFix.value);
      const move = actions.find((a) => a.title === 'Move POSTGRES_PASSWORD to .env');
      assert.ok(move?.command && !move.edit, `a command, not a bare edit: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(await vscode.commands.executeCommand(move.command.command, ...(move.command.arguments ?? [])), true);
      assert.equal(fs.readFileSync(path.join(secretDir, '.env'), 'utf8'), "# Moved from docker-compose.yml by DuckStack\nPOSTGRES_PASSWORD='changeme'\n");
      assert.equal(fs.readFileSync(path.join(secretDir, '.gitignore'), 'utf8'), '/.env\n');
      assert.equal(document.lineAt(4).text, '      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"');

      // A .env that sets the variable to another value is never overwritten, and the literal stays.
      fs.writeFileSync(path.join(secretDir, '.env'), 'POSTGRES_PASSWORD=other\n');
      const restore = new vscode.WorkspaceEdit();
      restore.replace(uri, new vscode.Range(0, 0, document.lineCount, 0), fs.readFileSync(uri.fsPath, 'utf8'));
      assert.ok(await vscode.workspace.applyEdit(restore));
      const again = await diagnosticsWhere(uri, (all) => all.some((d) => codeOf(d) === 'compose-hardcoded-credential'));
      const range = again.find((d) => codeOf(d) === 'compose-hardcoded-credential')?.range ?? new vscode.Range(4, 0, 4, 0);
      const retry = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value))
        .find((a) => a.title === 'Move POSTGRES_PASSWORD to .env');
      assert.ok(retry?.command);
      assert.equal(document.lineAt(4).text, '      POSTGRES_PASSWORD: changeme', 'reverted');
      assert.equal(await vscode.commands.executeCommand(retry.command.command, ...(retry.command.arguments ?? [])), false);
      assert.equal(fs.readFileSync(path.join(secretDir, '.env'), 'utf8'), 'POSTGRES_PASSWORD=other\n');
      assert.equal(document.lineAt(4).text, '      POSTGRES_PASSWORD: changeme');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(secretDir, { recursive: true, force: true });
    }
  });

  test('a finding in golden_versions.md offers "disable for this line" as an HTML comment that silences it', async () => {
    const mdDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-lint-md-'));
    try {
      const golden = vscode.Uri.file(path.join(mdDir, 'golden_versions.md'));
      fs.writeFileSync(golden.fsPath, '| Tool | Golden Version |\n| --- | --- |\n| Dagster | 1.9.1 |\n| **Superset** | TBD |\n');
      const document = await vscode.workspace.openTextDocument(golden);
      await vscode.window.showTextDocument(document);
      const ds = await diagnosticsWhere(golden, (all) => all.some((d) => codeOf(d) === 'golden-versions-unreadable-row'));
      const row = ds.find((d) => codeOf(d) === 'golden-versions-unreadable-row');
      assert.ok(row);
      assert.equal(row.range.start.line, 3);
      // The markdown extension starts on this document's first request: VS Code cancels the request
      // when providers register meanwhile (an error), or drops the answers of the providers still
      // running (DuckStack's among them) and returns the rest. Ask again until DuckStack answers.
      const title = 'Disable golden-versions-unreadable-row for this line';
      let actions: vscode.CodeAction[] = [];
      for (let attempt = 0; attempt < 50 && !actions.some((a) => a.title === title); attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', golden, row.range).then(
          (found) => found,
          (e: unknown) => {
            if (!String(e).includes('Canceled')) throw e;
            return [];
          },
        );
      }
      const disable = actions.find((a) => a.title === title);
      assert.ok(disable?.edit, `no "disable for this line" after 50 requests; the last gave: ${actions.map((a) => a.title).join(' | ')}`);
      assert.equal(disable.kind?.value, vscode.CodeActionKind.QuickFix.value);
      assert.equal(await vscode.workspace.applyEdit(disable.edit), true, 'the edit was not applied');
      assert.equal(document.lineAt(3).text, '<!-- duckstack-disable-next-line golden-versions-unreadable-row -->');
      assert.equal(document.lineAt(4).text, '| **Superset** | TBD |');
      await diagnosticsWhere(golden, (all) => !all.some((d) => codeOf(d) === 'golden-versions-unreadable-row'));
    } finally {
      fs.rmSync(mdDir, { recursive: true, force: true });
    }
  });

  test('hover on an image shows its golden version and row', async () => {
    const document = await vscode.workspace.openTextDocument(composeUri);
    const line = document.getText().split('\n').findIndex((l) => l.includes('image: apache/superset'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', composeUri, new vscode.Position(line, 14));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /Apache Superset\*\*: golden version `5\.0\.0`/);
    assert.match(text, /golden_versions\.md, line 3/);
  });

  test('the hover and compose-image-golden give one verdict (golden 3.11: python:3.11.9-slim matches, 3.12-slim differs)', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-hover-'));
    try {
      fs.writeFileSync(path.join(own, 'golden_versions.md'), '| Tool | Package / Image | Golden Version |\n|---|---|---|\n| Python | python | 3.11 |\n');
      const check = '    healthcheck:\n      test: ["CMD", "true"]\n';
      fs.writeFileSync(path.join(own, 'compose.yaml'), `services:\n  app:\n    image: python:3.11.9-slim\n${check}  old:\n    image: python:3.12-slim\n${check}`);
      const uri = vscode.Uri.file(path.join(own, 'compose.yaml'));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      const ds = await diagnosticsWhere(uri, (all) => all.some((d) => codeOf(d) === 'compose-image-golden'));
      assert.deepEqual(ds.filter((d) => codeOf(d) === 'compose-image-golden').map((d) => d.range.start.line), [6]);
      const hoverAt = async (line: number): Promise<string> => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, 14));
        return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      };
      assert.match(await hoverAt(2), /Python\*\*: golden version `3\.11` ✓ matches/);
      assert.match(await hoverAt(6), /golden version `3\.11` \(this file: `3\.12-slim`\)/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(own, { recursive: true, force: true });
    }
  });

  test('Open golden_versions.md opens the file the lint reads (core findGoldenVersionsFile), never one in a skipped folder', async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    const api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a workspace folder');
    // Decoys the workspace walk never enters; a file search that excludes only node_modules finds them.
    const decoys = ['logs', 'target'].map((d) => path.join(folder.uri.fsPath, d));
    try {
      for (const decoy of decoys) {
        fs.mkdirSync(decoy, { recursive: true });
        fs.writeFileSync(path.join(decoy, 'golden_versions.md'), GOLDEN);
      }
      const linted = (await api.lint.contextFor(vscode.Uri.file(path.join(folder.uri.fsPath, 'docker-compose.yml')))).golden.file;
      assert.ok(linted, 'the lint reads a golden_versions.md in the workspace');
      await vscode.commands.executeCommand('duckstack.openGoldenVersions');
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, linted);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      for (const decoy of decoys) fs.rmSync(decoy, { recursive: true, force: true });
    }
  });

  test('FIFOs with compose names appearing in the workspace are never read: closed files are still linted from disk', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a workspace folder');
    const sub = path.join(folder.uri.fsPath, 'fifo-fault');
    fs.mkdirSync(sub);
    const fifos = Array.from({ length: 16 }, (_, i) => path.join(sub, `compose-${i}.yaml`));
    try {
      const file = vscode.Uri.file(path.join(sub, 'docker-compose.yml'));
      fs.writeFileSync(file.fsPath, 'services:\n  web:\n    image: busybox:1\n    ports: ["8080:80"]\n    healthcheck:\n      test: ["CMD", "true"]\n');
      await diagnosticsWhere(file, (all) => all.some((d) => codeOf(d) === 'compose-host-port-variable'));
      // More FIFOs than the extension host has reader threads: reading them would stall every later read.
      for (const fifo of fifos) assert.equal(spawnSync('mkfifo', [fifo]).status, 0, `mkfifo ${fifo}`);
      fs.writeFileSync(file.fsPath, 'services:\n  web:\n    image: busybox:latest\n    healthcheck:\n      test: ["CMD", "true"]\n');
      await diagnosticsWhere(file, (all) => all.some((d) => codeOf(d) === 'compose-image-tag') && !all.some((d) => codeOf(d) === 'compose-host-port-variable'));
    } finally {
      // Should a reader be blocked on a FIFO, a writer opening and closing it releases it.
      for (const fifo of fifos) {
        try {
          fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
        } catch {
          // No reader (ENXIO) or no FIFO: nothing to release.
        }
      }
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });

  test('editing a dbt profile on disk re-lints the closed compose files of its folder: a BI mount of the folder it now names is flagged', async () => {
    // Without the engine's isContextFile the profile was linted alone and the compose file kept
    // its old diagnostics (the regex of the controller knew no profiles.yml).
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a workspace folder');
    const sub = path.join(folder.uri.fsPath, `profile-context-${process.pid}`);
    // A compose file by its name (*.compose.yaml) that the services view does not list as a project.
    const compose = vscode.Uri.file(path.join(sub, 'bi.compose.yaml'));
    // The profile sits in the folder the test creates, not in a dbt/ folder below it: VS Code's
    // watcher on Linux never watches a folder created inside a new folder before it watched that
    // one (parcel-bundler/watcher#97), so an edit there would never be reported, to anyone.
    const profile = path.join(sub, 'profiles.yml');
    const profileNaming = (duckdb: string): string => `platform:\n  target: prod\n  outputs:\n    prod:\n      type: duckdb\n      path: ${duckdb}\n`;
    try {
      fs.mkdirSync(sub);
      fs.writeFileSync(profile, profileNaming('elsewhere/prod.duckdb'));
      // The folder's name says nothing of DuckDB: only the profile tells the rule what it holds.
      fs.writeFileSync(compose.fsPath, 'services:\n  superset:\n    image: apache/superset:5.0.0\n    volumes:\n      - ./warehouse:/app/data\n');
      await diagnosticsWhere(compose, (all) => all.length > 0 && !all.some((d) => codeOf(d) === 'compose-bi-readonly-duckdb'));
      fs.writeFileSync(profile, profileNaming('warehouse/prod.duckdb'));
      const ds = await diagnosticsWhere(compose, (all) => all.some((d) => codeOf(d) === 'compose-bi-readonly-duckdb'));
      assert.equal(ds.find((d) => codeOf(d) === 'compose-bi-readonly-duckdb')?.range.start.line, 4);
    } finally {
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });

  test('a file open from outside the workspace keeps its diagnostics when the workspace is linted again', async () => {
    // Any context file changing (a .env a fix wrote, golden_versions.md) lints the workspace again:
    // that lint used to clear every diagnostic and restore only the workspace folders' files.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-lint-outside-'));
    try {
      const uri = vscode.Uri.file(path.join(outside, 'docker-compose.yml'));
      fs.writeFileSync(uri.fsPath, 'services:\n  web:\n    image: busybox:latest\n    healthcheck:\n      test: ["CMD", "true"]\n');
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      await diagnosticsWhere(uri, (all) => all.some((d) => codeOf(d) === 'compose-image-tag'));
      await vscode.commands.executeCommand('duckstack.lint.workspace');
      const after = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'duckstack');
      assert.deepEqual(after.map((d) => codeOf(d)), ['compose-image-tag']);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a folder deleted whole takes the diagnostics of its files with it', async () => {
    // The watcher reports one deletion, for the folder, and none for the files inside it.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite runs in a workspace folder');
    const sub = path.join(folder.uri.fsPath, `deleted-whole-${process.pid}`);
    fs.mkdirSync(sub);
    try {
      const file = vscode.Uri.file(path.join(sub, 'docker-compose.yml'));
      fs.writeFileSync(file.fsPath, 'services:\n  web:\n    image: busybox:1\n    ports: ["8080:80"]\n    healthcheck:\n      test: ["CMD", "true"]\n');
      await vscode.commands.executeCommand('duckstack.lint.workspace');
      await diagnosticsWhere(file, (all) => all.some((d) => codeOf(d) === 'compose-host-port-variable'));
      fs.rmSync(sub, { recursive: true, force: true });
      await diagnosticsWhere(file, (all) => all.length === 0);
    } finally {
      fs.rmSync(sub, { recursive: true, force: true });
    }
  });

  test('a malformed file is a diagnostic, not a crash', async () => {
    const broken = vscode.Uri.file(path.join(dir, 'compose.override.yml'));
    fs.writeFileSync(broken.fsPath, 'services:\n  a: [unclosed\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(broken));
    const ds = await diagnosticsWhere(broken, (all) => all.length > 0);
    assert.equal(codeOf(ds[0]), 'yaml-syntax');
  });
});
