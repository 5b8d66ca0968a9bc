// Open UI goes through vscode.env.asExternalUri, so a port of the machine the extension runs on is
// reached through VS Code's port forwarding (code-server serves it under /proxy/<port>/), and the
// setting duckstack.openUi.in opens it in VS Code's Simple Browser.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';

suite('Open UI through port forwarding (extension host)', () => {
  let server: http.Server;
  let port: number;

  suiteSetup(async () => {
    server = http.createServer((_req, res) => res.end('duckstack open-ui page'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    await vscode.extensions.getExtension('duckstack.duckstack')?.activate();
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('duckstack').update('openUi.in', undefined, vscode.ConfigurationTarget.Global);
    await new Promise((resolve) => server.close(resolve));
  });

  test('with openUi.in = simpleBrowser the forwarded address opens in a Simple Browser tab, and serves the page', async () => {
    await vscode.workspace.getConfiguration('duckstack').update('openUi.in', 'simpleBrowser', vscode.ConfigurationTarget.Global);
    const url = `http://localhost:${port}/`;
    // A tree node of a running service with one web port, as the Platform Services view passes it.
    const node = { kind: 'service', service: { name: 'docs', state: 'running', links: [{ label: 'docs', url }] } };
    const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>('duckstack.service.openUi', node);
    assert.ok(opened, 'Open UI returns the address it opened');
    const expected = await vscode.env.asExternalUri(vscode.Uri.parse(url));
    assert.equal(opened.toString(), expected.toString());
    // The forwarded address reaches the page (in code-server: its /proxy/<port>/, not localhost).
    const response = await fetch(opened.toString(true));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'duckstack open-ui page');

    let tab: vscode.Tab | undefined;
    for (const deadline = Date.now() + 20_000; tab === undefined && Date.now() < deadline; ) {
      tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && /simpleBrowser/i.test(t.input.viewType));
      if (tab === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(tab, `no Simple Browser tab among: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    await vscode.window.tabGroups.close(tab);
  });
});
