// The one place where lint findings and fixes become VS Code objects.
import * as vscode from 'vscode';
import type { Finding, Fix, Severity } from '../core/lint/types';

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export const DIAGNOSTIC_SOURCE = 'duckstack';

/** A diagnostic that remembers its finding, so quick fixes need no second lint. */
export class FindingDiagnostic extends vscode.Diagnostic {
  constructor(
    readonly finding: Finding,
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

/** Fixes whose edits do not overlap each other, in document order: what "fix all" can apply in one go. */
export function nonOverlappingFixes(fixes: readonly Fix[]): Fix[] {
  const sorted = [...fixes].sort((a, b) => Math.min(...a.edits.map((e) => e.start)) - Math.min(...b.edits.map((e) => e.start)));
  const taken: Array<[number, number]> = [];
  const chosen: Fix[] = [];
  for (const fix of sorted) {
    const overlaps = fix.edits.some((e) => taken.some(([s, t]) => e.start < t && s < e.end || (e.start === e.end && e.start === s)));
    if (overlaps) continue;
    for (const e of fix.edits) taken.push([e.start, e.end]);
    chosen.push(fix);
  }
  return chosen;
}
