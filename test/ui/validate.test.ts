import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openPackagedWorkbench, repoRoot, runFromPalette, screenshot, Workbench } from './support';

suite('Validate Platform UI (code-server + Chromium)', () => {
  let wb: Workbench;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    wb = await openPackagedWorkbench(path.join(repoRoot, 'test', 'fixtures', 'workspace'));
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && wb) await screenshot(wb.page, `validation-FAILED-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });
  suiteTeardown(async () => {
    await wb?.close();
  });

  test('the report opens as a rendered table with a mark per check', async () => {
    const page = wb.page;
    await runFromPalette(page, 'DuckStack: Validate Platform');
    const choice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'check the platform as it runs now' }).first();
    await choice.waitFor({ timeout: 30_000 });
    await choice.click();
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await report.locator('h1', { hasText: 'Platform validation:' }).waitFor({ timeout: 90_000 });
    const serviceRow = report.locator('tr[data-check="service:web"]');
    await serviceRow.waitFor();
    assert.match(await serviceRow.innerText(), /web/);
    assert.ok((await report.locator('tr[data-check] td.mark').count()) >= 5);
    // In VS Code it speaks VS Code: the full restart not asked for names the command and its choice, not a CLI flag.
    assert.match(await report.locator('tr[data-check="restart"]').innerText(), /run DuckStack: Validate Platform again and choose “Full restart, then validate”/);
    assert.doesNotMatch(await report.locator('body').innerText(), /--restart|duckstack up\b/);
    await screenshot(page, 'validation-report');
  });

  test('each kind of report link works in code-server: the file at its line, the logs, the service selected in the tree', async () => {
    const page = wb.page;
    const reportTab = page.locator('.tabs-container .tab', { hasText: 'Platform Validation' }).first();
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    const serviceRow = report.locator('tr[data-check="service:web"]');
    await serviceRow.waitFor();

    // The compose file, at the line that defines web (line 4 of the fixture), not line 1 and not an error editor.
    await serviceRow.locator('a', { hasText: /docker-compose\.yml:4$/ }).click();
    await page.locator('.tabs-container .tab.active', { hasText: 'docker-compose.yml' }).waitFor({ timeout: 30_000 });
    await page.locator('#workbench\\.parts\\.statusbar', { hasText: /Ln 4, Col 1/ }).waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.monaco-editor-pane-placeholder, .editor-placeholder').count(), 0, 'an error editor opened instead of the file');

    // logs: a log view of web opens and stays open (web may not run: it says so and waits).
    await reportTab.click();
    await serviceRow.locator('a', { hasText: /^logs$/ }).click();
    await page.locator('[aria-label*="Logs: web"]').first().waitFor({ timeout: 30_000 });

    // show in Platform Services: the tree is shown with web selected.
    await reportTab.click();
    await serviceRow.locator('a', { hasText: 'show in Platform Services' }).click();
    const sidebar = page.locator('#workbench\\.parts\\.sidebar');
    await sidebar.locator('.monaco-list-row.selected', { hasText: 'web' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'validation-report-links');
  });
});
