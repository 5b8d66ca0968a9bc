import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openPackagedWorkbench, runFromPalette, screenshot, Workbench } from './support';

suite('Inline warnings UI (code-server + Chromium)', () => {
  let wb: Workbench;
  let folder: string;

  suiteSetup(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-ui-lint-'));
    fs.writeFileSync(
      path.join(folder, 'docker-compose.yml'),
      ['services:', '  dagster:', '    image: local/busybox:1', '    ports:', '      - "3000:3000"', '    healthcheck:', '      test: ["CMD", "true"]', ''].join('\n'),
    );
    wb = await openPackagedWorkbench(folder);
  });
  suiteTeardown(async () => {
    await wb?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('a hardcoded host port shows a warning squiggle and a Problems entry with its rule id', async () => {
    const page = wb.page;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('docker-compose.yml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'docker-compose.yml' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'View: Focus Problems');
    const entry = page.locator('.markers-panel .monaco-list-row', { hasText: 'Host port 3000 of dagster is hardcoded' }).first();
    await entry.waitFor({ timeout: 30_000 });
    assert.match(await entry.innerText(), /compose-host-port-variable/);
    await screenshot(page, 'lint-squiggle-problems');
  });
});
