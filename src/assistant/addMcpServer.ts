// "DuckStack: Add MCP Server to Workspace": writes DuckStack's MCP server into the workspace
// folder's .vscode/mcp.json, for agent mode and other MCP clients of VS Code. VS Code 1.100 (the
// engine DuckStack supports) has no API for an extension to offer an MCP server itself
// (vscode.lm.registerMcpServerDefinitionProvider came later), so the server goes into the file.
import * as vscode from 'vscode';
import type { AddServerResult } from '../core/mcp/workspaceConfig';

/** The folder: an explicit one (tests, the explorer), the only workspace folder, or one picked. */
async function pickFolder(arg: unknown): Promise<string | undefined> {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) throw new Error('open a folder first: the MCP server goes into its .vscode/mcp.json.');
  if (folders.length === 1) return folders[0].uri.fsPath;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Add the DuckStack MCP server to which folder?' }))?.uri.fsPath;
}

export async function addMcpServerToWorkspace(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, arg?: unknown): Promise<AddServerResult | undefined> {
  if (!vscode.workspace.isTrusted) {
    const choice = await vscode.window.showWarningMessage(
      'DuckStack: Add MCP Server is disabled in an untrusted workspace: the server it adds to .vscode/mcp.json runs DuckStack, compose and Docker on the workspace\'s files. Trust the workspace to use it.',
      'Manage Workspace Trust',
    );
    if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
    return undefined;
  }
  const folder = await pickFolder(arg);
  if (!folder) return undefined;
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  // Loaded on first use: jsonc-parser is not needed at activation.
  const { addMcpServer, duckstackServerEntry } = await import('../core/mcp/workspaceConfig.js');
  const result = await addMcpServer(folder, 'duckstack', duckstackServerEntry(process.execPath, cli, process.versions.electron !== undefined));
  if (!result.ok) {
    output.warn(result.message);
    void vscode.window.showErrorMessage(`DuckStack: ${result.message}`);
    return result;
  }
  output.info(`MCP server duckstack: ${result.change} in ${result.file}`);
  const said = {
    created: 'created .vscode/mcp.json with the DuckStack MCP server',
    added: 'added the DuckStack MCP server to .vscode/mcp.json',
    updated: 'updated the DuckStack MCP server in .vscode/mcp.json (now this installation of DuckStack)',
    unchanged: 'the DuckStack MCP server is already in .vscode/mcp.json',
  }[result.change];
  void vscode.window.showInformationMessage(`DuckStack: ${said}. Its tools are read-only; add "--allow-changes" to its args for up, restart and apply_fixes.`, 'Open mcp.json').then(async (choice) => {
    if (choice === 'Open mcp.json') await vscode.window.showTextDocument(vscode.Uri.file(result.file));
  });
  return result;
}
