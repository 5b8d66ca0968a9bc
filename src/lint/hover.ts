import * as path from 'node:path';
import * as vscode from 'vscode';
import { fileKind } from '../core/lint/engine';
import { goldenReferenceAt } from '../core/golden/reference';
import type { LintController } from './controller';

/** Hover on an image tag, a FROM or a pinned requirement: the golden version and its row. */
export class GoldenHoverProvider implements vscode.HoverProvider {
  constructor(private readonly lint: LintController) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const context = await this.lint.contextFor(document.uri);
    const kind = fileKind(context, document.uri.fsPath);
    if (!kind || !context.golden.file) return undefined;
    const found = goldenReferenceAt(document.getText(), kind, document.offsetAt(position), context.golden);
    if (!found) return undefined;
    const { entry } = found;
    const md = new vscode.MarkdownString();
    const row = vscode.Uri.file(entry.file).with({ fragment: `L${entry.line + 1}` });
    md.appendMarkdown(`**${entry.tool}**: golden version \`${entry.version}\``);
    if (found.version !== undefined) md.appendMarkdown(found.matches ? ' ✓ matches' : ` (this file: \`${found.version}\`)`);
    md.appendMarkdown(`\n\n[${path.basename(entry.file)}, line ${entry.line + 1}](${row.toString()})`);
    return new vscode.Hover(md, new vscode.Range(document.positionAt(found.start), document.positionAt(found.end)));
  }
}
