// The walkthrough's steps are ticked by what the user did, not by a link clicked: each of these
// context keys is a step's completion event (package.json, "completionEvents": ["onContext:…"]).
import * as vscode from 'vscode';

export const WALKTHROUGH_DONE = {
  /** A fork was written by Create Platform Fork. */
  forkCreated: 'duckstack.walkthrough.forkCreated',
  /** Start Platform (or Restart Platform) brought a compose project up. */
  platformStarted: 'duckstack.walkthrough.platformStarted',
  /** A DuckStack quick fix or Fix all was applied. */
  fixApplied: 'duckstack.walkthrough.fixApplied',
} as const;

export function markWalkthroughStep(key: (typeof WALKTHROUGH_DONE)[keyof typeof WALKTHROUGH_DONE]): void {
  void vscode.commands.executeCommand('setContext', key, true);
}

/** A code action's command that ticks "Fix warnings as you edit" once the action's edit is applied. */
export const FIX_APPLIED_COMMAND: vscode.Command = { title: 'Fix applied', command: 'setContext', arguments: [WALKTHROUGH_DONE.fixApplied, true] };
