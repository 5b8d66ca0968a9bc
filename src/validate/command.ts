import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { validatePlatform } from '../core/validate';
import type { ServicesController } from '../services/controller';
import { ValidationReportPanel } from './report';

/** Answers for the prompts, for tests and other commands: `{ dir, restart }`. */
export interface ValidateArgs {
  dir?: string;
  restart?: boolean;
}

function isValidateArgs(value: unknown): value is ValidateArgs {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);
}

/** "DuckStack: Validate Platform": the guide's Phase 1 checklist, as a report. */
export function registerValidateCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, services: ServicesController): ValidationReportPanel {
  const panel = new ValidationReportPanel();
  context.subscriptions.push(panel);
  registerCommand(context, output, 'duckstack.validate', async (arg?: ValidateArgs | vscode.Uri) => {
    const args: ValidateArgs = isValidateArgs(arg) ? arg : arg instanceof vscode.Uri ? { dir: arg.fsPath } : {};
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('DuckStack: validation reads the running containers and may restart them, so it is disabled in an untrusted workspace. Trust the workspace to use it.');
      return undefined;
    }
    let dir = args.dir;
    if (!dir) {
      const projects = await services.getProjects();
      if (projects.length === 0) throw new Error('no Docker Compose project in this workspace to validate.');
      dir = projects.length === 1
        ? projects[0].dir
        : (await vscode.window.showQuickPick(projects.map((p) => ({ label: p.name, description: vscode.workspace.asRelativePath(p.dir), dir: p.dir })), { placeHolder: 'Validate which platform?' }))?.dir;
      if (!dir) return undefined;
    }
    let restart = args.restart;
    if (restart === undefined) {
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Validate', description: 'check the platform as it runs now', restart: false },
          { label: 'Full restart, then validate', description: 'docker compose down, then up --wait (the guide\'s protocol)', restart: true },
        ],
        { placeHolder: 'DuckStack: Validate Platform' },
      );
      if (!picked) return undefined;
      restart = picked.restart;
    }
    const target = dir;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'DuckStack: validating the platform', cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return validatePlatform(target, { restart, env: process.env, host: 'editor', signal: abort.signal, onProgress: (step) => progress.report({ message: step }) });
      },
    );
    output.info(`Validation of ${report.dir}: ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.notChecked} not checked`);
    panel.show(report);
    if (restart) await services.refresh();
    return report;
  });
  return panel;
}
