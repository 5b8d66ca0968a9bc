// A fork without .env, as a new user has it, in a real VS Code (code-server) driven by Chromium:
// Start Platform fails on a missing required variable, and the notification offers Diagnose and
// Create .env; clicking Create .env writes it (the secret generated). Then Diagnose from the
// Platform Services tree's context menu renders the report. Nothing is started: compose refuses
// before it creates anything.
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

  test('Start Platform fails on the missing variable; the notification offers Diagnose and Create .env, which creates it', async () => {
    const page = wb.page;
    await page.locator('.activitybar a[aria-label^="DuckStack"]').click();
    await page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'web' }).first().waitFor({ timeout: 30_000 });
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
    const row = page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'web' }).first();
    await row.click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Diagnose Service' }).first();
    await item.waitFor({ timeout: 10_000 });
    await item.click();
    const report = page.frameLocator('iframe.webview.ready').frameLocator('iframe');
    await report.locator('h2[data-service="web"]').waitFor({ timeout: 60_000 });
    assert.match(await report.locator('h2[data-service="web"]').innerText(), /^web — not created$/);
    assert.equal(await report.locator('tr[data-area]').count(), 9);
    assert.match(await report.locator('tr[data-area="state"]').innerText(), /It has no container/);
    await screenshot(page, 'diagnose-from-tree');
  });
});
