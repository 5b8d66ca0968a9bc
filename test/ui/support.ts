import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { BrowserSession, launchBrowser, openWorkbench, screenshotPath } from '../harness/browser';
import { CodeServer, startCodeServer } from '../harness/codeServer';
import { useRunFixtureProject } from '../harness/fixture';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The .vsix for this machine's target that scripts/package.mjs built (npm test packages it before the UI tests). */
export function packagedVsix(): string {
  const outDir = path.join(repoRoot, 'out');
  const suffix = `-${process.platform}-${process.arch}.vsix`;
  const vsix = fs.existsSync(outDir) ? fs.readdirSync(outDir).find((f) => f.endsWith(suffix)) : undefined;
  if (!vsix) throw new Error(`no packaged *${suffix} in out/: run \`node scripts/package.mjs\` (npm test does this before the UI tests)`);
  return path.join(outDir, vsix);
}

export interface Workbench {
  server: CodeServer;
  browser: BrowserSession;
  page: Page;
  close(): Promise<void>;
}

/** code-server with the packaged extension installed, opened on folder in headless Chromium. */
export async function openPackagedWorkbench(folder: string, options: { env?: NodeJS.ProcessEnv; trusted?: boolean } = {}): Promise<Workbench> {
  // The fixture workspace's compose project is this run's own (name and port).
  await useRunFixtureProject();
  const server = await startCodeServer({ folder, vsix: packagedVsix(), env: options.env, trusted: options.trusted });
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
