// Fixes that remove a literal secret cannot be a plain WorkspaceEdit: the value must first be kept
// in the .env beside the file (the core's storeSecrets, one atomic write). Their code actions run
// this command, which stores the secrets, then applies the fixes whose secrets are safe in .env.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { markWalkthroughStep, WALKTHROUGH_DONE } from '../walkthrough';
import { secretsKept, storeSecrets } from '../core/lint/envSecrets';
import type { Fix } from '../core/lint/types';
import { toWorkspaceEdit } from './convert';

export const APPLY_FIXES_COMMAND = 'duckstack.lint.applyFixesWithSecrets';

/** The command a code action runs for fixes that move secrets; they were computed on `version`. */
export function applyFixesCommand(title: string, document: vscode.TextDocument, fixes: Fix[]): vscode.Command {
  return { title, command: APPLY_FIXES_COMMAND, arguments: [document.uri, document.version, fixes] };
}

export function needsCommand(fixes: readonly Fix[]): boolean {
  return fixes.some((f) => (f.secrets?.length ?? 0) > 0);
}

/** Returns whether the fixes were applied (all of them, or those whose secrets could be kept). */
export async function applyFixesWithSecrets(output: vscode.LogOutputChannel, uri: vscode.Uri, version: number, fixes: Fix[]): Promise<boolean> {
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.version !== version) {
    void vscode.window.showWarningMessage('DuckStack: the file changed since the fix was offered; nothing was changed. Try the fix again.');
    return false;
  }
  const envFile = path.join(path.dirname(uri.fsPath), '.env');
  const kept = await storeSecrets(envFile, fixes.flatMap((f) => f.secrets ?? []), path.basename(uri.fsPath));
  if (kept.added.length > 0) output.info(`Moved ${kept.added.join(', ')} from ${uri.fsPath} to ${envFile}.`);
  if (kept.gitignore) output.info(kept.gitignore);
  for (const r of kept.refused) output.warn(`${r.name} was left in ${uri.fsPath}: ${r.reason}.`);
  if (kept.refused.length > 0) {
    void vscode.window.showWarningMessage(`DuckStack: ${kept.refused.map((r) => `${r.name} was left in place: ${r.reason}.`).join(' ')}`);
  }
  const accepted = fixes.filter((f) => secretsKept(kept.stored, f.secrets));
  if (accepted.length === 0) return false;
  const applied = await vscode.workspace.applyEdit(toWorkspaceEdit(document, accepted));
  if (applied) markWalkthroughStep(WALKTHROUGH_DONE.fixApplied);
  return applied;
}
