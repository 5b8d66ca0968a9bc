// A fork without .env, as a new user has it, in a real VS Code (code-server) driven by Chromium:
// Show Logs and Start Platform fail on a missing required variable, in plain words, and the
// notification offers Diagnose and Create .env; clicking Create .env writes it (the secret
// generated). Then Diagnose from the Platform Services tree's context menu, and from the palette,
// renders the report. Nothing is started: compose refuses before it creates anything.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { openPackagedWorkbench, runFromPalette, screenshot, Workbench } from './support';

/** Waits until probe() is true, polling the file system (the workbench writes in its own process). */
async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The DuckStack view with the web row (the activity bar icon toggles it: clicked only when it is not shown). */
async function showServicesView(page: Page): Promise<void> {
  const row = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'web' }).first();
  if (!(await row.isVisible())) await page.locator('.activitybar a[aria-label^="DuckStack"]').click();
  await row.waitFor({ timeout: 30_000 });
}

function toast(page: Page, text: string | RegExp) {
  return page.locator('.notifications-toasts .notification-list-item', { hasText: text }).first();
}

suite('A fork without .env: Start fails, Diagnose and Create .env (code-server + Chromium)', () => {
  let wb: Workbench;
  let folder: string;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-ui-noenv-'));
    fs.writeFileSync(path.join(folder, '.env.example'), '# Secret: the app signs sessions with it\nAPP_SECRET=replace-with-a-long-random-string\n');
    fs.writeFileSync(
      path.join(folder, 'compose.yaml'),
      [
        `name: dsuinoenv${process.pid}`,
        'services:',
        '  web:',
        '    image: local/busybox:1',
        '    command: ["sleep", "3600"]',
        '    environment:',
        '      APP_SECRET: "${APP_SECRET:?set APP_SECRET in .env}"',
        '    healthcheck: { disable: true }',
        '',
      ].join('\n'),
    );
    wb = await openPackagedWorkbench(folder);
  });
  suiteTeardown(async () => {
    await wb?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  test('Show Logs of the whole project fails in plain words: the notification names the variable and offers Diagnose and Create .env', async () => {
    const page = wb.page;
    await showServicesView(page);
    await runFromPalette(page, 'DuckStack: Show Logs');
    const failure = toast(page, 'Show logs failed');
    await failure.waitFor({ timeout: 60_000 });
    assert.equal(
      (await failure.locator('.notification-list-item-message').innerText()).trim(),
      'DuckStack: Show logs failed. The compose file requires APP_SECRET, which is not set (there is no .env file). Create .env from .env.example, then fill in the values it asks for.',
    );
    const buttons = await failure.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()), ['Diagnose', 'Create .env from .env.example', 'Show Compose Output']);
    // Compose's own words stay one click away: in the log terminal, which that button shows.
    await failure.locator('.monaco-button', { hasText: 'Show Compose Output' }).click();
    await page.locator('#workbench\\.parts\\.panel', { hasText: `Logs: dsuinoenv${process.pid}` }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'show-logs-failed-no-env');
    assert.equal(fs.existsSync(path.join(folder, '.env')), false);
  });

  test('Start Platform fails on the missing variable; the notification offers Diagnose and Create .env, which creates it', async () => {
    const page = wb.page;
    await showServicesView(page);
    await runFromPalette(page, 'DuckStack: Start Platform');
    const failure = toast(page, 'Start platform failed');
    await failure.waitFor({ timeout: 60_000 });
    assert.match(await failure.locator('.notification-list-item-message').innerText(), /APP_SECRET/);
    const buttons = await failure.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts();
    assert.deepEqual(buttons.map((b) => b.trim()), ['Diagnose', 'Create .env from .env.example', 'Show Compose Output']);
    await screenshot(page, 'start-failed-no-env');

    await failure.locator('.monaco-button', { hasText: 'Create .env from .env.example' }).click();
    const envFile = path.join(folder, '.env');
    await until('.env to be created', () => fs.existsSync(envFile));
    assert.match(fs.readFileSync(envFile, 'utf8'), /^# Secret: the app signs sessions with it\nAPP_SECRET=[A-Za-z0-9_-]{32}\n$/);
    assert.equal(fs.statSync(envFile).mode & 0o777, 0o600);
    const created = toast(page, 'Created .env from .env.example');
    await created.waitFor({ timeout: 30_000 });
    assert.match(await created.innerText(), /generated APP_SECRET/);
    assert.doesNotMatch(await created.innerText(), new RegExp(fs.readFileSync(envFile, 'utf8').split('=')[1].trim()));
  });

  test('Diagnose Service from the tree’s context menu renders the report', async () => {
    const page = wb.page;
    // The .env just created reloads the project, and with it the whole Platform Services tree. While
    // VS Code refreshes a tree, its extension host holds no row (until the workbench asks for the rows
    // again): a context-menu command run in that moment gets no row, and Diagnose asks which service
    // instead. That is VS Code's behaviour; the test waits for what the .env changed to be shown (the
    // compose-env-missing warning gone, the lint having run on it), and asks again if the picker came.
    await page.locator('#status\\.problems').filter({ hasText: /^\D*0\D+0\D*$/ }).waitFor({ timeout: 30_000 });
    const row = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'web' }).first();
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    const heading = report.getByRole('heading', { level: 2 });
    for (let attempt = 1; ; attempt++) {
      await row.click({ button: 'right' });
      const item = page.locator('.monaco-menu .action-item', { hasText: 'Diagnose Service' }).first();
      await item.waitFor({ timeout: 10_000 });
      await item.click();
      // In one CI run the click left the menu open with the item highlighted and nothing run (the
      // menu was still settling after it opened): the item has the focus then, and Enter runs it.
      const menu = page.locator('.context-view .monaco-menu');
      if (!(await menu.waitFor({ state: 'hidden', timeout: 2_000 }).then(() => true, () => false))) {
        await item.hover();
        await page.keyboard.press('Enter');
        await menu.waitFor({ state: 'hidden', timeout: 5_000 });
      }
      const picker = page.locator('.quick-input-widget input[placeholder="Diagnose which service?"]');
      const settle = <T>(waiting: Promise<void>, what: T): Promise<T | 'nothing'> => waiting.then(() => what, () => 'nothing' as const);
      const shown = await Promise.race([settle(heading.waitFor({ timeout: 60_000 }), 'report' as const), settle(picker.waitFor({ timeout: 60_000 }), 'picker' as const)]);
      if (shown === 'nothing') {
        await screenshot(page, 'diagnose-from-tree-failed');
        assert.fail('Diagnose Service from the context menu showed neither the report nor a picker within 60 s (screenshot diagnose-from-tree-failed)');
      }
      if (shown === 'report') break;
      await page.keyboard.press('Escape');
      assert.ok(attempt < 3, 'Diagnose Service from the context menu asked which service three times: the row never reached the command');
    }
    // What the user reads: the service and its state, then one row per check of the guide, each with its mark.
    assert.equal((await heading.innerText()).trim(), 'web — not created');
    const areas = (await report.locator('tr td.area').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(areas, ['State', 'Health', 'Logs', 'Dependencies', 'Ports', 'Environment', 'Image', 'DuckDB', 'Versions']);
    const rowOf = (area: string) => report.locator('tr', { has: report.locator('td.area', { hasText: new RegExp(`^${area}$`) }) });
    assert.match(await rowOf('State').innerText(), /^✗\s+State\s+It has no container/);
    assert.match(await rowOf('State').innerText(), /Start it \(`docker compose up -d web`\)/);
    // The .env the first test created gives APP_SECRET a value: the environment check finds nothing.
    assert.match(await rowOf('Environment').innerText(), /^✓\s+Environment\s+The 1 variable it uses without a default is set\./);
    assert.match(await rowOf('Image').innerText(), /^✓\s+Image\s+local\/busybox:1 is present locally\./);
    assert.match(await rowOf('Versions').innerText(), /^–\s+Versions\s+There is no golden_versions\.md/);
    await screenshot(page, 'diagnose-from-tree');
  });

  test('Diagnose Service from the palette asks which service, every one not running and healthy first, and renders the report', async () => {
    const page = wb.page;
    // Keys go to the workbench, not to the report's frame or the log terminal that had focus.
    await page.locator('.tabs-container .tab.active').click();
    await runFromPalette(page, 'DuckStack: Diagnose Service');
    const picker = page.locator('.quick-input-widget input[placeholder="Diagnose which service?"]');
    await picker.waitFor({ timeout: 30_000 });
    const items = (await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(items, ['Every service that is not running and healthy', 'web']);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Every service that is not running and healthy' }).click();
    // Diagnose reuses its panel: the tab now names the project (the tree's run named the service).
    await page.locator('.tabs-container .tab.active', { hasText: `Diagnosis: dsuinoenv${process.pid}` }).waitFor({ timeout: 60_000 });
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await report.getByRole('heading', { level: 1, name: 'Diagnosis: problems in 1 service' }).waitFor({ timeout: 30_000 });
    assert.deepEqual((await report.getByRole('heading', { level: 2 }).allInnerTexts()).map((t) => t.trim()), ['web — not created']);
    await screenshot(page, 'diagnose-from-palette');
  });
});
