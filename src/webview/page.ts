// The shell shared by the webview panels (validate, doctor, impact reports and the DuckDB preview): one self-contained page, no
// scripts, styles allowed only by a fresh nonce; links are command URIs that VS Code runs.
import * as crypto from 'node:crypto';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function commandLink(command: string, args: unknown[], label: string): string {
  return `<a href="command:${command}?${encodeURIComponent(JSON.stringify(args))}">${escapeHtml(label)}</a>`;
}

/** A link that opens `file` at a 0-based line (duckstack.openFileAt, which every report panel enables). */
export function fileLink(file: string, line: number | undefined, label: string): string {
  return commandLink('duckstack.openFileAt', [{ file, ...(line === undefined ? {} : { line }) }], label);
}

/** The links a report gives for a service: its logs (following it) and its row in Platform Services, selected. */
export function serviceLinks(projectDir: string, service: string): string[] {
  const target = [{ projectDir, service }];
  return [commandLink('duckstack.service.logs', target, 'logs'), commandLink('duckstack.service.reveal', target, 'show in Platform Services')];
}

/** The commands the report panels' links run. */
export const REPORT_LINK_COMMANDS: readonly string[] = ['duckstack.openFileAt', 'duckstack.service.logs', 'duckstack.service.reveal'];

/** A whole page: `style` in a nonce-allowed style element, then `body`; `title` names the document. */
export function reportPage(style: string, body: string, title?: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">${title === undefined ? '' : `<title>${escapeHtml(title)}</title>`}
<style nonce="${nonce}">${style}</style></head><body>
${body}
</body></html>`;
}
