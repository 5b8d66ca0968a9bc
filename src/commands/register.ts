import * as vscode from 'vscode';

/**
 * Registers a command with one error policy: a failure is logged to the output channel and
 * shown once, with a button to open that output, instead of an unhandled rejection.
 */
export function registerCommand(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  id: string,
  handler: (...args: never[]) => unknown,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      try {
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
