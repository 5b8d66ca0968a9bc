// *DuckStack: Create .env from .env.example*: the core's createEnvFromExample for a folder (a
// compose project's, or one picked), said in a notification with names only, never values. The
// lint quick fix, a failed Start's button and the diagnosis report all run this command.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { createEnvFromExample, describeCreatedEnv, EXAMPLE_NAMES, type CreateEnvResult } from '../core/env/create';
import type { LintController } from '../lint/controller';
import type { ServicesController } from '../services/controller';

export const CREATE_ENV_COMMAND = 'duckstack.env.create';

/** Creates dir/.env and says what happened; resolves to the result (tests read it). */
export async function createEnvIn(dir: string, output: vscode.LogOutputChannel, lint: LintController): Promise<CreateEnvResult> {
  const created = await createEnvFromExample(dir);
  // compose-env-missing and the variables' values change with it.
  if (created.ok) lint.contextFileWritten(vscode.Uri.file(created.envFile));
  if (!created.ok) {
    output.warn(created.reason);
    void vscode.window.showWarningMessage(`DuckStack: ${created.reason}`);
    return created;
  }
  const said = describeCreatedEnv(created);
  output.info(`${created.envFile}: ${said}`);
  if (created.gitignore) output.info(created.gitignore);
  void vscode.window.showInformationMessage(`DuckStack: ${said} Check the other values, then start the platform.`, 'Open .env').then(async (choice) => {
    if (choice === 'Open .env') await vscode.window.showTextDocument(vscode.Uri.file(created.envFile));
  });
  return created;
}

function hasExample(dir: string): boolean {
  return EXAMPLE_NAMES.some((n) => fs.existsSync(path.join(dir, n)));
}

/** The folders that could get a .env: compose projects' and workspace folders with an example and no .env yet. */
async function candidates(services: ServicesController): Promise<string[]> {
  const dirs = [...(await services.getProjects()).map((p) => p.dir), ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath)];
  return [...new Set(dirs)].filter((d) => hasExample(d) && !fs.existsSync(path.join(d, '.env')));
}

export function registerCreateEnvCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, services: ServicesController, lint: LintController): void {
  registerCommand(context, output, CREATE_ENV_COMMAND, async (arg?: string | vscode.Uri): Promise<CreateEnvResult | undefined> => {
    let dir = typeof arg === 'string' ? arg : arg instanceof vscode.Uri ? arg.fsPath : undefined;
    if (dir !== undefined && !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) dir = path.dirname(dir);
    if (dir === undefined) {
      const found = await candidates(services);
      if (found.length === 0) {
        void vscode.window.showInformationMessage(`DuckStack: no folder of this workspace has ${EXAMPLE_NAMES.join(', ')} without a .env beside it.`);
        return undefined;
      }
      dir = found.length === 1
        ? found[0]
        : (await vscode.window.showQuickPick(found.map((d) => ({ label: vscode.workspace.asRelativePath(d), dir: d })), { placeHolder: 'Create .env in which folder?' }))?.dir;
      if (dir === undefined) return undefined;
    }
    return createEnvIn(dir, output, lint);
  });
}
