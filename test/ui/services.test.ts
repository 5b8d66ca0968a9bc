import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { fixtureProject } from '../harness/fixture';
import { openPackagedWorkbench, repoRoot, runFromPalette, screenshot, Workbench } from './support';

suite('Platform Services UI (real Docker engine)', () => {
  let wb: Workbench;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    wb = await openPackagedWorkbench(path.join(repoRoot, 'test', 'fixtures', 'workspace'));
  });
  suiteTeardown(async () => {
    if (!wb) return;
    await runFromPalette(wb.page, 'DuckStack: Stop Platform');
    await wb.page.locator('.monaco-list-row[aria-label*="web"]', { hasText: 'not created' }).first().waitFor({ timeout: 60_000 });
    await wb.close();
  });

  test('the tree shows the service live: not created, then healthy with its port, and the status bar counts it', async () => {
    await wb.page.locator('.activitybar a[aria-label^="DuckStack"]').click();
    const sidebar = wb.page.locator('#workbench\\.parts\\.sidebar');
    const row = sidebar.locator('.monaco-list-row', { hasText: 'web' }).first();
    await row.waitFor({ timeout: 30_000 });
    await runFromPalette(wb.page, 'DuckStack: Start Platform');
    await sidebar.locator('.monaco-list-row', { hasText: `healthy · ${fixtureProject().port}→8080` }).first().waitFor({ timeout: 90_000 });
    const statusItem = wb.page.locator('#workbench\\.parts\\.statusbar', { hasText: 'Platform: 1/1 healthy' });
    await statusItem.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /web/);
    await screenshot(wb.page, 'services-tree-healthy');
  });
});
