// The shell shared by the report panels (validate, doctor, impact): one self-contained page, no
// scripts, styles allowed only by a fresh nonce; links are command URIs that VS Code runs.
import * as crypto from 'node:crypto';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function commandLink(command: string, args: unknown[], label: string): string {
  return `<a href="command:${command}?${encodeURIComponent(JSON.stringify(args))}">${escapeHtml(label)}</a>`;
}

/** A whole page: `style` in a nonce-allowed style element, then `body`. */
export function reportPage(style: string, body: string): string {
  const nonce = crypto.randomBytes(16).toString('base64');
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">
<style nonce="${nonce}">${style}</style></head><body>
${body}
</body></html>`;
}
