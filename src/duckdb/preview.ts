import * as vscode from 'vscode';
import type { QueryOutcome, ReadTiming } from '../core/duckdb/types';
import { escapeHtml, reportPage } from '../webview/page';

/** What the preview shows: a table's first rows or a statement's result, and where it came from. */
export interface PreviewContent {
  /** Panel title, e.g. "raw.orders" or "report.sql". */
  title: string;
  /** One line under the title: the database and what was run. */
  subtitle: string;
  outcome: QueryOutcome;
  /** The row limit the read used, to say why a result stops. */
  limit: number;
}

/**
 * One read-only results panel, reused for every preview and query: a grid with the column names
 * and types, in the theme's colours. No scripts run in it; the values arrive as escaped HTML.
 */
export class DuckDbPreview implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private current: PreviewContent | undefined;

  /** The content shown last (tests read it; it is what the webview renders). */
  get shown(): PreviewContent | undefined {
    return this.current;
  }

  /** Shows content in the panel, creating it in `column` (a query's results go beside its editor). */
  show(content: PreviewContent, column: vscode.ViewColumn = vscode.ViewColumn.Active): void {
    this.current = content;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('duckstack.duckdbPreview', '', { viewColumn: column, preserveFocus: column === vscode.ViewColumn.Beside }, {
        enableScripts: false,
        enableFindWidget: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
    } else {
      this.panel.reveal(undefined, column === vscode.ViewColumn.Beside);
    }
    this.panel.title = `DuckDB: ${content.title}`;
    this.panel.webview.html = renderPreview(content);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 12px 12px; }
header { position: sticky; top: 0; background: var(--vscode-editor-background); padding: 8px 0; z-index: 2; }
h1 { font-size: 1.1em; margin: 0 0 2px; font-weight: 600; }
.meta { color: var(--vscode-descriptionForeground); }
table { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); }
th, td { border: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border)); padding: 2px 8px; text-align: left; vertical-align: top; white-space: pre; max-width: 48em; overflow: hidden; text-overflow: ellipsis; }
thead th { position: sticky; top: 52px; background: var(--vscode-editorWidget-background, var(--vscode-editor-background)); }
th .type { display: block; font-weight: normal; color: var(--vscode-descriptionForeground); }
td.rownum { color: var(--vscode-editorLineNumber-foreground); text-align: right; }
tbody tr:nth-child(even) { background: var(--vscode-list-hoverBackground); }
.null { color: var(--vscode-descriptionForeground); font-style: italic; }
.problem { border-left: 3px solid var(--vscode-errorForeground); padding: 4px 10px; }
.problem.locked, .problem.busy, .problem.timeout, .problem.cancelled, .problem.too-large { border-left-color: var(--vscode-editorWarning-foreground); }
pre { white-space: pre-wrap; color: var(--vscode-descriptionForeground); }
`;

/** Where the rows came from: a snapshot, and what it cost, or the original (large files only). */
function sourceText(timing: ReadTiming): string {
  if (timing.source === 'original') return `read from the file itself, held ${timing.heldMs.toFixed(0)} ms`;
  const kind = timing.source === 'clone' ? 'clone' : 'copy';
  return `snapshot (${kind} of ${((timing.copiedBytes ?? 0) / 1024).toFixed(0)} KiB in ${(timing.copyMs ?? 0).toFixed(0)} ms; the file itself was not opened)`;
}

export function renderPreview(content: PreviewContent): string {
  const { outcome } = content;
  let body: string;
  let meta: string;
  if (outcome.ok) {
    const { columns, rows, truncated } = outcome.result;
    const head = `<tr><th>#</th>${columns.map((c) => `<th>${escapeHtml(c.name)}<span class="type">${escapeHtml(c.type)}</span></th>`).join('')}</tr>`;
    const cells = rows
      .map((row, i) => `<tr><td class="rownum">${i + 1}</td>${row.map((v) => (v === null ? '<td class="null">NULL</td>' : `<td>${escapeHtml(v)}</td>`)).join('')}</tr>`)
      .join('\n');
    body = columns.length === 0 ? '<p>The statement returned no result set.</p>' : `<table><thead>${head}</thead><tbody>\n${cells}\n</tbody></table>`;
    const { cutRows, cutRowsExact } = outcome.result;
    const cut = cutRowsExact ? `${cutRows.toLocaleString('en-US')} more row${cutRows === 1 ? '' : 's'} not shown` : `more than ${cutRows.toLocaleString('en-US')} more rows not shown`;
    const count = truncated ? `first ${rows.length} rows (limit ${content.limit}; ${cut})` : `${rows.length} row${rows.length === 1 ? '' : 's'}`;
    meta = `${count} · read-only · ${sourceText(outcome.timing)}`;
  } else {
    const { problem } = outcome;
    body = `<div class="problem ${problem.kind}" role="alert"><p><strong>${escapeHtml(problem.cause)}</strong></p><p>${escapeHtml(problem.remedy)}</p><pre>${escapeHtml(problem.detail)}</pre></div>`;
    meta = 'read-only · nothing was changed';
  }
  return reportPage(
    STYLE,
    `<header><h1>${escapeHtml(content.title)}</h1><div class="meta">${escapeHtml(content.subtitle)} · ${escapeHtml(meta)}</div></header>
${body}`,
    content.title,
  );
}
