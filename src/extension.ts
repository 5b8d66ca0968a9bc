import * as vscode from 'vscode';
import { registerCommand } from './commands/register';
import { openFileAt, type FileTarget } from './commands/openFileAt';
import { openGoldenVersions } from './commands/openGoldenVersions';
import { registerCreateForkCommand } from './scaffold/createFork';
import { registerLinting } from './lint/register';
import type { LintController } from './lint/controller';
import { registerDuckDb, type DuckDbController } from './duckdb/register';
import { registerImpactCommand } from './impact/command';
import type { ImpactReportPanel } from './impact/report';
import { registerServiceCommands } from './commands/services/register';
import { registerUpdateCommand } from './update/command';
import { RefreshManager } from './refresh/manager';
import { registerUpgradeCommand } from './upgrade/command';
import { ServicesController } from './services/controller';
import { registerDiagnoseCommand } from './doctor/command';
import { registerCreateEnvCommand } from './env/createEnv';
import type { DoctorReportPanel } from './doctor/report';
import { registerValidateCommand } from './validate/command';
import { registerAssistant } from './assistant/register';
import type { ValidationReportPanel } from './validate/report';

/** The extension's API, returned from activate() so integration tests can reach the output channel. */
export interface DuckStackApi {
  readonly output: vscode.LogOutputChannel;
  readonly services: ServicesController;
  readonly duckdb: DuckDbController;
  readonly lint: LintController;
  readonly validation: ValidationReportPanel;
  readonly impact: ImpactReportPanel;
  readonly doctor: DoctorReportPanel;
}

export function activate(context: vscode.ExtensionContext): DuckStackApi {
  const output = vscode.window.createOutputChannel('DuckStack', { log: true });
  context.subscriptions.push(output);
  output.info(`DuckStack ${context.extension.packageJSON.version as string} activated`);

  registerCommand(context, output, 'duckstack.showOutput', () => output.show(true));
  registerCommand(context, output, 'duckstack.openGoldenVersions', () => openGoldenVersions());
  registerCommand(context, output, 'duckstack.openFileAt', (target?: FileTarget) => openFileAt(target));
  registerCreateForkCommand(context, output);

  // Every reason a view or the diagnostics refresh (files, settings, folders, visibility) goes through it.
  const refreshManager = new RefreshManager(output);
  context.subscriptions.push(refreshManager);
  const lint = registerLinting(context, output, refreshManager);

  const services = new ServicesController(output, refreshManager);
  context.subscriptions.push(services);
  registerServiceCommands(context, output, services);
  const validation = registerValidateCommand(context, output, services);
  const doctor = registerDiagnoseCommand(context, output, services);
  registerCreateEnvCommand(context, output, services, lint);

  const duckdb = registerDuckDb(context, output, refreshManager);
  const impact = registerImpactCommand(context, output);
  registerUpgradeCommand(context, output);
  registerUpdateCommand(context, output, impact);
  registerAssistant(context, output, services);

  return { output, lint, services, validation, duckdb, impact, doctor };
}

export function deactivate(): void {
  // Everything the extension owns is in context.subscriptions and disposed by VS Code.
}
