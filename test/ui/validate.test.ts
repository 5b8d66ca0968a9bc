import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openPackagedWorkbench, repoRoot, runFromPalette, screenshot, Workbench } from './support';

suite('Validate Platform UI (code-server + Chromium)', () => {
  let wb: Workbench;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    wb = await openPackagedWorkbench(path.join(repoRoot, 'test', 'fixtures', 'workspace'));
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
    await screenshot(page, 'validation-report');
  });
});
