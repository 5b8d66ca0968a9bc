import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createDatabase, FIXTURE_SQL, holdLock, tempDir } from '../unit/duckdb/support';
import { openPackagedWorkbench, screenshot, Workbench } from './support';

suite('DuckDB explorer UI (code-server + Chromium, packaged .vsix)', () => {
  let wb: Workbench;
  let folder: string;

  suiteSetup(async () => {
    // A workspace holding only a DuckDB file, found by the *.duckdb walk.
    folder = tempDir('duckstack-ui-duckdb-');
    await createDatabase(path.join(folder, 'warehouse', 'dev.duckdb'), FIXTURE_SQL);
    fs.writeFileSync(path.join(folder, 'endless.sql'), 'SELECT count(*) FROM range(60000000000);\n');
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
    assert.match(await grid.locator('header').innerText(), /first 100 rows \(limit 100; 150 more rows not shown\) · read-only · snapshot \((copy|clone) of \d+ KiB/);
    await screenshot(page, 'duckdb-preview');
  });

  test('Cancel in the progress notification stops a long query, and the preview says it was cancelled', async () => {
    const page = wb.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    await page.keyboard.type('endless.sql');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'endless.sql' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'endless.sql' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('F1');
    await page.keyboard.type('DuckStack: Run SQL Read-Only');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Run SQL Read-Only' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const toast = page.locator('.notification-toast', { has: page.locator('.notification-list-item-message', { hasText: 'Running endless.sql read-only' }) });
    await toast.waitFor({ timeout: 30_000 });
    await screenshot(page, 'duckdb-query-running');
    const clicked = Date.now();
    await toast.locator('.monaco-button', { hasText: 'Cancel' }).click();
    const grid = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    const problem = grid.locator('.problem.cancelled');
    await problem.waitFor({ timeout: 10_000 });
    const took = Date.now() - clicked;
    assert.match(await problem.innerText(), /The read of dev\.duckdb was cancelled\./);
    assert.ok(took < 10_000, `the query stopped ${took} ms after Cancel`);
    await toast.waitFor({ state: 'detached', timeout: 10_000 });
    await screenshot(page, 'duckdb-query-cancelled');
  });

  test('a database held by a writer shows "in use by" its command and PID, and still expands its snapshot catalog', async () => {
    const page = wb.page;
    const holder = await holdLock(path.join(folder, 'warehouse', 'dev.duckdb'), 'CREATE TABLE raw.loaded_while_held AS SELECT 1 AS id');
    try {
      await page.keyboard.press('Escape');
      const view = page.locator('#workbench\\.parts\\.sidebar .pane', { has: page.locator('.pane-header', { hasText: 'DuckDB' }) });
      await view.locator('.pane-header').hover();
      await view.locator('.pane-header .action-label[aria-label^="Refresh DuckDB Catalog"]').click();
      const row = (label: RegExp) => view.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
      const database = row(/^dev\.duckdb$/);
      await view.locator('.monaco-list-row', { hasText: `in use by node hold-lock.js (PID ${holder.pid})` }).first().waitFor({ timeout: 30_000 });
      assert.match(await database.innerText(), new RegExp(`dev · \\d+(\\.\\d)? (KiB|MiB) · in use by node hold-lock\\.js \\(PID ${holder.pid}\\)`));
      const held = row(new RegExp(`^In use by node hold-lock\\.js \\(PID ${holder.pid}\\)$`));
      await held.waitFor({ timeout: 30_000 });
      assert.match(await held.innerText(), /writing; the catalog below is a snapshot/);
      await row(/^loaded_while_held$/).waitFor({ timeout: 30_000 });
      assert.match(await row(/^raw$/).innerText(), /3 tables/);
      await screenshot(page, 'duckdb-in-use');
    } finally {
      await holder.kill();
    }
  });
});
