// The first hour of a new user, in the packaged extension in code-server: the walkthrough (its
// icon, a code block that fits, steps ticked by what the user did), Create Fork into a folder
// that does not exist yet, the host-port quick fix that reuses the fork's own variable, a service
// never created (menus, Show Logs, an action that cannot run says why), and Start Platform
// against the real Docker engine.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from '../harness/processes';
import { openPackagedWorkbench, runFromPalette, screenshot, Workbench } from './support';

const WALKTHROUGH_TITLE = 'Get started with DuckStack';

async function openWalkthrough(page: Page): Promise<void> {
  // Its editor tab when it is open (it follows progress live), else through the palette.
  const tab = page.locator('.tabs-container .tab', { hasText: 'Walkthrough: DuckStack' });
  if ((await tab.count()) > 0) {
    await tab.first().click();
    await page.locator('button.getting-started-step[data-step-id*="#duckstack.gettingStarted#"]').first().waitFor({ timeout: 15_000 });
    return;
  }
  await runFromPalette(page, 'Welcome: Open Walkthrough...');
  const input = page.locator('.quick-input-widget input');
  await input.fill('DuckStack');
  // Clicked, not Enter: until the filter applies, the first row is another walkthrough.
  await page.locator('.quick-input-list .monaco-list-row', { hasText: WALKTHROUGH_TITLE }).first().click();
  await page.locator('button.getting-started-step[data-step-id*="#duckstack.gettingStarted#"]').first().waitFor({ timeout: 15_000 });
}

/** Waits until the walkthrough shows the step ticked (VS Code keeps the tick across reloads). */
async function stepTicked(page: Page, stepId: string): Promise<void> {
  const step = page.locator(`button.getting-started-step[data-step-id$="#${stepId}"]`);
  await step.waitFor({ timeout: 15_000 });
  // Expressions run in the browser are strings: this project compiles without the DOM's types.
  await page.waitForFunction(`document.querySelector('button.getting-started-step[data-step-id$="#${stepId}"]')?.getAttribute('aria-checked') === 'true'`, undefined, { timeout: 30_000 });
}

async function stepUnticked(page: Page, stepId: string): Promise<boolean> {
  return (await page.locator(`button.getting-started-step[data-step-id$="#${stepId}"]`).getAttribute('aria-checked')) !== 'true';
}

/**
 * Opens the walkthrough on one step and checks it: not ticked before the user did what it asks,
 * or ticked after (then a screenshot of the ticked step).
 */
async function walkthroughStep(page: Page, stepId: string, expected: 'unticked' | 'ticked'): Promise<void> {
  await openWalkthrough(page);
  if (expected === 'unticked') {
    assert.ok(await stepUnticked(page, stepId), `"${stepId}" is not ticked before the user did it`);
    return;
  }
  await stepTicked(page, stepId);
  await screenshot(page, `first-hour-walkthrough-${stepId}-ticked`);
}

