import * as vscode from 'vscode';
import { registerDuckDbCommands } from './commands';
import { DuckDbController } from './controller';

export type { DuckDbController };

/** The DuckDB view and its commands; the controller is returned for the extension's API. */
export function registerDuckDb(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): DuckDbController {
  const controller = new DuckDbController(output);
  context.subscriptions.push(controller);
  registerDuckDbCommands(context, output, controller);
  return controller;
}
