import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatMarkdown, type ImpactReport } from '../../src/core/impact';
import type { DuckStackApi } from '../../src/extension';
import { committedFork, render, TEMPLATE_V2, writeFiles } from '../unit/impact/support';
import { poll } from './poll';

/** Runs a command that shows prompts and accepts each prompt's default until the command completes. */
async function acceptingPrompts<T>(run: Thenable<T>, timeoutMs = 30_000): Promise<T> {
  let finished = false;
  const done = Promise.resolve(run).finally(() => (finished = true));
  const deadline = Date.now() + timeoutMs;
  while (!finished) {
    if (Date.now() > deadline) throw new Error(`the command still waited for input after ${timeoutMs} ms`);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await new Promise((r) => setTimeout(r, 100));
  }
  return done;
}

function impactTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Impact of Changes');
}

suite('Show Impact of Changes (extension host)', () => {
  let api: DuckStackApi;
  let dir: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    dir = await committedFork();
    writeFiles(dir, render(TEMPLATE_V2));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('the suggested ref picked in the prompt: the report opens, its changes are the template\'s, Copy as Markdown gives the paste-ready text', async () => {
    const report = await acceptingPrompts(vscode.commands.executeCommand<ImpactReport | undefined>('duckstack.showImpact', { dir }));
    assert.ok(report, 'the command returned no report');
    assert.match(report.before, /^HEAD \([0-9a-f]{7}\)$/);
    assert.deepEqual(report.items.map((i) => `${i.category}/${i.severity}: ${i.change}`), [
      'services/info: Service `redis` is added (image `redis:7.4.1`).',
      'ports/warning: Container port of `dagster` changes: `3000` → `3070`.',
      'variables/breaking: Variable `DAGSTER_PG_DB` is renamed `DAGSTER_POSTGRES_DB`.',
      'versions/warning: Dagster is upgraded: 1.9.1 → 1.9.3, pinned in `03_dagster/requirements.txt`.',
      'versions/info: Redis 7.4.1 is added to golden_versions.md.',
    ]);
    assert.equal(api.impact.shown, report);
    assert.ok(await poll(() => impactTab()), 'no "Impact of Changes" tab opened');

    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('duckstack.impact.copyMarkdown');
    assert.equal(await vscode.env.clipboard.readText(), formatMarkdown(report));
  });

  test('a ref given as an argument; a ref that names no commit is an error, not a report', async () => {
    const report = await vscode.commands.executeCommand<ImpactReport | undefined>('duckstack.showImpact', { dir, since: 'HEAD' });
    assert.equal(report?.items.length, 5);
    const none = await vscode.commands.executeCommand<ImpactReport | undefined>('duckstack.showImpact', { dir, since: 'no-such-ref' });
    assert.equal(none, undefined);
    assert.equal(api.impact.shown, report, 'the failed run left the last report in place');
  });
});
