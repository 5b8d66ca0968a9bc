import * as path from 'node:path';
import * as vscode from 'vscode';
import { nonOverlappingFixes } from '../core/lint/fix';
import { disableNextLineComment } from '../core/lint/suppress';
import { CREATE_ENV_COMMAND } from '../env/createEnv';
import { applyFixesCommand, needsCommand } from './applyFixes';
import { FIX_APPLIED_COMMAND } from '../walkthrough';
import { DIAGNOSTIC_SOURCE, FindingDiagnostic, toWorkspaceEdit } from './convert';

/**
 * Quick fixes from the findings' own fixes, "disable for this line", and source.fixAll.duckstack.
 * A fix that removes a literal secret runs a command that first keeps the value in .env.
 */
export class LintCodeActionProvider implements vscode.CodeActionProvider {
  static readonly fixAllKind = vscode.CodeActionKind.SourceFixAll.append('duckstack');
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix, LintCodeActionProvider.fixAllKind];

  constructor(private readonly diagnostics: vscode.DiagnosticCollection) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only && LintCodeActionProvider.fixAllKind.contains(context.only)) return this.fixAll(document);
    if (context.only?.contains(vscode.CodeActionKind.SourceFixAll)) return this.fixAll(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || !(diagnostic instanceof FindingDiagnostic)) continue;
      const { finding } = diagnostic;
      if (finding.fix) {
        const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
        // Creating .env is the one Create .env command (the core's create: secrets generated, nothing overwritten).
        if (finding.fix.createEnv) action.command = { title: finding.fix.title, command: CREATE_ENV_COMMAND, arguments: [path.dirname(document.uri.fsPath)] };
        else if (needsCommand([finding.fix])) action.command = applyFixesCommand(finding.fix.title, document, [finding.fix]);
        else {
          action.edit = toWorkspaceEdit(document, [finding.fix]);
          action.command = FIX_APPLIED_COMMAND;
        }
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
      const comment = disableNextLineComment(document.uri.fsPath, diagnostic.kind, finding.ruleId);
      if (comment) {
        const line = document.lineAt(diagnostic.range.start.line);
        const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
        const disable = new vscode.CodeAction(`Disable ${finding.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
        disable.edit = new vscode.WorkspaceEdit();
        disable.edit.insert(document.uri, line.range.start, `${indent}${comment}\n`);
        disable.diagnostics = [diagnostic];
        actions.push(disable);
      }
    }
    const fixable = this.fixableIn(document);
    if (fixable.length > 1) actions.push(...this.fixAll(document, vscode.CodeActionKind.QuickFix));
    return actions;
  }

  /** Findings whose fix edits the document: creating .env is asked for one by one, never part of Fix all. */
  private fixableIn(document: vscode.TextDocument): FindingDiagnostic[] {
    return (this.diagnostics.get(document.uri) ?? []).filter(
      (d): d is FindingDiagnostic => d instanceof FindingDiagnostic && d.finding.fix !== undefined && d.finding.fix.createEnv !== true,
    );
  }

  private fixAll(document: vscode.TextDocument, kind: vscode.CodeActionKind = LintCodeActionProvider.fixAllKind): vscode.CodeAction[] {
    const fixes = nonOverlappingFixes(document.getText(), this.fixableIn(document).map((d) => d.finding.fix).filter((f) => f !== undefined));
    if (fixes.length === 0) return [];
    const action = new vscode.CodeAction('Fix all DuckStack problems', kind);
    // Secrets go to .env before the edit: the command does both, in that order.
    if (needsCommand(fixes)) action.command = applyFixesCommand(action.title, document, fixes);
    else {
      action.edit = toWorkspaceEdit(document, fixes);
      action.command = FIX_APPLIED_COMMAND;
    }
    return [action];
  }
}
