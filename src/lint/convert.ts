// The one place where lint findings and fixes become VS Code objects.
import * as vscode from 'vscode';
import type { Finding, Fix, Severity } from '../core/lint/types';
import type { FileKind } from '../core/workspace/classify';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'duckstack';

/** A diagnostic that remembers its finding and its file's kind, so quick fixes need no second lint. */
export class FindingDiagnostic extends vscode.Diagnostic {
  constructor(
    readonly finding: Finding,
    /** As the linter classified the file (COMPOSE_FILE names included). */
    readonly kind: FileKind,
    docs: vscode.Uri,
  ) {
    super(new vscode.Range(finding.line, finding.column, finding.endLine, finding.endColumn), finding.message, SEVERITY[finding.severity]);
    this.source = DIAGNOSTIC_SOURCE;
    this.code = { value: finding.ruleId, target: docs.with({ fragment: finding.ruleId }) };
  }
}

export function toWorkspaceEdit(document: vscode.TextDocument, fixes: readonly Fix[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const fix of fixes) {
    for (const e of fix.edits) {
      edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.text);
    }
  }
  return edit;
}