suite('First hour UI (code-server + Chromium, packaged .vsix)', () => {
  let wb: Workbench;
  let root: string;
  let workspace: string;
  let port: number;
  let project: string;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-first-hour-'));
    workspace = path.join(root, 'platform');
    fs.mkdirSync(workspace);
    port = await freePort();
    project = `duckstack-first-hour-${process.pid}`;
    // A fork whose dbt docs port was hardcoded again; its .env.example names the variable for it.
    fs.writeFileSync(path.join(workspace, '.env.example'), `# dbt docs\nDBT_DOCS_PORT=${port}\n`);
    fs.writeFileSync(
      path.join(workspace, 'docker-compose.yml'),
      [
        `name: ${project}`,
        'services:',
        '  dbt:',
        '    image: local/busybox:1',
        '    command: ["sh", "-c", "mkdir -p /www && echo docs > /www/index.html && exec httpd -f -p 8080 -h /www"]',
        '    init: true',
        '    ports:',
        `      - "${port}:8080"`,
        '',
      ].join('\n'),
    );
    // The DOM renderer, so that a terminal's text can be read.
    wb = await openPackagedWorkbench(workspace, { env: { DOCKER_HOST: process.env.DOCKER_HOST }, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  });
  teardown(async function () {
    // A failed step leaves a picture of the workbench behind for whoever reads the run.
    if (this.currentTest?.state === 'failed' && wb) await screenshot(wb.page, `first-hour-FAILED-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });
  suiteTeardown(async () => {
    await wb?.close();
    if (workspace && process.env.DOCKER_HOST) {
      execFileSync('docker', ['compose', '-p', project, 'down', '-t', '1'], { cwd: workspace, stdio: 'ignore' });
    }
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('the walkthrough shows the extension icon, and the icon is in the Extensions view', async () => {
    const { page } = wb;
    await runFromPalette(page, 'Help: Welcome');
    // The page may open on the last walkthrough shown: its back link leads to the list.
    const back = page.locator('.gettingStartedContainer .prev-button', { hasText: 'Welcome' });
    await page.locator('.gettingStartedContainer').first().waitFor({ timeout: 30_000 });
    if (await back.isVisible()) await back.click();
    const icon = page.locator(`.getting-started-category[x-dispatch$="#duckstack.gettingStarted"] img.category-icon`);
    await icon.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      `(() => { const img = document.querySelector('.getting-started-category[x-dispatch$="#duckstack.gettingStarted"] img.category-icon');
        return img !== null && img.complete && img.naturalWidth === 128 && img.naturalHeight === 128; })()`,
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'first-hour-welcome-walkthrough-icon');

    await page.locator('.activitybar a[aria-label^="Extensions"]').click();
    const extension = page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'DuckStack' }).first();
    await extension.waitFor({ timeout: 30_000 });
    await page.waitForFunction(
      `[...document.querySelectorAll('.extensions-viewlet .monaco-list-row img.icon')].some((img) => img.complete && img.naturalWidth === 128 && /icon\\.png/.test(img.src))`,
      undefined,
      { timeout: 15_000 },
    );
    await screenshot(page, 'first-hour-extensions-view-icon');
  });

  test('the walkthrough\'s codeActionsOnSave block is shown whole, not cut off', async () => {
    const { page } = wb;
    await openWalkthrough(page);
    await page.locator('button.getting-started-step[data-step-id$="#fixWarnings"]').click();
    // The step's markdown is rendered in a webview: find the frame holding the code block.
    let measured: { scroll: number; client: number; text: string } | undefined;
    for (let i = 0; i < 60 && measured === undefined; i++) {
      for (const frame of page.frames()) {
        const block = await frame.evaluate<{ scroll: number; client: number; text: string } | undefined>(`(() => {
          const pre = [...document.querySelectorAll('pre')].find((p) => p.textContent?.includes('source.fixAll.duckstack'));
          return pre ? { scroll: pre.scrollWidth, client: pre.clientWidth, text: pre.textContent ?? '' } : undefined;
        })()`).catch(() => undefined);
        if (block) measured = block;
      }
      if (measured === undefined) await page.waitForTimeout(500);
    }
    assert.ok(measured, 'the fix-warnings step shows the codeActionsOnSave block');
    assert.match(measured.text, /"source\.fixAll\.duckstack": "explicit"/);
    assert.ok(measured.scroll <= measured.client, `the block is ${measured.scroll}px wide in a ${measured.client}px box`);
    await screenshot(page, 'first-hour-walkthrough-code-block');
  });

  test('opening the DuckStack view ticks "Open the DuckStack view"', async () => {
    const { page } = wb;
    await walkthroughStep(page, 'openView', 'unticked');
    await page.locator('.activitybar a[aria-label^="DuckStack"]').click();
    await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: 'Platform Services' }).waitFor({ timeout: 30_000 });
    await walkthroughStep(page, 'openView', 'ticked');
  });

  test('Create Fork into a folder that does not exist creates it, and ticks "Create a platform fork"', async () => {
    const { page } = wb;
    await walkthroughStep(page, 'createFork', 'unticked');
    const target = path.join(root, 'forks', 'new-fork');
    await runFromPalette(page, 'DuckStack: Create Platform Fork');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'an empty or new folder' }).waitFor({ timeout: 15_000 });
    await input.fill(target);
    const message = page.locator('.quick-input-widget .quick-input-message', { hasText: 'it will be created' });
    await message.waitFor({ timeout: 10_000 });
    assert.doesNotMatch(await page.locator('.quick-input-widget').innerText(), /Please enter a path that exists/);
    await screenshot(page, 'first-hour-create-fork-new-folder');
    await page.keyboard.press('Enter');
    // Project name (the folder's name), the optional services, then the ports: the defaults.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '(2/4)' }).waitFor({ timeout: 15_000 });
    assert.equal(await input.inputValue(), 'new-fork');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '(3/4)' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget .quick-input-title', { hasText: '(4/4)' }).waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Use these ports' }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    await dialog.locator('.monaco-button', { hasText: /^Create Fork$/ }).click();
    await page.locator('.notification-list-item-message', { hasText: 'created the platform fork "new-fork"' }).waitFor({ timeout: 60_000 });
    assert.ok(fs.statSync(path.join(target, 'docker-compose.yml')).isFile(), 'the fork was written into the new folder');
    assert.ok(fs.statSync(path.join(target, '.env')).isFile(), '.env was created from .env.example');
    await walkthroughStep(page, 'createFork', 'ticked');
  });

  test('the host-port quick fix uses DBT_DOCS_PORT from .env.example, and ticks "Fix warnings as you edit"', async () => {
    const { page } = wb;
    await walkthroughStep(page, 'fixWarnings', 'unticked');
    await runFromPalette(page, 'Go to File...');
    await page.locator('.quick-input-widget input').fill('docker-compose.yml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'docker-compose.yml' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor({ timeout: 15_000 });
    // The warning's squiggle on the port line, then the quick fix menu on it.
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+G');
    await page.keyboard.type('8');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: `Use \${DBT_DOCS_PORT:-${port}}` });
    await fix.waitFor({ timeout: 15_000 });
    await screenshot(page, 'first-hour-host-port-quick-fix');
    // The first entry, focused: Enter applies it (the menu's overlay takes pointer clicks).
    assert.match(await page.locator('.action-widget .monaco-list-row.focused').innerText(), /Use \$\{DBT_DOCS_PORT/);
    await page.keyboard.press('Enter');
    await page.locator('.view-lines', { hasText: `"\${DBT_DOCS_PORT:-${port}}:8080"` }).waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+S');
    const saved = `"\${DBT_DOCS_PORT:-${port}}:8080"`;
    for (let i = 0; i < 60 && !fs.readFileSync(path.join(workspace, 'docker-compose.yml'), 'utf8').includes(saved); i++) await page.waitForTimeout(250);
    assert.ok(fs.readFileSync(path.join(workspace, 'docker-compose.yml'), 'utf8').includes(saved), 'the fixed line is saved');
    await walkthroughStep(page, 'fixWarnings', 'ticked');
  });

  test('a service never created: its menu offers Start, not Stop or Restart; Restart from the palette says why; Show Logs says it waits', async () => {
    const { page } = wb;
    const sidebar = page.locator('#workbench\\.parts\\.sidebar');
    if (!(await sidebar.locator('.pane-header', { hasText: 'Platform Services' }).isVisible())) await page.locator('.activitybar a[aria-label^="DuckStack"]').click();
    const dbt = sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^dbt$/ }) }).first();
    await dbt.locator('.label-description', { hasText: 'not created' }).waitFor({ timeout: 30_000 });
    await dbt.click({ button: 'right' });
    const items = page.locator('.context-view .monaco-menu .action-label');
    await items.first().waitFor();
    const labels = (await items.allInnerTexts()).map((t) => t.trim()).filter((t) => t !== '');
    await screenshot(page, 'first-hour-never-created-menu');
    assert.ok(labels.includes('Start Service') && labels.includes('Show Logs'), labels.join(' | '));
    assert.ok(!labels.includes('Stop Service') && !labels.includes('Restart Service'), labels.join(' | '));

    // Show Logs on it: a terminal that stays open and says why nothing shows yet.
    await page.locator('.context-view .monaco-menu .action-label', { hasText: /^Show Logs$/ }).click();
    await page.locator('.terminal-tabs-entry, .single-terminal-tab, .tabs-container .tab', { hasText: 'Logs: dbt' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.terminal-wrapper.active .xterm-rows', { hasText: 'dbt is not running and has logged nothing yet' }).waitFor({ timeout: 30_000 });
    await screenshot(page, 'first-hour-never-created-logs');

    // Restart Service from the palette, on it: not run, and the reason is said.
    await runFromPalette(page, 'DuckStack: Restart Service');
    await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'dbt' }).first().waitFor({ timeout: 15_000 });
    await page.locator('.quick-input-widget input').fill('dbt');
    await page.keyboard.press('Enter');
    await page.locator('.notification-list-item-message', { hasText: 'dbt is not created yet, so there is nothing to restart; Start Service creates and starts it.' }).waitFor({ timeout: 15_000 });
    const created = execFileSync('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Names}}'], { encoding: 'utf8' });
    assert.equal(created.trim(), '', 'nothing was created');
  });

  test('Start Platform brings the fork up and ticks "Start the platform"', async () => {
    const { page } = wb;
    await walkthroughStep(page, 'startPlatform', 'unticked');
    await runFromPalette(page, 'DuckStack: Start Platform');
    await page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: /dbt.*running/ }).first().waitFor({ timeout: 90_000 });
    await walkthroughStep(page, 'startPlatform', 'ticked');
    const running = execFileSync('docker', ['compose', '-p', project, 'ps', '--format', '{{.Service}} {{.State}}'], { cwd: workspace, encoding: 'utf8' });
    assert.match(running, /^dbt running$/m);
  });
});
