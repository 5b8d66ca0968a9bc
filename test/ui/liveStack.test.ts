// The stack of issue 18 in code-server, as a new user sees it: a healthy web server, a service
// whose healthcheck fails, a worker without healthcheck, one-shot jobs that exit 0 and 3, a
// service under a profile, and one stopped with `docker compose stop`. Each row must say what is
// true, the menus offer only what can run, the time up advances, and a failed Start names every
// service that failed.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { freePort } from '../harness/processes';
import { openPackagedWorkbench, repoRoot, runFromPalette, screenshot, Workbench } from './support';

const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'docker', 'live', 'compose.yaml');

suite('Platform Services UI: every state of a live stack (real Docker engine)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let dir: string;
  let project: string;
  let webPort: number;

  const compose = (...args: string[]): string => execFileSync('docker', ['compose', '-p', project, '--project-directory', dir, '-f', path.join(dir, 'compose.yaml'), ...args], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  const row = (name: string): Locator => wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { has: wb.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) }).first();
  const description = async (name: string): Promise<string> => (await row(name).locator('.label-description').innerText()).trim();

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    project = `dsliveui${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-live-ui-')), project);
    fs.mkdirSync(dir);
    fs.copyFileSync(FIXTURE, path.join(dir, 'compose.yaml'));
    webPort = await freePort();
    fs.writeFileSync(path.join(dir, '.env'), `LIVE_WEB_PORT=${webPort}\nLIVE_IDLE_PORT=${await freePort()}\n`);
    wb = await openPackagedWorkbench(dir);
    await wb.page.locator('.activitybar a[aria-label^="DuckStack"]').click();
    await row('web').waitFor({ timeout: 60_000 });
  });

  suiteTeardown(async () => {
    // `down` removes only the active profiles' containers: the profile the test started too.
    if (dir) compose('--profile', 'extra', 'down', '-t', '0');
    await wb?.close();
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('before anything runs: every service is listed not created, the profile-only one under its profile, no port shown', async () => {
    for (const name of ['web', 'sick', 'worker', 'idle', 'done', 'oneshot']) assert.equal(await description(name), 'not created');
    await wb.page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'Platform: not started (6 services)' }).waitFor({ timeout: 30_000 });
    const profile = wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'profile: extra' }).first();
    await profile.waitFor();
    assert.match(await profile.innerText(), /not active · 0\/1 running/);
    assert.equal(await description('extra'), 'not created');
    await screenshot(wb.page, 'live-stack-not-started');
  });

  test('Start Platform fails naming every service that failed to become healthy or exited, with Diagnose on each', async () => {
    await runFromPalette(wb.page, 'DuckStack: Start Platform');
    const toast = wb.page.locator('.notification-list-item', { hasText: 'Start platform failed' }).first();
    await toast.waitFor({ timeout: 120_000 });
    const message = await toast.locator('.notification-list-item-message').innerText();
    assert.match(message, /Not every service became healthy: /);
    assert.match(message, /oneshot failed \(exit 3\)/);
    assert.match(message, /sick is (unhealthy|not healthy yet)/);
    assert.doesNotMatch(message, /\bdone\b/);
    const buttons = await toast.locator('.monaco-button').allInnerTexts();
    assert.ok(buttons.includes('Diagnose oneshot') && buttons.includes('Diagnose sick'), buttons.join(' | '));
    await screenshot(wb.page, 'live-stack-start-failed');
  });

  test('each row says what is true: healthy, unhealthy, running without healthcheck, completed, failed, stopped; ports only while published', async () => {
    compose('stop', 'idle');
    await row('sick').locator('.label-description', { hasText: 'unhealthy' }).waitFor({ timeout: 60_000 });
    await row('idle').locator('.label-description', { hasText: 'stopped (exit 137)' }).waitFor({ timeout: 30_000 });
    assert.match(await description('web'), new RegExp(`^healthy · ${webPort}→8080 · up \\d+ (s|min \\d+ s)$`));
    assert.match(await description('worker'), /^running \(no healthcheck\) · up /);
    assert.equal(await description('done'), 'completed (exit 0)');
    assert.equal(await description('oneshot'), 'failed (exit 3)');
    assert.equal(await description('idle'), 'stopped (exit 137)', 'a stopped service shows no port');
    const icons: Array<[string, string]> = [
      ['web', 'codicon-pass-filled'],
      ['sick', 'codicon-warning'],
      ['worker', 'codicon-circle-filled'],
      ['idle', 'codicon-debug-stop'],
      ['done', 'codicon-pass'],
      ['oneshot', 'codicon-error'],
    ];
    for (const [name, icon] of icons) assert.equal(await row(name).locator(`.${icon}`).count(), 1, `${name} has ${icon}`);
    const statusBar = wb.page.locator('#workbench\\.parts\\.statusbar');
    await statusBar.locator('.statusbar-item', { hasText: 'Platform: 1/2 healthy, 1 running (no healthcheck), 1 unhealthy, 1 failed, 1 stopped, 1 completed' }).waitFor({ timeout: 30_000 });
    await screenshot(wb.page, 'live-stack-states');
  });

  test('the time up advances while the view is visible', async () => {
    const seconds = async (): Promise<number> => {
      const m = /up (?:(\d+) min )?(\d+) s/.exec(await description('web'));
      assert.ok(m, await description('web'));
      return Number(m[1] ?? 0) * 60 + Number(m[2]);
    };
    const first = await seconds();
    await wb.page.waitForTimeout(2500);
    const second = await seconds();
    assert.ok(second >= first + 2, `up ${first} s, then up ${second} s`);
  });

  test('menus offer what can run: Start on a stopped service, Stop and Restart on a running one', async () => {
    const menu = async (name: string): Promise<string[]> => {
      await row(name).click({ button: 'right' });
      const items = wb.page.locator('.context-view .monaco-menu .action-label');
      await items.first().waitFor();
      const labels = (await items.allInnerTexts()).map((t) => t.trim()).filter((t) => t !== '');
      await wb.page.keyboard.press('Escape');
      return labels;
    };
    const stopped = await menu('idle');
    assert.ok(stopped.includes('Start Service') && stopped.includes('Restart Service'), stopped.join(' | '));
    assert.ok(!stopped.includes('Stop Service'), stopped.join(' | '));
    const running = await menu('worker');
    assert.ok(running.includes('Stop Service') && running.includes('Restart Service'), running.join(' | '));
    assert.ok(!running.includes('Start Service'), running.join(' | '));
  });

  test('Start Profile starts the profile-only service; Stop Profile stops it', async () => {
    const profile = wb.page.locator('#workbench\\.parts\\.sidebar .monaco-list-row', { hasText: 'profile: extra' }).first();
    await profile.hover();
    await profile.locator('.action-label[aria-label="Start Profile"]').click();
    await row('extra').locator('.label-description', { hasText: /^running \(no healthcheck\)/ }).waitFor({ timeout: 60_000 });
    assert.match(await profile.innerText(), /1\/1 running/);
    await profile.hover();
    await profile.locator('.action-label[aria-label="Stop Profile"]').click();
    await row('extra').locator('.label-description', { hasText: /^stopped/ }).waitFor({ timeout: 60_000 });
    await screenshot(wb.page, 'live-stack-profile');
  });
});
