import * as vscode from 'vscode';
import { findGoldenVersionsFile } from '../core/golden/golden';

/**
 * Opens the golden_versions.md the lint reads: the setting's path, else the first one the
 * workspace walk finds (core/golden's findGoldenVersionsFile), in the first folder that has one.
 */
export async function openGoldenVersions(): Promise<void> {
  const configured = vscode.workspace.getConfiguration('duckstack').get<string>('goldenVersionsFile', '') || undefined;
  let file: string | undefined;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    file = findGoldenVersionsFile(folder.uri.fsPath, configured);
    if (file) break;
  }
  if (!file) {
    void vscode.window.showInformationMessage('DuckStack: no golden_versions.md in this workspace. Set "duckstack.goldenVersionsFile" or add one at the root.');
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
}
