import * as vscode from 'vscode';
import { holderText, type LockHolder } from '../core/duckdb/holders';
import type { CatalogNode, DatabaseState, DuckDbCatalogService } from '../core/duckdb/service';
import { qualifiedName } from '../core/duckdb/sql';
import type { DuckDbProblem, DuckDbSchema } from '../core/duckdb/types';

/** The catalog's nodes, plus a failed read and each process using the file, shown as items under its database. */
export type DuckDbTreeNode =
  | CatalogNode
  | { kind: 'problem'; id: string; databasePath: string; problem: DuckDbProblem; state: DatabaseState }
  | { kind: 'holder'; id: string; databasePath: string; holder: LockHolder };

/** contextValue per node kind, for the menus in package.json. */
export const CONTEXT_VALUES = {
  database: 'duckdbDatabase',
  schema: 'duckdbSchema',
  table: 'duckdbTable',
  view: 'duckdbView',
  column: 'duckdbColumn',
  problem: 'duckdbProblem',
  /** A process in a container of a compose project: Show in Platform Services, Show Logs. */
  holderService: 'duckdbHolderService',
  holderProcess: 'duckdbHolderProcess',
} as const;

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** DuckDB creates `main` in every file; an empty one is noise in the tree. */
function visibleSchemas(schemas: DuckDbSchema[]): DuckDbSchema[] {
  return schemas.filter((s) => s.name !== 'main' || s.relations.length > 0);
}

function lockText(problem: DuckDbProblem): string {
  return `locked by ${problem.holder ?? 'another process'}${problem.pid !== undefined ? ` (PID ${problem.pid})` : ''}`;
}

/** "in use by dbt (container platform-dbt-1, PID 4242)", and "+ 1 more" when several hold it. */
export function inUseText(holders: readonly LockHolder[]): string {
  return `in use by ${holderText(holders[0])}${holders.length > 1 ? ` + ${holders.length - 1} more` : ''}`;
}

// What a problem that the next read may clear says in the description.
const WAITING: Partial<Record<DuckDbProblem['kind'], string>> = {
  busy: 'changing, read again soon',
  'too-large': 'too large to copy',
  timeout: 'read timed out',
};

function databaseDescription(state: DatabaseState): string {
  const { database, problem } = state;
  const parts: string[] = database.role === 'unknown' ? [] : [database.role];
  if (!database.exists) parts.push('not created yet');
  else if (database.sizeBytes !== null) parts.push(formatBytes(database.sizeBytes));
  if (state.holders?.length) parts.push(inUseText(state.holders));
  const lastRead = state.stale ? ', showing the last catalog read' : '';
  if (problem?.kind === 'locked') parts.push(lockText(problem) + lastRead);
  else if (problem && WAITING[problem.kind]) parts.push(`${WAITING[problem.kind]}${lastRead}`);
  else if (problem && problem.kind !== 'missing') parts.push(problem.kind === 'query' ? 'cannot be read' : problem.kind.replace('-', ' '));
  return parts.join(' · ');
}

function databaseTooltip(state: DatabaseState): vscode.MarkdownString {
  const { database, problem } = state;
  const md = new vscode.MarkdownString();
  const paragraph = (text: string): void => {
    md.appendText(text);
    md.appendMarkdown('\n\n');
  };
  paragraph(database.role === 'unknown' ? database.name : `${database.name} (${database.role})`);
  paragraph(database.path);
  if (!database.exists && database.missingReason) paragraph(`Not created yet: ${database.missingReason}.`);
  if (state.holders?.length) {
    paragraph(`In use by ${state.holders.map(holderText).join(', ')}. The catalog is read from a snapshot (a private copy), so the writer is never blocked.`);
  }
  if (problem && problem.kind !== 'missing') paragraph(`${problem.cause} ${problem.remedy}`);
  if (state.readAt !== undefined && (state.stale || state.holders?.length)) paragraph(`Catalog as read at ${new Date(state.readAt).toLocaleTimeString()}.`);
  if (state.timing?.source && state.timing.source !== 'original') {
    const kib = ((state.timing.copiedBytes ?? 0) / 1024).toFixed(0);
    paragraph(`Read from a ${state.timing.source === 'clone' ? 'copy-on-write clone' : 'copy'} (${kib} KiB, ${(state.timing.copyMs ?? 0).toFixed(0)} ms); the file itself was never opened.`);
  }
  md.appendMarkdown('Named by:\n');
  for (const source of database.sources) {
    md.appendMarkdown('\n- ');
    md.appendText(source.label);
  }
  return md;
}

function databaseIcon(state: DatabaseState): vscode.ThemeIcon {
  if (state.reading) return new vscode.ThemeIcon('loading~spin');
  if (state.problem?.kind === 'locked') return new vscode.ThemeIcon('lock', new vscode.ThemeColor('list.warningForeground'));
  if (state.problem && WAITING[state.problem.kind]) return new vscode.ThemeIcon('history', new vscode.ThemeColor('list.warningForeground'));
  if (!state.database.exists) return new vscode.ThemeIcon('database', new vscode.ThemeColor('disabledForeground'));
  if (state.problem) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.errorForeground'));
  return new vscode.ThemeIcon('database');
}

/**
 * Maps the catalog service's cache to tree items. The first expansion of a database reads its
 * catalog (open read-only, one query, close); everything below answers from the cache.
 */
