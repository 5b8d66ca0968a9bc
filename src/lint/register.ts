import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import type { Fix } from '../core/lint/types';
import { APPLY_FIXES_COMMAND, applyFixesWithSecrets } from './applyFixes';
import { LintCodeActionProvider } from './codeActions';
import { LintController } from './controller';
import { GoldenHoverProvider } from './hover';
import type { RefreshManager } from '../refresh/manager';

/** The files DuckStack lints, by scheme: languages differ (dockercompose, yaml, dockerfile, pip-requirements, python…). */
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }];

export function registerLinting(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, refreshManager: RefreshManager): LintController {
  const docs = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md');
  const controller = new LintController(docs, output, refreshManager);
  const codeActions = new LintCodeActionProvider(controller.diagnostics);
  context.subscriptions.push(
    controller,
    vscode.languages.registerCodeActionsProvider(SELECTOR, codeActions, { providedCodeActionKinds: LintCodeActionProvider.providedCodeActionKinds }),
    vscode.languages.registerHoverProvider(SELECTOR, new GoldenHoverProvider(controller)),
  );
  registerCommand(context, output, 'duckstack.lint.workspace', () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'DuckStack: linting' }, () => controller.lintWorkspace()),
  );
  registerCommand(context, output, 'duckstack.lint.openRules', () => vscode.commands.executeCommand('markdown.showPreview', docs));
  registerCommand(context, output, APPLY_FIXES_COMMAND, (uri: vscode.Uri, version: number, fixes: Fix[]) => applyFixesWithSecrets(output, uri, version, fixes));
  return controller;
}
