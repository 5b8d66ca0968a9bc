import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { ValidationReport } from '../../src/core/validate';
import { planScaffold, writeScaffold } from '../../src/core/scaffold';
import { reportHtml } from '../../src/validate/report';
import { poll } from './poll';

/** The command links of a report page: command id and its arguments, as VS Code would run them. */
function commandLinks(html: string): Array<{ label: string; command: string; args: unknown[] }> {
  return [...html.matchAll(/<a href="command:([\w.]+)\?([^"]*)">([^<]*)<\/a>/g)].map((m) => ({ command: m[1], args: JSON.parse(decodeURIComponent(m[2])) as unknown[], label: m[3] }));
}

suite('Validate Platform (extension host)', () => {
  let api: DuckStackApi;
  let dir: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-validate-'));
    dir = path.join(parent, 'fork');
    const written = await writeScaffold(planScaffold({ dir, projectName: 'validate-fork' }));
    assert.ok(written.ok, written.ok ? '' : written.message);
    fs.copyFileSync(path.join(dir, '.env.example'), path.join(dir, '.env'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('runs the checklist on a fresh fork: static checks pass, the stack not started fails, the report opens', async () => {
    const report = await vscode.commands.executeCommand<ValidationReport>('duckstack.validate', { dir, restart: false });
    assert.ok(report, 'the command returned no report');
    const status = new Map(report.checks.map((c) => [c.id, c.status]));
    for (const id of ['compose-config', 'config-hardcoded', 'env-documented', 'golden-versions', 'superset-duckdb', 'readme']) {
      assert.equal(status.get(id), 'pass', `${id}: ${report.checks.find((c) => c.id === id)?.reason}`);
    }
    assert.equal(status.get('restart'), 'not-checked');
    assert.equal(status.get('service:dagster'), 'fail');
    assert.equal(report.ok, false);
    assert.equal(api.validation.shown, report);
    // Tabs update a moment after the panel.
    const tab = await poll(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Platform Validation: failed'));
    assert.ok(tab, `the report panel did not open; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });

  test('every file link of the report opens its file at the real line, through the workspace-aware command', async () => {
    const report = await vscode.commands.executeCommand<ValidationReport>('duckstack.validate', { dir, restart: false });
    const html = reportHtml(report);
    const links = commandLinks(html);
    assert.ok(links.length > 0);
    assert.deepEqual([...new Set(links.map((l) => l.command))].sort(), ['duckstack.openFileAt', 'duckstack.service.logs', 'duckstack.service.reveal']);
    assert.doesNotMatch(html, /command:vscode\.open\b|file:\/\//, 'no hand-made file URI in the page');
    const dagster = report.checks.find((c) => c.id === 'service:dagster');
    assert.ok(dagster?.file && dagster.line !== undefined, 'a service row points at its definition');
    const composeLines = fs.readFileSync(dagster.file, 'utf8').split('\n');
    assert.match(composeLines[dagster.line], /^\s+dagster:\s*$/);
    const fileLinks = links.filter((l) => l.command === 'duckstack.openFileAt');
    for (const link of fileLinks) {
      const [target] = link.args as Array<{ file: string; line?: number }>;
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(link.command, ...link.args);
      assert.equal(editor.document.uri.fsPath, target.file, link.label);
      assert.equal(editor.selection.active.line, target.line ?? 0, link.label);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.file);
    }
    const dagsterLink = fileLinks.find((l) => (l.args[0] as { line?: number }).line === dagster.line);
    assert.ok(dagsterLink, `no link at ${dagster.file}:${dagster.line + 1}`);
    assert.equal(dagsterLink.label, `${vscode.workspace.asRelativePath(dagster.file)}:${dagster.line + 1}`);
  });
});
