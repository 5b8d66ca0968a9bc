import * as vscode from 'vscode';

export interface CommandOptions {
  /**
   * The command runs programs or containers the workspace's files define (Docker, compose): in
   * an untrusted workspace it does not run, and says why, with a way to trust the workspace.
   */
  requiresTrust?: boolean;
}

/** Docker and compose act on the user's machine: only in a trusted workspace. */
async function workspaceTrusted(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    'DuckStack: Docker and compose actions are disabled in an untrusted workspace, because they run programs and containers defined by its files. Trust the workspace to use them.',
    'Manage Workspace Trust',
  );
  if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/**
 * Registers a command the one way every DuckStack command is registered: disposed with the
 * extension (context.subscriptions), each run logged to the output channel, the workspace-trust
 * precondition for Docker actions, and one error policy: a failure is logged and shown once, with
 * a button to open that output, instead of an unhandled rejection.
 */
export function registerCommand(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  id: string,
  handler: (...args: never[]) => unknown,
  options: CommandOptions = {},
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      output.debug(`command ${id}`);
      try {
        if (options.requiresTrust && !(await workspaceTrusted())) return undefined;
        return await handler(...args);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        output.error(`${id}: ${message}`);
        // Not awaited: the command completes while the message waits for the user.
        void vscode.window.showErrorMessage(`DuckStack: ${message}`, 'Show Output').then((choice) => {
          if (choice === 'Show Output') output.show(true);
        });
        return undefined;
      }
    }),
  );
}
