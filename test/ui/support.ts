import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { BrowserSession, launchBrowser, openWorkbench, screenshotPath } from '../harness/browser';
import { CodeServer, startCodeServer } from '../harness/codeServer';
import { useRunFixtureProject } from '../harness/fixture';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * The .vsix of this version for this machine's target (out/duckstack-<version>-linux-x64.vsix),
 * which scripts/package.mjs builds: npm test packages it once per run, before the UI tests, and
 * every suite installs that same file into its own code-server with `--install-extension`. A
 * missing one, or one packaged before the last build of dist/, is a failure saying what to run,
 * never a test of an older extension.
 */
export function packagedVsix(): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(repoRoot, 'out', `duckstack-${version}-${process.platform}-${process.arch}.vsix`);
  const howTo = 'run `node scripts/package.mjs` (npm test does this once before the UI tests)';
  if (!fs.existsSync(vsix)) throw new Error(`no packaged ${path.relative(repoRoot, vsix)}: ${howTo}`);
  const bundle = path.join(repoRoot, 'dist', 'extension.js');
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs > fs.statSync(vsix).mtimeMs) {
    throw new Error(`${path.relative(repoRoot, vsix)} was packaged before the last build of dist/extension.js, so it is not the extension under test: ${howTo}`);
  }
  return vsix;
}

export interface Workbench {
  server: CodeServer;
  browser: BrowserSession;
  page: Page;
  close(): Promise<void>;
}

/** code-server with the packaged extension installed, opened on folder in headless Chromium. */
export async function openPackagedWorkbench(folder: string, options: { env?: NodeJS.ProcessEnv; trusted?: boolean; settings?: Record<string, unknown> } = {}): Promise<Workbench> {
  // The fixture workspace's compose project is this run's own (name and port).
  await useRunFixtureProject();
  const server = await startCodeServer({ folder, vsix: packagedVsix(), env: options.env, trusted: options.trusted, settings: options.settings });
  let browser: BrowserSession | undefined;
  try {
    browser = await launchBrowser();
    await openWorkbench(browser.page, `${server.url}/?folder=${encodeURIComponent(folder)}`);
  } catch (e) {
    await browser?.close();
    await server.stop();
    throw e;
  }
  const session = browser;
  return {
    server,
    browser: session,
    page: session.page,
    close: async () => {
      await session.close();
      await server.stop();
    },
  };
}

/**
 * Runs a command from the palette by its title, as a person would. Extensions register their
 * commands a moment after the workbench shows, so a title not listed yet is looked up again.
 */
export async function runFromPalette(page: Page, title: string, attempts = 4): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ timeout: 10_000 });
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt >= attempts) throw e;
      continue;
    }
    await page.keyboard.press('Enter');
    return;
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: screenshotPath(name) });
}
