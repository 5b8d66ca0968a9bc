// The stack of issue 18 in the extension host (real VS Code, real Docker engine), added as a
// workspace folder of its own: each row's label, icon, tooltip and context value; the time up
// advancing while the view is visible and not while hidden; a log view surviving two restarts;
// the failed Start naming every failing service; the Compose output's order; profiles.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ComposeRun } from '../../src/commands/services/serviceCommands';
import type { LogView } from '../../src/commands/services/showLogs';
import type { ServiceStatus } from '../../src/core/docker/services';
import type { DuckStackApi } from '../../src/extension';
import type { ProjectEntry } from '../../src/services/projects';
import type { ServiceTreeNode } from '../../src/services/tree';
import { freePort } from '../harness/processes';
import { poll } from './poll';

/** Why a compose run failed, for assertion messages. */
function reasonOf(run: ComposeRun | undefined): string {
  if (!run) return 'the command returned no run';
  return run.result.ok ? '' : run.result.reason;
}

const FIXTURE = path.resolve(__dirname, '../../../test/fixtures/docker/live/compose.yaml');

suite('Platform Services: every state of a live stack (extension host, real Docker engine)', function () {
  this.timeout(180_000);
  let api: DuckStackApi;
  let dir: string;
  let name: string;
  let project: ProjectEntry;
  let folders: number;

  const compose = (...args: string[]): string =>
    execFileSync('docker', ['compose', '-p', name, '--project-directory', dir, '-f', path.join(dir, 'compose.yaml'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

  /** The project's service nodes as the tree gives them (profile groups opened). */
  const serviceNodes = (): Array<Extract<ServiceTreeNode, { kind: 'service' }>> => {
    const roots = api.services.tree.getChildren();
    const mine = roots.find((n) => n.kind === 'project' && n.project.name === name);
    const children = mine ? api.services.tree.getChildren(mine) : roots;
    return children.flatMap((n) => (n.kind === 'profile' ? api.services.tree.getChildren(n) : [n])).filter((n): n is Extract<ServiceTreeNode, { kind: 'service' }> => n.kind === 'service');
  };
  const item = (service: string): vscode.TreeItem => {
    const node = serviceNodes().find((n) => n.service.name === service);
    assert.ok(node, `no row for ${service} among ${serviceNodes().map((n) => n.service.name).join(', ')}`);
    return api.services.tree.getTreeItem(node);
  };
  const status = (service: string): ServiceStatus | undefined => {
    const s = api.services.statusOf(project);
    return s?.reachable ? s.services.find((x) => x.name === service) : undefined;
  };
  const until = async (what: string, predicate: () => boolean, timeoutMs = 60_000): Promise<void> => {
    const ok = await poll(() => (predicate() ? true : undefined), timeoutMs);
    assert.ok(ok, `timed out waiting for ${what}: ${serviceNodes().map((n) => `${n.service.name}=${n.service.state}`).join(' ')}`);
  };
  const node = (service: string): ServiceTreeNode => {
    const found = serviceNodes().find((n) => n.service.name === service);
    assert.ok(found);
    return found;
  };

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    name = `dslivevs${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-live-')), name);
    fs.mkdirSync(dir);
    fs.copyFileSync(FIXTURE, path.join(dir, 'compose.yaml'));
    fs.writeFileSync(path.join(dir, '.env'), `LIVE_WEB_PORT=${await freePort()}\nLIVE_IDLE_PORT=${await freePort()}\n`);
    folders = vscode.workspace.workspaceFolders?.length ?? 0;
    assert.ok(vscode.workspace.updateWorkspaceFolders(folders, 0, { uri: vscode.Uri.file(dir) }));
    await vscode.commands.executeCommand('duckstack.services.focus');
    let found: ProjectEntry | undefined;
    for (const deadline = Date.now() + 30_000; !found && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const p = (await api.services.getProjects()).find((x) => x.name === name);
      if (p && api.services.statusOf(p)?.reachable) found = p;
    }
    assert.ok(found, `the project ${name} of the added folder did not appear`);
    project = found;
  });

  suiteTeardown(async () => {
    if (dir) compose('down', '-t', '0');
    for (const t of vscode.window.terminals) if (t.name.startsWith('Logs: ')) t.dispose();
    if ((vscode.workspace.workspaceFolders?.length ?? 0) > folders) vscode.workspace.updateWorkspaceFolders(folders, 1);
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('Start Platform fails naming every failing service; each command line is printed before its output', async () => {
    const run = await vscode.commands.executeCommand<ComposeRun>('duckstack.platform.start', { kind: 'project', project });
    assert.ok(run, 'the command returned no run');
    assert.equal(run.result.ok, false);
    if (run.result.ok) return;
    const failure = run.result.failure;
    assert.deepEqual((failure?.services ?? []).map((s) => s.name).sort(), ['oneshot', 'sick'], failure?.cause);
    assert.deepEqual(failure?.actions.filter((a) => a.kind === 'diagnose').length, 2);
    assert.equal(run.output[0], `── Start platform (${name})`);
    assert.match(run.output[1], /^\$ docker compose -p \S+ -f .*compose\.yaml --project-directory .* up -d --wait$/);
    assert.ok(run.output.slice(2).some((l) => /Container \S+-web-1\s+(Creat|Start)/.test(l)), run.output.join('\n'));
  });

  test('each row: label, icon, words, tooltip and menu context say what is true', async () => {
    compose('stop', 'idle');
    await until('sick unhealthy, idle stopped', () => status('sick')?.state === 'unhealthy' && status('idle')?.exit?.kind === 'stopped');
    const expected: Array<[string, RegExp, string, RegExp, string[], string[]]> = [
      // name, description, icon, tooltip, context tokens present, absent
      ['web', /^healthy · \d+→8080 · up \d+/, 'pass-filled', /Started /, ['canStop', 'canRestart', 'hasUi'], ['canStart']],
      ['sick', /^unhealthy · up /, 'warning', /Started /, ['canStop'], ['canStart']],
      ['worker', /^running \(no healthcheck\) · up /, 'circle-filled', /No healthcheck declared/, ['canStop', 'canRestart'], ['canStart']],
      ['idle', /^stopped \(exit 137\)$/, 'debug-stop', /Stopped on request \(docker stop or docker compose stop\) \(exit 137\)[\s\S]*Publishes \d+→9000 while it runs \(nothing now\)/, ['canStart', 'canRestart', 'exit-stopped'], ['canStop', 'hasUi']],
      ['done', /^completed \(exit 0\)$/, 'pass', /Completed: it ran to the end/, ['canStart', 'exit-completed'], ['canStop']],
      ['oneshot', /^failed \(exit 3\)$/, 'error', /Failed \(exit 3\): Diagnose Service shows why/, ['canStart', 'exit-failed'], ['canStop']],
      ['extra', /^not created$/, 'circle-large-outline', /Profile: extra \(not active: it starts only with Start Profile\)/, ['canStart'], ['canStop', 'canRestart']],
    ];
    for (const [service, description, icon, tooltip, present, absent] of expected) {
      const row = item(service);
      assert.equal(row.label, service);
      assert.match(String(row.description), description, service);
      assert.equal((row.iconPath as vscode.ThemeIcon).id, icon, service);
      const tip = row.tooltip instanceof vscode.MarkdownString ? row.tooltip.value : String(row.tooltip);
      assert.match(tip, tooltip, service);
      const tokens = String(row.contextValue).split(' ');
      for (const t of present) assert.ok(tokens.includes(t), `${service}: ${row.contextValue} lacks ${t}`);
      for (const t of absent) assert.ok(!tokens.includes(t), `${service}: ${row.contextValue} has ${t}`);
    }
    const profile = api.services.tree.getChildren(api.services.tree.getChildren().find((n) => n.kind === 'project' && n.project.name === name)).find((n) => n.kind === 'profile');
    assert.ok(profile);
    const group = api.services.tree.getTreeItem(profile);
    assert.equal(group.label, 'profile: extra');
    assert.equal(group.description, 'not active · 0/1 running');
  });

  test('the time up advances while the view is visible, refreshing only those rows; nothing while hidden', async () => {
    const seconds = (): number => {
      const m = /up (?:(\d+) min )?(\d+) s/.exec(String(item('web').description));
      assert.ok(m, String(item('web').description));
      return Number(m[1] ?? 0) * 60 + Number(m[2]);
    };
    const refreshed: string[][] = [];
    const listening = api.services.tree.onDidChangeTreeData((e) => refreshed.push(Array.isArray(e) ? e.map((n) => (n.kind === 'service' ? n.service.name : n.kind)) : ['all']));
    try {
      const first = seconds();
      await new Promise((r) => setTimeout(r, 2500));
      assert.ok(seconds() >= first + 2, `up ${first} s, then ${seconds()} s`);
      const ticks = refreshed.filter((r) => r[0] !== 'all');
      assert.ok(ticks.length >= 2, `${ticks.length} ticks in 2.5 s`);
      assert.ok(ticks.length <= 4, `${ticks.length} ticks in 2.5 s: more than once a second`);
      for (const t of ticks) assert.deepEqual([...t].sort(), ['sick', 'web', 'worker'], 'only the rows that show a time up');
      await vscode.commands.executeCommand('workbench.view.explorer');
      assert.ok(await poll(() => (api.services.view.visible ? undefined : true)));
      refreshed.length = 0;
      await new Promise((r) => setTimeout(r, 2200));
      assert.deepEqual(refreshed.filter((r) => r[0] !== 'all'), [], 'no tick while hidden');
    } finally {
      listening.dispose();
      await vscode.commands.executeCommand('duckstack.services.focus');
    }
  });

  test('a log view follows the service across two restarts, marking each, until closed', async () => {
    const view = await vscode.commands.executeCommand<LogView>('duckstack.service.logs', node('worker'));
    assert.equal(view.terminal.name, 'Logs: worker');
    const started = (): number => view.transcript.filter((l) => /^── worker started again at /.test(l)).length;
    for (let i = 1; i <= 2; i++) {
      const run = await vscode.commands.executeCommand<ComposeRun>('duckstack.service.restart', node('worker'));
      assert.ok(run?.result.ok, reasonOf(run));
      await until(`restart ${i} marked in the log view`, () => started() === i, 30_000);
    }
    assert.equal(view.terminal.exitStatus, undefined, 'the log view is still open');
    assert.ok(vscode.window.terminals.includes(view.terminal));
    view.terminal.dispose();
  });

  test('Restart Platform prints down before its output, then up; an action that cannot run says why and runs nothing', async () => {
    const run = await vscode.commands.executeCommand<ComposeRun>('duckstack.platform.restart', { kind: 'project', project });
    assert.ok(run);
    const down = run.output.findIndex((l) => /^\$ docker compose .* down$/.test(l));
    const up = run.output.findIndex((l) => /^\$ docker compose .* up -d --wait$/.test(l));
    assert.ok(down > 0 && up > down, run.output.join('\n'));
    const stopping = run.output.findIndex((l) => /Container \S+\s+(Stopping|Removing)/.test(l));
    assert.ok(stopping > down && stopping < up, 'down is printed before its output');
    await until('worker running again', () => status('worker')?.state === 'running');
    const id = status('worker')?.containers[0]?.id;
    assert.equal(await vscode.commands.executeCommand('duckstack.service.start', node('worker')), undefined, 'Start on a running service runs nothing');
    assert.equal(status('worker')?.containers[0]?.id, id);
    assert.equal(await vscode.commands.executeCommand('duckstack.service.stop', node('extra')), undefined, 'Stop on a service never created runs nothing');
  });

  test('Start Profile and Stop Profile act on the profile\'s services only', async () => {
    const profile = api.services.tree.getChildren(api.services.tree.getChildren().find((n) => n.kind === 'project' && n.project.name === name)).find((n) => n.kind === 'profile');
    assert.ok(profile);
    const started = await vscode.commands.executeCommand<ComposeRun>('duckstack.profile.start', profile);
    assert.ok(started?.result.ok, reasonOf(started));
    assert.ok(started.output.some((l) => /^\$ docker compose .* --profile extra up -d --wait extra$/.test(l)), started.output.join('\n'));
    await until('extra running', () => status('extra')?.state === 'running');
    const stopped = await vscode.commands.executeCommand<ComposeRun>('duckstack.profile.stop', profile);
    assert.ok(stopped?.result.ok, reasonOf(stopped));
    await until('extra stopped', () => status('extra')?.exit?.kind === 'stopped');
    assert.equal(status('worker')?.state, 'running', 'the other services keep running');
  });
});
