import * as path from 'node:path';
import * as vscode from 'vscode';

/** A file and a 0-based line, as report links name them. */
export interface FileTarget {
  file: string;
  line?: number;
}

/**
 * The file's URI built from the workspace folder that holds it (so a Remote or virtual workspace
 * keeps its own scheme and authority), else from the path.
 */
export function uriOf(file: string): vscode.Uri {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const relative = path.relative(folder.uri.fsPath, file);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return vscode.Uri.joinPath(folder.uri, ...relative.split(path.sep));
  }
  return vscode.Uri.file(file);
}

/**
 * Opens a file at a line: what every link of the report panels runs. It runs in the extension
 * host, whose API maps the URI to the window's (desktop, code-server, Remote), where a `vscode.open`
 * link from a webview would hand the window a bare file: URI it may not be able to read.
 */
export async function openFileAt(target?: FileTarget): Promise<vscode.TextEditor> {
  if (!target || typeof target.file !== 'string') throw new Error('name a file to open.');
  const line = Math.max(0, Math.floor(target.line ?? 0));
  const at = new vscode.Position(line, 0);
  return vscode.window.showTextDocument(uriOf(target.file), { selection: new vscode.Range(at, at), preview: false });
}
