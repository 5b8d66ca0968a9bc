import * as vscode from 'vscode';
import * as path from 'node:path';
import { commandLink, escapeHtml, fileLink, REPORT_LINK_COMMANDS, reportPage, serviceLinks } from '../webview/page';
import type { ComposeAction } from '../core/docker/compose-failure';
import { FINDING_MARK } from '../core/doctor';
import type { DoctorReport, ServiceDiagnosis } from '../core/doctor';

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
h1 { font-size: 1.3em; margin: 12px 0 2px; }
.meta { color: var(--vscode-descriptionForeground); margin-bottom: 12px; }
h2 { font-size: 1.05em; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td { border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 4px 8px; vertical-align: top; }
td.mark { width: 1.5em; font-weight: bold; text-align: center; }
tr.fine td.mark { color: var(--vscode-testing-iconPassed, var(--vscode-charts-green)); }
tr.found td.mark { color: var(--vscode-testing-iconFailed, var(--vscode-errorForeground)); }
tr.not-checked td.mark { color: var(--vscode-descriptionForeground); }
td.area { font-weight: 600; width: 8em; }
.reason, .action { margin: 0; }
.action { margin-top: 4px; }
.note { color: var(--vscode-errorForeground); }
pre { margin: 4px 0 0; white-space: pre-wrap; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-descriptionForeground); }
a { color: var(--vscode-textLink-foreground); }
`;

const AREA_TITLE: Record<string, string> = {
  state: 'State',
  health: 'Health',
  logs: 'Logs',
  dependencies: 'Dependencies',
  ports: 'Ports',
  environment: 'Environment',
  image: 'Image',
  duckdb: 'DuckDB',
  versions: 'Versions',
};

/** A next action as a link of the report (the others are the notification's, not the report's). */
function nextLink(action: ComposeAction, report: DoctorReport): string[] {
  if (action.kind === 'create-env') return [commandLink('duckstack.env.create', [report.dir], 'Create .env from .env.example')];
  // The action's line is 1-based; openFileAt's is 0-based.
  if (action.kind === 'open-file') return [fileLink(action.file, action.line === undefined ? undefined : action.line - 1, `Open ${path.basename(action.file)}${action.line === undefined ? '' : ` line ${action.line}`}`)];
  return [];
}

function serviceSection(s: ServiceDiagnosis, report: DoctorReport): string {
  const rows = s.findings.map((f) => {
    const evidence = f.evidence.length > 0 ? `<pre>${escapeHtml(f.evidence.join('\n'))}</pre>` : '';
    const next = (f.next ?? []).flatMap((a) => nextLink(a, report));
    const action = f.action ? `<p class="action">→ ${escapeHtml(f.action)}${next.length > 0 ? ` ${next.join(' · ')}` : ''}</p>` : '';
    return `<tr class="${f.status}" data-area="${f.area}"><td class="mark" title="${f.status}">${FINDING_MARK[f.status]}</td><td class="area">${escapeHtml(AREA_TITLE[f.area] ?? f.area)}</td><td><p class="reason">${escapeHtml(f.reason)}</p>${evidence}${action}</td></tr>`;
  });
  const links = serviceLinks(report.dir, s.service).join(' · ');
  return `<h2 data-service="${escapeHtml(s.service)}">${escapeHtml(s.service)} — ${escapeHtml(s.state)}</h2><div>${links}</div><table>${rows.join('')}</table>`;
}

/** The report as one self-contained page: no scripts; links are command URIs VS Code runs. */
export function doctorHtml(report: DoctorReport): string {
  const found = report.services.filter((s) => s.problem).length;
  const notes = report.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('');
  const empty = report.services.length === 0 && report.notes.length === 0 ? '<p>Every service is running and healthy: nothing to diagnose.</p>' : '';
  return reportPage(STYLE, `<h1>Diagnosis: ${report.ok ? 'nothing found' : `problems in ${found} service${found === 1 ? '' : 's'}`}</h1>
<div class="meta">${escapeHtml(report.project ?? report.dir)}</div>
${notes}${empty}
${report.services.map((s) => serviceSection(s, report)).join('\n')}`);
}

/** One diagnosis panel, reused by each run. */
export class DoctorReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: DoctorReport | undefined;

  /** The report shown last (tests read it; it is what the webview renders). */
  get shown(): DoctorReport | undefined {
    return this.last;
  }

  /** The page shown last. */
  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  show(report: DoctorReport, title: string): void {
    this.last = report;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('duckstack.doctor', title, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: [...REPORT_LINK_COMMANDS, 'duckstack.env.create'],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    }
    this.panel.title = title;
    this.panel.webview.html = doctorHtml(report);
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
