// The Platform status bar item as a new user meets it, in the packaged extension in code-server:
// `npm start`'s demo fork opened with the Explorer in front and the DuckStack views never opened.
// The item is there once the compose project is found, in words true for what Docker says (nothing
// runs: "not started", as of when it was read, and how to start it), and says what to do when no
// engine answers. Clicking it opens Platform Services, which then follows the engine live; the
// DuckDB view shows the demo's databases, as the start log's "Try first" promises.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { openPackagedWorkbench, repoRoot, screenshot, Workbench } from './support';

interface DemoForkModule {
  createDemoFork(root: string, folder: string, options?: { env?: NodeJS.ProcessEnv; quiet?: boolean; name?: string }): void;
}

/** This run's compose project name for the demo fork. */
const PROJECT = `dsstatus${process.pid}`;

/** The demo's services that compose starts (no profile): the count the status bar gives. */
const DEMO_SERVICES = ['postgres', 'redis', 'dagster', 'dbt', 'superset', 'cube', 'jupyter'];

function platformItem(page: Page) {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Platform:' }).first();
}

/** The item's tooltip, as hovering it shows (its first line names the compose project). */
async function tooltipOf(page: Page): Promise<string> {
  await page.mouse.move(700, 300);
  await platformItem(page).hover();
  const hover = page.locator('.workbench-hover, .monaco-hover, .context-view .rendered-markdown').filter({ hasText: PROJECT }).first();
  await hover.waitFor({ timeout: 15_000 });
  return hover.innerText();
}

/** The Explorer is the side bar's view, and the DuckStack container was never shown. */
async function explorerInFront(page: Page): Promise<void> {
  await page.locator('#workbench\\.parts\\.sidebar .composite.title', { hasText: /Explorer/i }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('.activitybar .action-item.checked a[aria-label^="DuckStack"]').count(), 0, 'the DuckStack container is shown');
  assert.equal(await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: 'Platform Services' }).count(), 0, 'Platform Services was opened');
}

suite('Platform status bar UI: shown once a compose project is found, the view never opened', () => {
  let root: string;
  let fork: string;
  let wb: Workbench | undefined;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    assert.ok(fs.existsSync(path.join(repoRoot, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    const demo = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'demo-fork.mjs')).href)) as DemoForkModule;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-status-bar-'));
    fork = path.join(root, 'demo-platform');
    // npm start's demo fork, under a compose project name of this run's own.
    demo.createDemoFork(repoRoot, fork, { quiet: true, name: PROJECT });
  });
  teardown(async function () {
    if (this.currentTest?.state === 'failed' && wb) await screenshot(wb.page, `status-bar-FAILED-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`);
  });
  suiteTeardown(async () => {
    await wb?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('no engine answers: the item says Docker is not reachable, why, and what to do', async () => {
    const noEngine = `unix://${path.join(root, 'no-docker.sock')}`;
    const down = await openPackagedWorkbench(fork, { env: { DOCKER_HOST: noEngine } });
    try {
      await platformItem(down.page).filter({ hasText: 'Platform: Docker not reachable (as of ' }).waitFor({ timeout: 60_000 });
      await explorerInFront(down.page);
      const tooltip = await tooltipOf(down.page);
      assert.match(tooltip, new RegExp(`^${PROJECT}: their state cannot be read\\.$`, 'm'));
      assert.match(tooltip, new RegExp(`No Docker engine is listening at ${noEngine.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      assert.match(tooltip, /^What to do: Start Docker/m);
      assert.match(tooltip, /^Tried at .*\. Click to show Platform Services, which retries until the engine answers\.$/m);
      assert.doesNotMatch(tooltip, /not started|healthy/);
      await screenshot(down.page, 'status-bar-docker-not-reachable');
    } finally {
      await down.close();
    }
  });

  test('with the Explorer in front, the item says "not started" as of when Docker was read, names the services and how to start them', async () => {
    wb = await openPackagedWorkbench(fork, { env: { DOCKER_HOST: process.env.DOCKER_HOST } });
    const { page } = wb;
    const item = platformItem(page);
    await item.filter({ hasText: `Platform: not started (${DEMO_SERVICES.length} services) (as of ` }).waitFor({ timeout: 60_000 });
    assert.match((await item.innerText()).trim(), new RegExp(`^Platform: not started \\(${DEMO_SERVICES.length} services\\) \\(as of \\d\\d:\\d\\d( [AP]M)?\\)$`));
    await explorerInFront(page);
    const tooltip = await tooltipOf(page);
    assert.match(tooltip, new RegExp(`^${PROJECT}: not started \\(${DEMO_SERVICES.length} services\\)$`, 'm'));
    assert.match(tooltip, new RegExp(`^Not created: ${DEMO_SERVICES.join(', ')}$`, 'm'));
    assert.match(tooltip, /^Start it with DuckStack: Start Platform\.$/m);
    assert.match(tooltip, /^Read at .*: not followed while Platform Services is hidden\. Click to show it\.$/m);
    assert.doesNotMatch(tooltip, /All running services are healthy|0\/\d+ healthy/);
    await screenshot(page, 'status-bar-explorer-not-started');
  });

  test('clicking it opens Platform Services, which follows the engine live; the DuckDB view shows the demo\'s databases', async () => {
    assert.ok(wb, 'the workbench of the test before is open');
    const { page } = wb;
    await page.mouse.move(700, 300);
    await platformItem(page).click();
    const sidebar = page.locator('#workbench\\.parts\\.sidebar');
    for (const name of DEMO_SERVICES) {
      await sidebar.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first().waitFor({ timeout: 30_000 });
    }
    // Live now: no "as of".
    await platformItem(page).filter({ hasText: new RegExp(`Platform: not started \\(${DEMO_SERVICES.length} services\\)$`) }).waitFor({ timeout: 30_000 });
    assert.match(await tooltipOf(page), /^Live: updated by Docker events\.$/m);
    for (const db of ['raw.duckdb', 'dev.duckdb']) await sidebar.locator('.monaco-list-row', { hasText: db }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, 'status-bar-demo-views');
  });
});
