import type * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import type { ServicesController } from '../services/controller';
import { addMcpServerToWorkspace } from './addMcpServer';
import { registerLanguageModelTools } from './languageModelTools';

/** DuckStack for coding assistants: the language model tools and the MCP server command. */
export function registerAssistant(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, services: ServicesController): void {
  registerLanguageModelTools(context, output, services);
  registerCommand(context, output, 'duckstack.addMcpServer', (folder?: vscode.Uri) => addMcpServerToWorkspace(context, output, folder));
}
