import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandSnippet, loadSnippets } from '../unit/scaffold/support';
import { openPackagedWorkbench, screenshot, Workbench } from './support';

const PREFIX = 'duckstack-compose-service';

/** Polls until probe() returns a value, or throws with message after timeoutMs. */
async function poll<T>(probe: () => T | undefined, message: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite('Snippets UI (code-server + Chromium, packaged .vsix)', () => {
  let wb: Workbench;
  let folder: string;
  let composeFile: string;

  suiteSetup(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-ui-snippets-'));
    composeFile = path.join(folder, 'docker-compose.yml');
    fs.writeFileSync(composeFile, 'services:\n');
    // Completion only when asked for (Ctrl+Space), so the test drives the widget, not a timer.
    fs.mkdirSync(path.join(folder, '.vscode'));
    fs.writeFileSync(
      path.join(folder, '.vscode', 'settings.json'),
      JSON.stringify({ 'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' }, 'editor.suggestOnTriggerCharacters': false, 'editor.wordBasedSuggestions': 'off' }),
    );
    wb = await openPackagedWorkbench(folder);
  });
  suiteTeardown(async () => {
    await wb?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });

  test('a compose snippet is inserted through the completion widget, expanded with its defaults', async () => {
    const snippet = loadSnippets().find((s) => s.prefix === PREFIX);
    assert.ok(snippet, `no snippet with prefix ${PREFIX} in snippets/`);
    const page = wb.page;

    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor({ state: 'visible' });
    await quickOpen.fill('docker-compose.yml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'docker-compose.yml' }).first().waitFor();
    await page.keyboard.press('Enter');

    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'services:' }).waitFor({ timeout: 30_000 });
    // The snippet is contributed for the language VS Code gives compose files.
    await page.locator('#status\\.editor\\.mode', { hasText: 'Compose' }).waitFor({ timeout: 30_000 });

    await page.keyboard.press('Control+End');
    await page.keyboard.type(`  ${PREFIX}`);
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget.visible .monaco-list-row.focused', { hasText: PREFIX });
    await suggestion.waitFor({ timeout: 30_000 });
    await page.keyboard.press('Enter');

    await editor.locator('.view-lines', { hasText: 'condition: service_healthy' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'snippet-compose-service');
    await page.keyboard.press('Escape'); // leave the snippet's tab stops
    await page.keyboard.press('Control+S');

    // Each line of the body after the first is indented as the line the prefix was typed on.
    const expected = expandSnippet(snippet.body)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => `  ${line}`)
      .join('\n');
    const saved = await poll(() => {
      const text = fs.readFileSync(composeFile, 'utf8');
      return text.includes('image:') ? text : undefined;
    }, 'the compose file was not saved with the snippet');
    assert.ok(saved.startsWith(`services:\n${expected}`), `saved file:\n${saved}\nexpected to start with:\nservices:\n${expected}`);
    assert.ok(!saved.includes(PREFIX), 'the typed prefix was replaced by the snippet');
  });
});
