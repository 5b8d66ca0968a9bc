import * as vscode from 'vscode';

/** Opens the workspace's golden_versions.md: the setting's path, else the first one found. */
export async function openGoldenVersions(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('duckstack').get<string>('goldenVersionsFile', '');
  const folder = vscode.workspace.workspaceFolders?.[0];
  let uri: vscode.Uri | undefined;
  if (configured && folder) uri = vscode.Uri.joinPath(folder.uri, configured);
  else [uri] = await vscode.workspace.findFiles('**/golden_versions*.md', '**/node_modules/**', 1);
  if (!uri) {
    void vscode.window.showInformationMessage('DuckStack: no golden_versions.md in this workspace. Set "duckstack.goldenVersionsFile" or add one at the root.');
    return;
  }
  await vscode.window.showTextDocument(uri, { preview: false });
}
