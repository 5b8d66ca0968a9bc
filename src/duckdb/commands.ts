import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { qualifiedName, quoteIdentifier, selectSnippet } from '../core/duckdb/sql';
import type { DuckDbRelation } from '../core/duckdb/types';
import type { DuckDbController } from './controller';
import { formatBytes, type DuckDbTreeNode } from './tree';

type RelationNode = Extract<DuckDbTreeNode, { kind: 'relation' }>;

function requireRelation(node: DuckDbTreeNode | undefined): RelationNode {
  if (node?.kind !== 'relation') throw new Error('choose a table or view in the DuckDB view.');
  return node;
}

/** The text to copy for a node: schema, schema.table, or schema.table.column, quoted where DuckDB needs it. */
export function qualifiedNameOf(node: DuckDbTreeNode): string {
  switch (node.kind) {
    case 'schema':
      return quoteIdentifier(node.schema.name);
    case 'relation':
      return qualifiedName(node.relation.schema, node.relation.name);
    case 'column':
      return `${qualifiedName(node.relation.schema, node.relation.name)}.${quoteIdentifier(node.column.name)}`;
    default:
      throw new Error('choose a schema, table, view or column in the DuckDB view.');
  }
}

export function selectFor(relation: DuckDbRelation, limit: number): string {
  return selectSnippet(relation.schema, relation.name, relation.columns.map((c) => c.name), limit);
}

export function registerDuckDbCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, controller: DuckDbController): void {
  const reg = (id: string, handler: (node?: DuckDbTreeNode) => unknown): void =>
    registerCommand(context, output, id, (node?: DuckDbTreeNode) => handler(node));

  const copy = async (text: string, what: string): Promise<void> => {
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`Copied ${what}`, 3000);
  };

  reg('duckstack.duckdb.refresh', (node) => controller.refresh(node?.databasePath));

  // A database in use by a process in a compose container: that service in the Platform Services view, or its logs.
  const holderService = (node?: DuckDbTreeNode): { projectDir: string; service: string } => {
    const container = node?.kind === 'holder' ? node.holder.container : undefined;
    if (!container?.projectDir || !container.service) throw new Error('choose an "in use by" item of a compose service in the DuckDB view.');
    return { projectDir: container.projectDir, service: container.service };
  };
  reg('duckstack.duckdb.showHolderService', (node) => vscode.commands.executeCommand('duckstack.service.reveal', holderService(node)));
  reg('duckstack.duckdb.showHolderLogs', (node) => vscode.commands.executeCommand('duckstack.service.logs', holderService(node)));

  reg('duckstack.duckdb.previewTable', async (node) => {
    const { databasePath, relation } = requireRelation(node);
    await controller.previewRelation(databasePath, relation);
  });

  reg('duckstack.duckdb.copyQualifiedName', async (node) => {
    if (!node) throw new Error('choose a schema, table, view or column in the DuckDB view.');
    const name = qualifiedNameOf(node);
    await copy(name, name);
  });

  reg('duckstack.duckdb.copySelect', async (node) => {
    const { relation } = requireRelation(node);
    const limit = vscode.workspace.getConfiguration('duckstack').get<number>('duckdb.previewRowLimit', 100);
    await copy(selectFor(relation, limit), `SELECT for ${qualifiedName(relation.schema, relation.name)}`);
  });

  reg('duckstack.duckdb.runSql', async (node) => {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    if (!editor || !document || (document.languageId !== 'sql' && !document.fileName.endsWith('.sql'))) {
      throw new Error('open a .sql file (or select part of one) to run it read-only against a DuckDB database.');
    }
    const selected = editor.selections.filter((s) => !s.isEmpty).map((s) => document.getText(s));
    const sql = selected.length > 0 ? selected.join(';\n') : document.getText();
    if (sql.trim() === '') throw new Error(`${path.basename(document.fileName)} is empty: nothing to run.`);
    const databasePath = node?.databasePath ?? (await pickDatabase(controller));
    if (!databasePath) return;
    const origin = `${path.basename(document.fileName)}${selected.length > 0 ? ' (selection)' : ''}`;
    await controller.runQuery(databasePath, sql, origin);
  });
}

/** The database a query runs against: the only existing one, or one the user picks. */
async function pickDatabase(controller: DuckDbController): Promise<string | undefined> {
  const existing = (await controller.databases()).filter((d) => d.exists);
  if (existing.length === 0) throw new Error('no DuckDB database file exists in this workspace yet.');
  if (existing.length === 1) return existing[0].path;
  const picked = await vscode.window.showQuickPick(
    existing.map((d) => ({
      label: d.name,
      description: [d.role === 'unknown' ? '' : d.role, d.sizeBytes !== null ? formatBytes(d.sizeBytes) : ''].filter(Boolean).join(' · '),
      detail: vscode.workspace.asRelativePath(d.path),
      path: d.path,
    })),
    { placeHolder: 'Run read-only against which database?' },
  );
  return picked?.path;
}
