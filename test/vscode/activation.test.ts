import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import { poll } from './poll';

const EXTENSION_ID = 'duckstack.duckstack';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
  };
}

suite('Activation (extension host)', () => {
  let extension: vscode.Extension<DuckStackApi>;

  suiteSetup(async () => {
    const found = vscode.extensions.getExtension<DuckStackApi>(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not installed in this VS Code`);
    extension = found;
    await extension.activate();
  });

  test('activates in a workspace with a compose file and returns its API', () => {
    assert.equal(extension.isActive, true);
    assert.equal(extension.exports.output.name, 'DuckStack');
  });

  test('registers every command its manifest contributes', async () => {
    const manifest = extension.packageJSON as Manifest;
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0);
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `commands contributed but not registered: ${missing.join(', ')}`);
  });

  test('contributes its views in the DuckStack container, and each opens', async () => {
    const manifest = extension.packageJSON as Manifest;
    const views = manifest.contributes.views.duckstack.map((v) => v.id);
    assert.deepEqual(views, ['duckstack.services', 'duckstack.duckdb']);
    await vscode.commands.executeCommand('workbench.view.extension.duckstack');
    for (const id of views) await vscode.commands.executeCommand(`${id}.focus`);
  });

  test('the walkthrough opens', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#duckstack.gettingStarted`, false);
    const manifest = extension.packageJSON as { contributes: { walkthroughs: { steps: { media: { markdown: string } }[] }[] } };
    for (const step of manifest.contributes.walkthroughs[0].steps) {
      const file = vscode.Uri.joinPath(extension.extensionUri, step.media.markdown);
      assert.ok((await vscode.workspace.fs.stat(file)).size > 0, `${step.media.markdown} is empty`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('"Show Output" reveals the DuckStack output channel', async () => {
    await vscode.commands.executeCommand('duckstack.showOutput');
    const shown = await poll(() =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && /DuckStack .* activated/.test(d.getText())),
    );
    assert.ok(shown, 'the DuckStack output channel did not open with its activation line');
  });
});
