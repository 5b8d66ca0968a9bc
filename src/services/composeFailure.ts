// A failed compose call in the editor: the cause and remedy in plain words, with the actions
// that fit it as buttons. Compose's raw output stays one click away (Show Compose Output).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComposeAction, ComposeFailure } from '../core/docker/compose-failure';

interface Button {
  label: string;
  run: () => Promise<unknown>;
}

async function openAt(file: string, line?: number): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const at = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at) });
}

/** The line (1-based) where .env sets `variable`, if it does. */
function lineOf(file: string, variable: string): number | undefined {
  try {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    const i = lines.findIndex((l) => new RegExp(`^\\s*(?:export\\s+)?${variable}\\s*=`).test(l));
    return i < 0 ? undefined : i + 1;
  } catch {
    return undefined;
  }
}

interface Handlers {
  showOutput: () => void;
  /** Runs *Diagnose Service* on one service, or on every one not running and healthy. */
  diagnose: (service?: string) => Thenable<unknown>;
}

function button(action: ComposeAction, dir: string, handlers: Handlers): Button | undefined {
  switch (action.kind) {
    case 'create-env':
      // The one Create .env command: the core's create, said with names only.
      return { label: 'Create .env from .env.example', run: async () => vscode.commands.executeCommand('duckstack.env.create', dir) };
    case 'diagnose':
      return { label: action.service ? `Diagnose ${action.service}` : 'Diagnose', run: async () => handlers.diagnose(action.service) };
    case 'open-env': {
      const env = path.join(dir, '.env');
      if (!fs.existsSync(env)) return undefined;
      return { label: `Open .env at ${action.variable}`, run: () => openAt(env, lineOf(env, action.variable)) };
    }
    case 'open-file':
      return { label: `Open ${path.basename(action.file)}${action.line ? ` line ${action.line}` : ''}`, run: () => openAt(action.file, action.line) };
    case 'show-output':
      return { label: 'Show Compose Output', run: async () => handlers.showOutput() };
    default:
      return undefined;
  }
}

/**
 * Shows the failure as an error notification, Diagnose always among its buttons; resolves once
 * the user picked a button or closed it.
 */
export async function showComposeFailure(title: string, failure: ComposeFailure, dir: string, handlers: Handlers): Promise<void> {
  const buttons = failure.actions.map((a) => button(a, dir, handlers)).filter((b): b is Button => b !== undefined);
  if (!buttons.some((b) => b.label.startsWith('Diagnose'))) {
    buttons.unshift({ label: failure.service ? `Diagnose ${failure.service}` : 'Diagnose', run: async () => handlers.diagnose(failure.service) });
  }
  if (!buttons.some((b) => b.label === 'Show Compose Output')) buttons.push({ label: 'Show Compose Output', run: async () => handlers.showOutput() });
  const choice = await vscode.window.showErrorMessage(`DuckStack: ${title} failed. ${failure.cause} ${failure.remedy}`, ...buttons.map((b) => b.label));
  await buttons.find((b) => b.label === choice)?.run();
}
