import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDatabase, FIXTURE_SQL, tempDir } from '../unit/duckdb/support';
import { openPackagedWorkbench, screenshot, Workbench } from './support';

suite('DuckDB explorer UI (code-server + Chromium, packaged .vsix)', () => {
  let wb: Workbench;
  let folder: string;

  suiteSetup(async () => {
    // A workspace holding only a DuckDB file, found by the *.duckdb walk.
    folder = tempDir('duckstack-ui-duckdb-');
    await createDatabase(path.join(folder, 'warehouse', 'dev.duckdb'), FIXTURE_SQL);
    wb = await openPackagedWorkbench(folder);
  });
  suiteTeardown(async () => {
    await wb?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  test('database → schema → table expands to its columns, and Preview Table shows rows in the themed grid', async () => {
    const page = wb.page;
    await page.locator('.activitybar a[aria-label^="DuckStack"]').click();
    const view = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'DuckDB' }) });
    const row = (label: string) => view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();

    // A row's tooltip can cover the row below it: dismiss it before each click.
    const click = async (label: string): Promise<void> => {
      await page.mouse.move(700, 850);
      await page.keyboard.press('Escape');
      await page.locator('.context-view .rendered-markdown').waitFor({ state: 'hidden', timeout: 5_000 });
      await row(label).click();
    };

    const database = row('dev\\.duckdb');
    await database.waitFor({ timeout: 60_000 });
    assert.match(await database.innerText(), /dev · \d+(\.\d)? (KiB|MiB)/);
    await click('dev\\.duckdb');
    await click('raw');
    await row('orders').waitFor({ timeout: 30_000 });
    assert.match(await row('orders').innerText(), /~250 rows/);
    assert.match(await row('staging').innerText(), /1 view/);
    await click('orders');
    const amount = row('amount');
    await amount.waitFor({ timeout: 30_000 });
    assert.match(await amount.innerText(), /DECIMAL\(18,2\)/);
    assert.match(await row('order_id').innerText(), /INTEGER NOT NULL/);
    await screenshot(page, 'duckdb-tree');

    // The row's inline action, shown on hover.
    await row('orders').hover();
    await row('orders').locator('.actions .action-label[aria-label^="Preview Table"]').click();
    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await grid.locator('th', { hasText: 'amount' }).waitFor({ timeout: 60_000 });
    assert.match(await grid.locator('th', { hasText: 'amount' }).innerText(), /DECIMAL\(18,2\)/);
    assert.equal(await grid.locator('tbody tr').count(), 100);
    assert.deepEqual(await grid.locator('tbody tr').first().locator('td').allInnerTexts(), ['1', '1', '2', '1.50', '2024-01-01 01:00:00']);
    assert.match(await grid.locator('header').innerText(), /first 100 rows \(limit 100; more exist\) · read-only/);
    await screenshot(page, 'duckdb-preview');
  });
});
