import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { UpgradeOutcome } from '../../src/upgrade/command';
import { committedFork, contents, read } from '../unit/impact/support';

const ignore = (command: string): Promise<unknown> => Promise.resolve(vscode.commands.executeCommand(command)).catch(() => undefined);

/**
 * Runs the command and answers the refactor preview as a user does: Discard, or tick the upgrade's
 * category (edits needing confirmation start unchecked) and Apply; repeated until the command completes.
 */
async function answeringPreview(args: object, answer: 'apply' | 'discard', timeoutMs = 30_000): Promise<UpgradeOutcome | undefined> {
  let finished = false;
  const run = Promise.resolve(vscode.commands.executeCommand<UpgradeOutcome | undefined>('duckstack.upgradeTool', args)).finally(() => (finished = true));
  const deadline = Date.now() + timeoutMs;
  let ticked = false;
  await new Promise((r) => setTimeout(r, 1000)); // the preview opens
  while (!finished) {
    if (Date.now() > deadline) throw new Error(`the refactor preview still waited after ${timeoutMs} ms`);
    if (answer === 'discard') await ignore('refactorPreview.discard');
    else {
      if (!ticked) {
        // One category (the upgrade's label); ticking it ticks every edit. Done once: a second toggle would untick.
        await ignore('refactorPreview.groupByType');
        await ignore('refactorPreview.focus');
        await ignore('list.focusFirst');
        await ignore('refactorPreview.toggleCheckedState');
        ticked = true;
      }
      await ignore('refactorPreview.apply');
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return run;
}

suite('Upgrade Tool Version (extension host)', () => {
  let dir: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    await extension.activate();
    dir = await committedFork();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('Apply in the refactor preview writes the row, every pin and the Workplan entry, and saves them', async () => {
    const before = contents(dir);
    const outcome = await answeringPreview({ dir, tool: 'dagster-webserver', version: '1.9.3' }, 'apply');
    assert.ok(outcome?.status === 'applied', JSON.stringify(outcome));
    assert.equal(outcome.plan.edits.length, 3);
    const after = contents(dir);
    const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
    assert.deepEqual(changed, ['03_dagster/requirements.txt', 'golden_versions.md', 'other/Workplan.md']);
    assert.equal(read(dir, 'golden_versions.md'), before.get('golden_versions.md')?.replace('| 1.9.1 |', '| 1.9.3 |'));
    assert.equal(read(dir, '03_dagster/requirements.txt'), before.get('03_dagster/requirements.txt')?.replace(/==1\.9\.1/g, '==1.9.3'));
    assert.equal(read(dir, 'other/Workplan.md'), `${before.get('other/Workplan.md') ?? ''}${outcome.plan.workplan.text}`);
    assert.match(outcome.plan.workplan.text, /^\n## \d{4}-\d{2}-\d{2}: Dagster 1\.9\.1 → 1\.9\.3\n/);
    assert.ok(vscode.workspace.textDocuments.filter((d) => d.uri.fsPath.startsWith(`${dir}${path.sep}`)).every((d) => !d.isDirty), 'an edited document was left unsaved');
  });

  test('Discard in the refactor preview changes nothing', async () => {
    const before = contents(dir);
    const outcome = await answeringPreview({ dir, tool: 'Dagster', version: '1.9.4' }, 'discard');
    assert.equal(outcome?.status, 'discarded');
    assert.deepEqual(contents(dir), before);
  });

  test('after a discarded preview, a new upgrade previews and applies again', async () => {
    const outcome = await answeringPreview({ dir, tool: 'Python', version: '3.12' }, 'apply');
    assert.equal(outcome?.status, 'applied');
    assert.match(read(dir, '03_dagster/Dockerfile'), /^FROM python:3\.12-slim$/m);
  });

  test('a downgrade is refused before any preview, and nothing changes', async () => {
    const before = contents(dir);
    const outcome = await vscode.commands.executeCommand<UpgradeOutcome | undefined>('duckstack.upgradeTool', { dir, tool: 'PostgreSQL', version: '16.4' });
    assert.equal(outcome?.status, 'refused');
    assert.match(outcome.status === 'refused' ? outcome.message : '', /NEVER downgrade/);
    assert.deepEqual(contents(dir), before);
  });
});