export class DuckDbTreeProvider implements vscode.TreeDataProvider<DuckDbTreeNode> {
  private readonly changed = new vscode.EventEmitter<DuckDbTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly service: DuckDbCatalogService,
    /** Resolves once the first discovery has run, so the root never shows an empty list too early. */
    private readonly ready: () => Promise<void>,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  async getChildren(node?: DuckDbTreeNode): Promise<DuckDbTreeNode[]> {
    if (node === undefined) {
      await this.ready();
      return this.service.children();
    }
    if (node.kind === 'problem' || node.kind === 'holder' || node.kind === 'column') return [];
    if (node.kind !== 'database') return this.service.children(node);
    const state = (await this.service.load(node.databasePath)) ?? node.state;
    const children: DuckDbTreeNode[] = (state.holders ?? []).map((holder) => ({ kind: 'holder', id: `${node.id}\0holder:${holder.pid}`, databasePath: node.databasePath, holder }));
    if (state.problem) children.push({ kind: 'problem', id: `${node.id}\0problem`, databasePath: node.databasePath, problem: state.problem, state });
    const shown = new Set(visibleSchemas(state.catalog?.schemas ?? []));
    for (const child of this.service.children(node)) {
      if (child.kind !== 'schema' || shown.has(child.schema)) children.push(child);
    }
    return children;
  }

  getParent(node: DuckDbTreeNode): DuckDbTreeNode | undefined {
    if (node.kind === 'problem' || node.kind === 'holder') {
      const state = this.service.state(node.databasePath);
      return state ? { kind: 'database', id: node.databasePath, databasePath: node.databasePath, state } : undefined;
    }
    return this.service.parent(node);
  }

  getTreeItem(node: DuckDbTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'database': {
        const state = this.service.state(node.databasePath) ?? node.state;
        const item = new vscode.TreeItem(
          state.database.name,
          state.database.exists ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = node.id;
        item.description = databaseDescription(state);
        item.tooltip = databaseTooltip(state);
        item.iconPath = databaseIcon(state);
        item.contextValue = CONTEXT_VALUES.database;
        item.resourceUri = vscode.Uri.file(state.database.path);
        return item;
      }
      case 'schema': {
        const { schema } = node;
        const item = new vscode.TreeItem(schema.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        const tables = schema.relations.filter((r) => r.kind === 'table').length;
        const views = schema.relations.length - tables;
        item.description = [tables > 0 ? plural(tables, 'table') : '', views > 0 ? plural(views, 'view') : ''].filter(Boolean).join(', ') || 'empty';
        if (schema.comment) item.tooltip = schema.comment;
        item.iconPath = new vscode.ThemeIcon('symbol-namespace');
        item.contextValue = CONTEXT_VALUES.schema;
        return item;
      }
      case 'relation': {
        const { relation } = node;
        const item = new vscode.TreeItem(relation.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        const isView = relation.kind === 'view';
        item.description = isView ? 'view' : relation.estimatedRowCount !== null ? `~${relation.estimatedRowCount.toLocaleString('en-US')} rows` : undefined;
        const md = new vscode.MarkdownString();
        md.appendText(`${isView ? 'View' : 'Table'} ${qualifiedName(relation.schema, relation.name)}\n\n`);
        if (relation.comment) md.appendText(`${relation.comment}\n\n`);
        md.appendText(`${plural(relation.columns.length, 'column')}`);
        if (!isView && relation.estimatedRowCount !== null) md.appendText(`, about ${relation.estimatedRowCount.toLocaleString('en-US')} rows (DuckDB's estimate)`);
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon(isView ? 'eye' : 'table');
        item.contextValue = isView ? CONTEXT_VALUES.view : CONTEXT_VALUES.table;
        return item;
      }
      case 'column': {
        const { column } = node;
        const item = new vscode.TreeItem(column.name, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = column.nullable ? column.type : `${column.type} NOT NULL`;
        item.tooltip = [`${column.name} ${item.description}`, column.comment ?? ''].filter(Boolean).join('\n\n');
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = CONTEXT_VALUES.column;
        return item;
      }
      case 'holder': {
        const { holder } = node;
        const item = new vscode.TreeItem(`In use by ${holderText(holder)}`, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = holder.access === 'write' ? 'writing; the catalog below is a snapshot' : 'reading';
        const where = holder.container
          ? `Container ${holder.container.name}${holder.container.project ? ` of compose project ${holder.container.project}` : ''}${holder.container.service ? `, service ${holder.container.service}` : ''}.`
          : holder.containerId
            ? `Container ${holder.containerId.slice(0, 12)} (the Docker engine did not name it).`
            : 'A process on this machine.';
        item.tooltip = `${holder.command}, PID ${holder.pid}, holds a ${holder.access} lock on the file (from the kernel's lock table).\n${where}\n\nDuckStack reads a private copy of the file, so this process is never blocked.`;
        item.iconPath = new vscode.ThemeIcon(holder.container ? 'server-process' : 'terminal', new vscode.ThemeColor('charts.blue'));
        item.contextValue = holder.container?.service && holder.container.projectDir ? CONTEXT_VALUES.holderService : CONTEXT_VALUES.holderProcess;
        return item;
      }
      case 'problem': {
        const { problem, state } = node;
        const item = new vscode.TreeItem(problem.cause, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = problem.remedy;
        const retry = state.retryInMs !== undefined ? `\n\nNext attempt in ${Math.round(state.retryInMs / 1000)} s.` : '';
        item.tooltip = `${problem.cause}\n${problem.remedy}${retry}\n\nDuckDB: ${problem.detail}`;
        item.iconPath =
          problem.kind === 'locked' || WAITING[problem.kind]
            ? new vscode.ThemeIcon(problem.kind === 'locked' ? 'lock' : 'history', new vscode.ThemeColor('list.warningForeground'))
            : new vscode.ThemeIcon(problem.kind === 'missing' ? 'info' : 'error', new vscode.ThemeColor(problem.kind === 'missing' ? 'disabledForeground' : 'list.errorForeground'));
        item.contextValue = CONTEXT_VALUES.problem;
        return item;
      }
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
