// The impact report in a webview: one section per category, each change with its severity,
// migration and links to the files; "Copy as Markdown" puts the pasteable "Migration" text on the
// clipboard. No scripts: links are command URIs VS Code runs.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandLink, escapeHtml, fileLink, REPORT_LINK_COMMANDS, reportPage } from '../webview/page';
import { CATEGORY_TITLES, formatMarkdown, summary, type ImpactCategory, type ImpactReport } from '../core/impact';

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; }
h1 { font-size: 1.3em; margin: 12px 0 2px; }
.meta { color: var(--vscode-descriptionForeground); margin-bottom: 12px; }
h2 { font-size: 1.05em; margin: 18px 0 6px; }
ul { padding-left: 0; list-style: none; }
li { border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 6px 0; }
.severity { display: inline-block; min-width: 5.5em; font-weight: bold; }
.error .severity, .breaking .severity { color: var(--vscode-errorForeground); }
.warning .severity { color: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow)); }
.info .severity { color: var(--vscode-descriptionForeground); }
.migration, .files { margin: 2px 0 0 5.5em; }
code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background); padding: 0 2px; }
a { color: var(--vscode-textLink-foreground); }
`;

/** The report's markdown subset: code spans and bold. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

export function impactHtml(report: ImpactReport, dir: string): string {
  const sections: string[] = [];
  let category: ImpactCategory | undefined;
  let items: string[] = [];
  const flush = (): void => {
    if (category) sections.push(`<h2>${escapeHtml(CATEGORY_TITLES[category])}</h2><ul>${items.join('')}</ul>`);
    items = [];
  };
  for (const item of report.items) {
    if (item.category !== category) {
      flush();
      category = item.category;
    }
    const files = item.files.map((f) => fileLink(path.join(dir, ...f.split('/')), undefined, f));
    items.push(
      `<li class="${item.severity}"><span class="severity">${item.severity}</span> ${inline(item.change)}` +
        `<div class="migration">Migration: ${inline(item.migration)}</div>` +
        (files.length > 0 ? `<div class="files">Files: ${files.join(', ')}</div>` : '') +
        '</li>',
    );
  }
  flush();
  const problems = report.problems.length > 0 ? `<h2>Not compared</h2><ul>${report.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>` : '';
  return reportPage(STYLE, `<h1>Impact of changes</h1>
<div class="meta">${escapeHtml(report.before)} → ${escapeHtml(report.after)} · ${escapeHtml(summary(report))} · ${commandLink('duckstack.impact.copyMarkdown', [], 'Copy as Markdown')}</div>
${sections.join('\n')}${problems}`);
}

/** One report panel, reused by each run. */
export class ImpactReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: { report: ImpactReport; dir: string } | undefined;

  /** The report shown last (tests read it; it is what the webview renders). */
  get shown(): ImpactReport | undefined {
    return this.last?.report;
  }

  /** The shown report as markdown, ready to paste as "Migration". */
  markdown(): string | undefined {
    return this.last && formatMarkdown(this.last.report);
  }

  show(report: ImpactReport, dir: string, title = 'Impact of Changes'): void {
    this.last = { report, dir };
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('duckstack.impact', title, vscode.ViewColumn.Active, {
        enableScripts: false,
        enableCommandUris: [...REPORT_LINK_COMMANDS, 'duckstack.impact.copyMarkdown'],
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    }
    this.panel.title = title;
    this.panel.webview.html = impactHtml(report, dir);
    this.panel.reveal();
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
