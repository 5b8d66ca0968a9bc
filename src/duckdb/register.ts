import * as vscode from 'vscode';
import { registerDuckDbCommands } from './commands';
import { DuckDbController } from './controller';
import type { RefreshManager } from '../refresh/manager';

export type { DuckDbController };

/** The DuckDB view and its commands; the controller is returned for the extension's API. */
export function registerDuckDb(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, refreshManager: RefreshManager): DuckDbController {
  const controller = new DuckDbController(output, refreshManager);
  context.subscriptions.push(controller);
  registerDuckDbCommands(context, output, controller);
  return controller;
}
