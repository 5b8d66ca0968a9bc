import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import { selectSnippet } from '../../src/core/duckdb/sql';
import type { DuckDbTreeNode } from '../../src/duckdb/tree';
import { createDatabase, FIXTURE_SQL, holdLock, tempDir } from '../unit/duckdb/support';
import { poll } from './poll';

// The suite's workspace is test/fixtures/workspace; the databases live in a temp folder and reach
// the extension through the user-level duckstack.databases setting (absolute paths), which sits in
// the test's own VS Code profile, so nothing is written into the repository.

/** Resolves once probe() returns a value, re-checking on every change of the DuckDB model. */
function waitFor<T>(api: DuckStackApi, probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = async (): Promise<void> => {
      if (done) return;
      const value = await probe();
      if (value === undefined || done) return;
      done = true;
      cleanup();
      resolve(value);
    };
    const subscription = api.duckdb.onDidChange(() => void check());
    const timer = setTimeout(() => {
      done = true;
      cleanup();
      reject(new Error(`${what}: not reached within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      subscription.dispose();
      clearTimeout(timer);
    };
    void check();
  });
}

async function child(api: DuckStackApi, node: DuckDbTreeNode | undefined, label: string): Promise<DuckDbTreeNode> {
  const children = await api.duckdb.tree.getChildren(node);
  const found = children.find((c) => api.duckdb.tree.getTreeItem(c).label === label);
  assert.ok(found, `no "${label}" under ${node ? String(api.duckdb.tree.getTreeItem(node).label) : 'the root'}; found ${children.map((c) => String(api.duckdb.tree.getTreeItem(c).label)).join(', ')}`);
  return found;
}

async function labels(api: DuckStackApi, node: DuckDbTreeNode): Promise<string[]> {
  return (await api.duckdb.tree.getChildren(node)).map((c) => String(api.duckdb.tree.getTreeItem(c).label));
}

/** The tooltip as a person reads it: markdown escapes undone. */
function tooltipText(item: vscode.TreeItem): string {
  const text = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
  return text.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

suite('DuckDB explorer (extension host, real DuckDB files)', () => {
  let api: DuckStackApi;
  let dir: string;
  let warehouse: string;
  let missing: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('duckstack');

  suiteSetup(async () => {
    dir = tempDir('duckstack-vscode-duckdb-');
    warehouse = path.join(dir, 'dev.duckdb');
    missing = path.join(dir, 'prod.duckdb');
    await createDatabase(warehouse, FIXTURE_SQL);
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension, 'duckstack.duckstack is not installed in this VS Code');
    api = await extension.activate();
    await config().update('databases', [warehouse, missing], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('duckstack.duckdb.focus');
    await waitFor(api, async () => ((await api.duckdb.databases()).some((d) => d.path === missing) ? true : undefined), 'both databases discovered');
  });

  suiteTeardown(async () => {
    await config().update('databases', undefined, vscode.ConfigurationTarget.Global);
    await config().update('duckdb.previewRowLimit', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a database from the setting shows its role and size; schemas, tables, views and columns below it', async () => {
    const database = await child(api, undefined, 'dev.duckdb');
    const item = api.duckdb.tree.getTreeItem(database);
    assert.equal(item.contextValue, 'duckdbDatabase');
    assert.match(String(item.description), /^dev · \d+(\.\d)? (KiB|MiB)$/);
    assert.match(tooltipText(item), /duckstack\.databases setting/);

    // DuckDB's empty main schema is hidden.
    assert.deepEqual(await labels(api, database), ['marts', 'raw', 'staging']);
    const raw = await child(api, database, 'raw');
    assert.equal(api.duckdb.tree.getTreeItem(raw).contextValue, 'duckdbSchema');
    assert.equal(api.duckdb.tree.getTreeItem(raw).description, '2 tables');
    assert.equal(api.duckdb.tree.getTreeItem(await child(api, database, 'staging')).description, '1 view');
    assert.deepEqual(await labels(api, raw), ['customers', 'orders']);

    const orders = await child(api, raw, 'orders');
    const ordersItem = api.duckdb.tree.getTreeItem(orders);
    assert.equal(ordersItem.contextValue, 'duckdbTable');
    assert.equal(ordersItem.description, '~250 rows');
    assert.match(tooltipText(ordersItem), /Orders as loaded from orders\.csv/);
    assert.deepEqual(await labels(api, orders), ['order_id', 'customer_id', 'amount', 'ordered_at']);
    const orderId = api.duckdb.tree.getTreeItem(await child(api, orders, 'order_id'));
    assert.equal(orderId.contextValue, 'duckdbColumn');
    assert.equal(orderId.description, 'INTEGER NOT NULL');
    const amount = api.duckdb.tree.getTreeItem(await child(api, orders, 'amount'));
    assert.equal(amount.description, 'DECIMAL(18,2)');
    assert.match(tooltipText(amount), /Order total in EUR/);

    const view = api.duckdb.tree.getTreeItem(await child(api, await child(api, database, 'staging'), 'stg_orders'));
    assert.equal(view.contextValue, 'duckdbView');
    assert.equal(view.description, 'view');
    assert.notDeepEqual(view.iconPath, ordersItem.iconPath);
  });

  test('a database that does not exist yet says so and why, and has nothing to expand', async () => {
    const node = await child(api, undefined, 'prod.duckdb');
    const item = api.duckdb.tree.getTreeItem(node);
    assert.equal(item.description, 'prod · not created yet');
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.match(tooltipText(item), /Not created yet: declared by the duckstack\.databases setting; created by dbt\/Dagster/);
  });

  test('Preview Table shows the first rows with column types, limited by the setting', async () => {
    await config().update('duckdb.previewRowLimit', 7, vscode.ConfigurationTarget.Global);
    const orders = await child(api, await child(api, await child(api, undefined, 'dev.duckdb'), 'raw'), 'orders');
    await vscode.commands.executeCommand('duckstack.duckdb.previewTable', orders);
    const shown = api.duckdb.preview.shown;
    assert.ok(shown, 'nothing was shown in the preview');
    assert.equal(shown.title, 'raw.orders');
    assert.ok(shown.outcome.ok, !shown.outcome.ok ? shown.outcome.problem.detail : '');
    const { result } = shown.outcome;
    assert.deepEqual(result.columns, [
      { name: 'order_id', type: 'INTEGER' },
      { name: 'customer_id', type: 'INTEGER' },
      { name: 'amount', type: 'DECIMAL(18,2)' },
      { name: 'ordered_at', type: 'TIMESTAMP' },
    ]);
    assert.equal(result.rows.length, 7);
    assert.equal(result.truncated, true);
    assert.deepEqual(result.rows[0].slice(0, 3), ['1', '2', '1.50']);
  });

  test('Copy Qualified Name and Copy SELECT put DuckDB-quoted text on the clipboard', async () => {
    await config().update('duckdb.previewRowLimit', undefined, vscode.ConfigurationTarget.Global);
    const raw = await child(api, await child(api, undefined, 'dev.duckdb'), 'raw');
    const customers = await child(api, raw, 'customers');
    await vscode.commands.executeCommand('duckstack.duckdb.copyQualifiedName', customers);
    assert.equal(await vscode.env.clipboard.readText(), 'raw.customers');
    await vscode.commands.executeCommand('duckstack.duckdb.copyQualifiedName', await child(api, customers, 'Full Name'));
    assert.equal(await vscode.env.clipboard.readText(), 'raw.customers."Full Name"');
    await vscode.commands.executeCommand('duckstack.duckdb.copySelect', customers);
    assert.equal(await vscode.env.clipboard.readText(), selectSnippet('raw', 'customers', ['customer_id', 'Full Name', 'tags'], 100));
  });

  test('Run SQL Read-Only runs the selection of a .sql editor and shows its rows; a write is refused by DuckDB', async () => {
    const database = await child(api, undefined, 'dev.duckdb');
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT 1 AS one;\nSELECT count(*) AS n, max(amount) AS top FROM raw.orders;\n' });
    const editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(1, 0, 1, document.lineAt(1).text.length);
    await vscode.commands.executeCommand('duckstack.duckdb.runSql', database);
    let shown = api.duckdb.preview.shown;
    assert.ok(shown?.outcome.ok, shown && !shown.outcome.ok ? shown.outcome.problem.detail : 'nothing shown');
    assert.match(shown.title, /\(selection\)$/);
    assert.deepEqual(shown.outcome.result.columns.map((c) => c.name), ['n', 'top']);
    assert.deepEqual(shown.outcome.result.rows, [['250', '375.00']]);

    const before = fs.statSync(warehouse).mtimeMs;
    const write = await vscode.workspace.openTextDocument({ language: 'sql', content: 'CREATE TABLE raw.scratch (i INTEGER);\n' });
    await vscode.window.showTextDocument(write);
    await vscode.commands.executeCommand('duckstack.duckdb.runSql', database);
    shown = api.duckdb.preview.shown;
    assert.ok(shown && !shown.outcome.ok, 'a CREATE TABLE ran against a read-only open');
    assert.equal(shown.outcome.problem.kind, 'query');
    assert.match(shown.outcome.problem.detail, /read-only/i);
    assert.equal(fs.statSync(warehouse).mtimeMs, before);
    for (const doc of [write, document]) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('a writer holding the file: "in use by" its command and PID, the snapshot catalog still expands (WAL included), and it clears by itself', async () => {
    const holder = await holdLock(warehouse, 'CREATE TABLE raw.loaded_while_held AS SELECT 1 AS id');
    try {
      await vscode.commands.executeCommand('duckstack.duckdb.refresh', await child(api, undefined, 'dev.duckdb'));
      const database = await child(api, undefined, 'dev.duckdb');
      const item = api.duckdb.tree.getTreeItem(database);
      assert.match(String(item.description), new RegExp(`^dev · \\d+(\\.\\d)? (KiB|MiB) · in use by node hold-lock\\.js \\(PID ${holder.pid}\\)$`));
      assert.doesNotMatch(String(item.description), /locked|cannot/);
      assert.match(tooltipText(item), /catalog is read from a snapshot/);
      const children = await api.duckdb.tree.getChildren(database);
      const held = api.duckdb.tree.getTreeItem(children[0]);
      assert.equal(held.label, `In use by node hold-lock.js (PID ${holder.pid})`);
      assert.equal(held.contextValue, 'duckdbHolderProcess');
      assert.equal(held.description, 'writing; the catalog below is a snapshot');
      assert.deepEqual(children.slice(1).map((c) => api.duckdb.tree.getTreeItem(c).label), ['marts', 'raw', 'staging']);
      assert.deepEqual(await labels(api, await child(api, database, 'raw')), ['customers', 'loaded_while_held', 'orders']);
    } finally {
      await holder.kill();
    }
    await waitFor(
      api,
      async () => {
        const item = api.duckdb.tree.getTreeItem(await child(api, undefined, 'dev.duckdb'));
        return /in use/.test(String(item.description)) ? undefined : item;
      },
      'the holder gone without a user action',
    );
    const children = await labels(api, await child(api, undefined, 'dev.duckdb'));
    assert.deepEqual(children, ['marts', 'raw', 'staging']);
  });

  test('Run SQL Read-Only stops at the timeout setting, says so, and leaves the file free for a writer', async () => {
    await config().update('duckdb.queryTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    const document = await vscode.workspace.openTextDocument({ language: 'sql', content: 'SELECT count(*) FROM range(60000000000);\n' });
    try {
      await vscode.window.showTextDocument(document);
      const started = Date.now();
      await vscode.commands.executeCommand('duckstack.duckdb.runSql', await child(api, undefined, 'dev.duckdb'));
      const took = Date.now() - started;
      const shown = api.duckdb.preview.shown;
      assert.ok(shown && !shown.outcome.ok, 'the endless query returned rows');
      assert.equal(shown.outcome.problem.kind, 'timeout');
      assert.equal(shown.outcome.problem.cause, 'The statement on dev.duckdb ran longer than 1 s and was stopped.');
      assert.ok(took >= 1000 && took < 5000, `the command took ${took} ms`);
      const writer = await DuckDBInstance.create(warehouse);
      writer.closeSync();
    } finally {
      await config().update('duckdb.queryTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('changing the duckstack.databases setting runs discovery again', async () => {
    await config().update('databases', [warehouse], vscode.ConfigurationTarget.Global);
    await waitFor(api, async () => ((await api.duckdb.databases()).some((d) => d.path === missing) ? undefined : true), 'prod.duckdb gone after the setting changed');
    const roots = await api.duckdb.tree.getChildren();
    assert.deepEqual(roots.map((n) => api.duckdb.tree.getTreeItem(n).label), ['dev.duckdb']);
    await config().update('databases', [warehouse, missing], vscode.ConfigurationTarget.Global);
    await waitFor(api, async () => ((await api.duckdb.databases()).some((d) => d.path === missing) ? true : undefined), 'prod.duckdb back');
  });

  test('hidden, the view runs no discovery for a file appearing; shown, one discovery catches up', async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root);
    const scratch = path.join(root, `hidden-${process.pid}.duckdb`);
    const listed = (): boolean => api.duckdb.service.databases.some((d) => d.path === scratch);
    await vscode.commands.executeCommand('workbench.view.explorer');
    assert.ok(await poll(() => (api.duckdb.view.visible ? undefined : true)), 'the DuckDB view did not hide');
    const before = api.duckdb.discoveries;
    try {
      await createDatabase(scratch, 'CREATE TABLE t (x INTEGER);');
      // A visible view runs discovery once the watcher's event and the 300 ms debounce are past.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(api.duckdb.discoveries, before, 'discovery ran while the view was hidden');
      assert.equal(listed(), false);
      await vscode.commands.executeCommand('duckstack.duckdb.focus');
      await waitFor(api, async () => (listed() ? true : undefined), 'the new file listed once the view is shown');
      assert.equal(api.duckdb.discoveries, before + 1, 'showing the view catches up with one discovery');
    } finally {
      await vscode.commands.executeCommand('duckstack.duckdb.focus');
      fs.rmSync(scratch, { force: true });
      fs.rmSync(`${scratch}.wal`, { force: true });
    }
    await waitFor(api, async () => ((await api.duckdb.databases()).some((d) => d.path === scratch) ? undefined : true), 'the file gone again');
  });

  test('files appearing in the workspace run discovery again: a *.duckdb file, and a DUCKDB_*_PATH in .env', async () => {
    // The workspace folder is the fixture folder; both files are git-ignored there and removed here.
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root);
    const scratch = path.join(root, `scratch-${process.pid}.duckdb`);
    const dotEnv = path.join(root, '.env');
    assert.equal(fs.existsSync(dotEnv), false, 'the fixture workspace must not have a .env');
    const declared = path.join(root, 'warehouse', 'raw.duckdb');
    const has = async (file: string): Promise<boolean> => (await api.duckdb.databases()).some((d) => d.path === file);
    try {
      await createDatabase(scratch, 'CREATE TABLE t (x INTEGER);');
      await waitFor(api, async () => ((await has(scratch)) ? true : undefined), 'a new .duckdb file discovered');
      fs.writeFileSync(dotEnv, 'DUCKDB_RAW_PATH=./warehouse/raw.duckdb\n');
      const raw = await waitFor(api, async () => (await api.duckdb.databases()).find((d) => d.path === declared), 'the .env declaration discovered');
      assert.equal(raw.exists, false);
      assert.equal(raw.role, 'raw');
      assert.match(raw.missingReason ?? '', /DUCKDB_RAW_PATH/);
    } finally {
      fs.rmSync(scratch, { force: true });
      fs.rmSync(`${scratch}.wal`, { force: true });
      fs.rmSync(dotEnv, { force: true });
    }
    await waitFor(api, async () => ((await has(scratch)) || (await api.duckdb.databases()).some((d) => d.path === declared) ? undefined : true), 'both gone again');
  });
});
