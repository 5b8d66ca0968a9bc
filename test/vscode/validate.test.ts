import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { ValidationReport } from '../../src/core/validate';
import { planScaffold, writeScaffold } from '../../src/core/scaffold';
import { poll } from './poll';

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
});
