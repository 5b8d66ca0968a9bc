import * as vscode from 'vscode';
import { escapeHtml, fileLink, REPORT_LINK_COMMANDS, reportPage, serviceLinks } from '../webview/page';
import { GROUP_TITLE, STATUS_MARK, groupChecks } from '../core/validate/format';
import type { Check, ValidationReport } from '../core/validate';

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
h1 { font-size: 1.3em; margin: 12px 0 2px; }
.meta { color: var(--vscode-descriptionForeground); margin-bottom: 12px; }
h2 { font-size: 1.05em; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td { border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 4px 8px; vertical-align: top; }
td.mark { width: 1.5em; font-weight: bold; text-align: center; }
tr.pass td.mark { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
tr.fail td.mark { color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground)); }
tr.not-checked td.mark { color: var(--vscode-descriptionForeground); }
td.title { font-weight: 600; width: 34%; }
.reason { margin: 0; }
pre { margin: 4px 0 0; white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-descriptionForeground); }
a { color: var(--vscode-textLink-foreground); }
`;

function links(check: Check, report: ValidationReport): string {
  const out: string[] = [];
  if (check.file) {
    const label = `${vscode.workspace.asRelativePath(check.file)}${check.line === undefined ? '' : `:${check.line + 1}`}`;
    out.push(fileLink(check.file, check.line, label));
  }
  if (check.service) out.push(...serviceLinks(report.dir, check.service));
  return out.join(' · ');
}

/** The report as one self-contained page: no scripts; links are command URIs VS Code runs. */
export function reportHtml(report: ValidationReport): string {
  const { passed, failed, notChecked } = report.summary;
  const sections = groupChecks(report.checks).map(({ group, checks }) => {
    const rows = checks.map((check) => {
      const evidence = check.evidence.length > 0 ? `<pre>${escapeHtml(check.evidence.join('\n'))}</pre>` : '';
      const linkHtml = links(check, report);
      return `<tr class="${check.status}" data-check="${escapeHtml(check.id)}"><td class="mark" title="${check.status}">${STATUS_MARK[check.status]}</td><td class="title">${escapeHtml(check.title)}</td><td><p class="reason">${escapeHtml(check.reason)}</p>${evidence}${linkHtml ? `<div>${linkHtml}</div>` : ''}</td></tr>`;
    });
    return `<h2>${escapeHtml(GROUP_TITLE[group])}</h2><table>${rows.join('')}</table>`;
  });
  return reportPage(STYLE, `<h1>Platform validation: ${report.ok ? 'passed' : 'failed'}</h1>
<div class="meta">${escapeHtml(report.project ?? report.dir)} · ${passed} passed, ${failed} failed, ${notChecked} not checked · ${(report.durationMs / 1000).toFixed(1)} s${report.restarted ? ' · after a full restart' : ''}</div>
${sections.join('\n')}`);
}

/** One report panel, reused by each run. */
export class ValidationReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: ValidationReport | undefined;

  /** The report shown last (tests read it; it is what the webview renders). */
  get shown(): ValidationReport | undefined {
    return this.last;
  }

  show(report: ValidationReport): void {
    this.last = report;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('duckstack.validation', 'Platform Validation', vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: [...REPORT_LINK_COMMANDS],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    }
    this.panel.title = `Platform Validation: ${report.ok ? 'passed' : 'failed'}`;
    this.panel.webview.html = reportHtml(report);
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
