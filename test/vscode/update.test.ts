import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { UpdateCommandOutcome } from '../../src/update/command';
import { committedFork, contents, read, render, TEMPLATE_V2, userEdits } from '../unit/impact/support';
import { poll } from './poll';

/** The merge editor's tab of a file: its label is "Merging: <name>" (its input type is not in the stable API). */
function mergeTab(name: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === `Merging: ${name}`);
}

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
}

suite('Update Fork from Template (extension host)', () => {
  let api: DuckStackApi;
  const dirs: string[] = [];

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
  });

  suiteTeardown(async () => {
    // The merge editor's result stays an unsaved document: revert it before the folders go.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty && dirs.some((dir) => d.uri.fsPath.startsWith(`${dir}${path.sep}`)))) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of dirs) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('merges the template into the edited fork, opens the conflict in the merge editor and shows the impact', async () => {
    const dir = await committedFork();
    dirs.push(dir);
    userEdits(dir);
    const outcome = await vscode.commands.executeCommand<UpdateCommandOutcome | undefined>('duckstack.updateFork', { dir, templatesDir: TEMPLATE_V2, confirm: false });
    assert.ok(outcome?.status === 'updated', JSON.stringify(outcome));
    assert.deepEqual(outcome.plan.files.map((f) => `${f.outcome} ${f.path}`), [
      'kept-deleted .env.example', 'added 03_dagster/dagster.yaml', 'updated 03_dagster/requirements.txt', 'conflict README.md', 'merged docker-compose.yml', 'updated golden_versions.md',
    ]);
    const v2 = render(TEMPLATE_V2);
    assert.equal(read(dir, 'docker-compose.yml'), v2['docker-compose.yml'].replace('    image: postgres:16.6\n', '    image: postgres:16.6\n    restart: unless-stopped\n'));
    assert.match(read(dir, 'README.md'), /\n<<<<<<< fork\n## Setup \(ours\)\n=======\nRedis caches for Dagster \(no UI\)\.\n\n## Setup\n>>>>>>> template\n/);
    assert.ok(!fs.existsSync(path.join(dir, '.env.example')));
    assert.ok(await poll(() => mergeTab('README.md')), `README.md did not open in the merge editor; tabs: ${tabLabels().join(', ')}`);
    // The merge editor holds the result as an unsaved document: revert it, as a user closing it unresolved would.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(await poll(() => (mergeTab('README.md') ? undefined : true)), true, `the merge editor is still open; tabs: ${tabLabels().join(', ')}`);
    assert.equal(api.impact.shown, outcome.plan.impact);
    assert.ok(outcome.plan.impact.items.some((i) => i.change === 'Variable `DAGSTER_PG_DB` is renamed `DAGSTER_POSTGRES_DB`.'));
  });

  test('a dirty work tree is refused and nothing is written', async () => {
    const dir = await committedFork();
    dirs.push(dir);
    fs.appendFileSync(path.join(dir, 'README.md'), 'uncommitted\n');
    const before = contents(dir);
    const outcome = await vscode.commands.executeCommand<UpdateCommandOutcome | undefined>('duckstack.updateFork', { dir, templatesDir: TEMPLATE_V2, confirm: false, allowDirty: false });
    assert.equal(outcome?.status, 'refused');
    assert.match(outcome.status === 'refused' ? outcome.message : '', /uncommitted changes \(README\.md\)/);
    assert.deepEqual(contents(dir), before);
  });
});
