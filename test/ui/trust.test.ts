import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixtureProject } from '../harness/fixture';
import { openPackagedWorkbench, repoRoot, runFromPalette, screenshot, Workbench } from './support';

suite('Restricted Mode UI (untrusted workspace)', () => {
  let wb: Workbench;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    wb = await openPackagedWorkbench(path.join(repoRoot, 'test', 'fixtures', 'workspace'), { trusted: false });
  });
  suiteTeardown(async () => {
    await wb?.close();
  });

  test('the Platform status bar item is shown with the Explorer in front, and says that actions wait for trust', async () => {
    const item = wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Platform:' }).first();
    await item.waitFor({ timeout: 60_000 });
    assert.equal(await wb.page.locator('.activitybar .action-item.checked a[aria-label^="DuckStack"]').count(), 0, 'the DuckStack container is shown');
    await item.hover();
    const tooltip = wb.page.locator('.workbench-hover, .monaco-hover, .context-view .rendered-markdown').filter({ hasText: fixtureProject().name }).first();
    await tooltip.waitFor({ timeout: 15_000 });
    const text = await tooltip.innerText();
    assert.match(text, /^Restricted Mode: DuckStack starts, stops and restarts nothing until you trust this workspace \(Manage Workspace Trust\)\.$/m);
    assert.doesNotMatch(text, /Start it with|Diagnose Service/);
    await screenshot(wb.page, 'untrusted-workspace-status-bar');
    await wb.page.mouse.move(700, 300);
  });

  test('compose actions refuse to run and say why; no container is created', async () => {
    await runFromPalette(wb.page, 'DuckStack: Start Platform');
    const toast = wb.page.locator('.notification-list-item-message', { hasText: 'disabled in an untrusted workspace' }).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.match(await toast.innerText(), /Trust the workspace to use them/);
    await screenshot(wb.page, 'untrusted-workspace-refuses-compose');
    const containers = execFileSync('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${fixtureProject().name}`]).toString().trim();
    assert.equal(containers, '', 'a container was created in an untrusted workspace');
  });

  test('Add MCP Server to Workspace refuses to write a server command into an untrusted workspace', async () => {
    const mcpJson = path.join(repoRoot, 'test', 'fixtures', 'workspace', '.vscode', 'mcp.json');
    await runFromPalette(wb.page, 'DuckStack: Add MCP Server to Workspace');
    const toast = wb.page.locator('.notification-list-item-message', { hasText: 'disabled in an untrusted workspace' }).first();
    await toast.waitFor({ timeout: 30_000 });
    assert.equal(fs.existsSync(mcpJson), false, '.vscode/mcp.json was written in an untrusted workspace');
  });
});
