import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { DuckDbTreeNode } from '../../src/duckdb/tree';
import { createDatabase, FIXTURE_SQL, HOLD_LOCK_SCRIPT, tempDir } from '../unit/duckdb/support';
import { findLockHolders } from '../../src/core/duckdb/holders';
import { poll } from './poll';
import type { LogView } from '../../src/commands/services/showLogs';

// A database held by a process in a container of a compose project of the workspace, on the real
// engine: the DuckDB view names the compose service and container, and its actions open the
// service in Platform Services and its logs. The container runs the host's node and this checkout
// through read-only bind mounts (no registry is reachable to pull an image with node).

const CHECKOUT = path.resolve(__dirname, '../../..');

/** Resolves once probe() returns a value, re-checking on every change of the DuckDB or services model. */
function waitFor<T>(api: DuckStackApi, probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
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
    const subscriptions = [api.duckdb.onDidChange(() => void check()), api.services.onDidChange(() => void check())];
    const interval = setInterval(() => void check(), 500);
    const timer = setTimeout(() => {
      done = true;
      cleanup();
      reject(new Error(`${what}: not reached within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      for (const s of subscriptions) s.dispose();
      clearInterval(interval);
      clearTimeout(timer);
    };
    void check();
  });
}

suite('DuckDB explorer: a database in use by a compose service (extension host, real Docker engine)', function () {
  this.timeout(180_000);
  let api: DuckStackApi;
  let dataDir: string;
  let projectDir: string;
  let projectName: string;
  let file: string;
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('duckstack');
  const compose = (...args: string[]): string =>
    execFileSync('docker', ['compose', '-p', projectName, ...args], { cwd: projectDir, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root);
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    dataDir = fs.realpathSync(tempDir('duckstack-vscode-holder-'));
    file = path.join(dataDir, 'held.duckdb');
    await createDatabase(file, FIXTURE_SQL);
    // A second compose project inside the workspace, so the services view knows it; removed after.
    projectName = `dsholder${process.pid}`;
    projectDir = path.join(root, `holder-${process.pid}`);
    fs.mkdirSync(projectDir);
    fs.writeFileSync(
      path.join(projectDir, 'compose.yaml'),
      [
        `name: ${projectName}`,
        'services:',
        '  dbt:',
        '    image: local/busybox:1',
        '    init: true',
        '    stop_signal: SIGKILL',
        `    command: ["/usr/bin/node", ${JSON.stringify(HOLD_LOCK_SCRIPT)}, "/data/held.duckdb", "CREATE TABLE raw.from_container AS SELECT 1 AS x"]`,
        '    volumes:',
        '      - /usr:/usr:ro',
        '      - /usr/lib:/lib:ro',
        '      - /usr/lib64:/lib64:ro',
        `      - ${CHECKOUT}:${CHECKOUT}:ro`,
        `      - ${dataDir}:/data`,
        '',
      ].join('\n'),
    );
    compose('up', '-d');
    // Platform Services may have loaded its projects before this folder existed: reload as Refresh does.
    await api.services.refresh();
    await config().update('databases', [file], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('duckstack.duckdb.focus');
  });

  suiteTeardown(async () => {
    if (projectDir && fs.existsSync(projectDir)) {
      try {
        compose('down', '-t', '1');
      } finally {
        fs.rmSync(projectDir, { recursive: true, force: true });
      }
      // The services view must forget the project before the next suites count projects (a removed
      // folder sends no event for the compose file inside it, so reload as Refresh does).
      await api.services.refresh();
      await waitFor(api, async () => ((await api.services.getProjects()).some((p) => p.name === projectName) ? undefined : true), 'the holder project gone from Platform Services');
    }
    await config().update('databases', undefined, vscode.ConfigurationTarget.Global);
    for (const terminal of vscode.window.terminals.filter((t) => t.name === 'Logs: dbt')) terminal.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the database node says "in use by" the compose service and container, expands the snapshot catalog, and opens the service and its logs', async () => {
    const label = (node: DuckDbTreeNode): string => String(api.duckdb.tree.getTreeItem(node).label);
    // The container has written its table once it logs "ready" (its lock is taken before); then one refresh reads it.
    const deadline = Date.now() + 60_000;
    while (!/ready \d+/.test(compose('logs', 'dbt')) || (await findLockHolders(file)).holders.length === 0) {
      assert.ok(Date.now() < deadline, `the container never took the lock; compose ps: ${compose('ps', '-a')}; logs: ${compose('logs')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await waitFor(api, async () => ((await api.duckdb.databases()).some((d) => d.path === file) ? true : undefined), 'held.duckdb discovered');
    await api.duckdb.refresh(file);
    const database = (await api.duckdb.tree.getChildren()).find((n) => label(n) === 'held.duckdb');
    assert.ok(database, 'no held.duckdb in the DuckDB view');
    const description = String(api.duckdb.tree.getTreeItem(database).description);
    const match = new RegExp(`in use by dbt \\(container ${projectName}-dbt-1, PID (\\d+)\\)$`).exec(description);
    assert.ok(match, description);
    const children = await api.duckdb.tree.getChildren(database);
    const holder = children[0];
    assert.equal(holder.kind, 'holder');
    const holderItem = api.duckdb.tree.getTreeItem(holder);
    assert.equal(holderItem.label, `In use by dbt (container ${projectName}-dbt-1, PID ${match[1]})`);
    assert.equal(holderItem.contextValue, 'duckdbHolderService');
    assert.deepEqual(children.slice(1).map(label), ['marts', 'raw', 'staging']);
    const raw = children.find((c) => label(c) === 'raw');
    assert.ok(raw);
    assert.deepEqual((await api.duckdb.tree.getChildren(raw)).map(label), ['customers', 'from_container', 'orders']);

    await waitFor(api, async () => ((await api.services.getProjects()).some((p) => p.name === projectName) ? true : undefined), 'the holder project in Platform Services');
    await vscode.commands.executeCommand('duckstack.duckdb.showHolderService', holder);
    const selected = await poll(() => {
      const [node] = api.services.view.selection;
      return node?.kind === 'service' ? node : undefined;
    });
    assert.ok(selected?.kind === 'service', 'no service selected in Platform Services');
    assert.equal(selected.service.name, 'dbt');
    assert.equal(selected.project.dir, projectDir);
    assert.equal(api.services.view.visible, true);

    const view = await vscode.commands.executeCommand<LogView>('duckstack.duckdb.showHolderLogs', holder);
    const terminal = vscode.window.terminals.find((t) => t.name === 'Logs: dbt');
    assert.ok(terminal, `no logs terminal among: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    assert.equal(view.terminal, terminal, 'the log view of the dbt service (it follows dbt across restarts)');
    assert.equal(terminal.exitStatus, undefined);
    terminal.dispose();
  });
});
