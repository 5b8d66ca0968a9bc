import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { openPackagedWorkbench, repoRoot, runFromPalette, screenshot, Workbench } from './support';

suite('Workbench UI (code-server + Chromium, packaged .vsix)', () => {
  let wb: Workbench;

  suiteSetup(async () => {
    wb = await openPackagedWorkbench(path.join(repoRoot, 'test', 'fixtures', 'workspace'));
  });
  suiteTeardown(async () => {
    await wb?.close();
  });

  test('the DuckStack icon is in the activity bar and opens its two views', async () => {
    const icon = wb.page.locator('.activitybar a[aria-label^="DuckStack"]');
    await icon.waitFor({ state: 'visible', timeout: 30_000 });
    await icon.click();
    const sidebar = wb.page.locator('#workbench\\.parts\\.sidebar');
    await sidebar.locator('.pane-header', { hasText: 'Platform Services' }).waitFor({ timeout: 30_000 });
    await sidebar.locator('.pane-header', { hasText: 'DuckDB' }).waitFor();
    assert.match(await sidebar.locator('.title-label').innerText(), /DUCKSTACK/i);
    await screenshot(wb.page, 'activitybar-duckstack-views');
  });

  test('"DuckStack: Show Output" runs from the command palette', async () => {
    await runFromPalette(wb.page, 'DuckStack: Show Output');
    const panel = wb.page.locator('#workbench\\.parts\\.panel');
    await panel.locator('.view-lines', { hasText: /DuckStack\s.*activated/ }).first().waitFor({ timeout: 30_000 });
    await screenshot(wb.page, 'palette-show-output');
  });
});
