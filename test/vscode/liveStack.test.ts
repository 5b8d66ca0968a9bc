// The stack of issue 18 in the extension host (real VS Code, real Docker engine), added as a
// workspace folder of its own to the multi-root test workspace: each row's label, icon, tooltip and
// context value (the menus' when clauses); the time up advancing while the view is visible and not
// while hidden; a log view surviving two restarts of its service and a Restart Platform; Restart
// Platform's command lines read from the Compose output channel itself; a cancelled Start logged
// as information; the failed Start naming every failing service. What the UI test
// (test/ui/liveStack.test.ts) already shows a user is not repeated here: the status bar text, the
// menus as clicked, the failure toast's buttons, Start Profile and Stop Profile.
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

// Added to this test's copy of the stack only (the UI test's rows stay the issue's): a service
// whose healthcheck stays "starting" for ten minutes, so `up --wait` of it runs until cancelled.
const SLOW_SERVICE = `
  slow:
    image: local/busybox:1
    command: ["sleep", "3600"]
    profiles: ["slow"]
    stop_signal: SIGKILL
    healthcheck:
      test: ["CMD", "false"]
      interval: 1s
      start_period: 10m
`;

/**
 * The text of an output channel as the Output view shows it: the workbench's own "Output: Show
 * <channel>" command shows the channel, and the channel's document (scheme `output`, read by the
 * workbench from the file the channel writes) is synchronised to extensions like any open model.
 */
async function outputText(channel: RegExp, ready: (text: string) => boolean, what: string): Promise<string> {
  const prefix = 'workbench.action.output.show.';
  const show = (await vscode.commands.getCommands(true)).find((c) => c.startsWith(prefix) && channel.test(c.slice(prefix.length)));
  assert.ok(show, `no Output view command shows the channel ${channel}`);
  await vscode.commands.executeCommand(show);
  let last = '';
  const text = await poll(() => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && channel.test(d.uri.toString(true).slice('output:'.length)));
    last = doc?.getText() ?? '(no output document)';
    return doc && ready(last) ? last : undefined;
  }, 30_000);
  assert.ok(text !== undefined, `the Output view's ${channel} did not show ${what}:\n${last.slice(-3000)}`);
  return text;
}
const COMPOSE_CHANNEL = /DuckStack: Compose$/;
const LOG_CHANNEL = /^duckstack\.duckstack\.DuckStack$/;

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
    assert.ok(found, `no row for ${service}`);
    return found;
  };
  const profileNode = (profile: string): ServiceTreeNode => {
    const roots = api.services.tree.getChildren();
    const mine = roots.find((n) => n.kind === 'project' && n.project.name === name);
    const found = (mine ? api.services.tree.getChildren(mine) : roots).find((n) => n.kind === 'profile' && n.profile === profile);
    assert.ok(found, `no group for the profile ${profile}`);
    return found;
  };
  /** The log view a test opened and the next one keeps following, and how many new runs it marked. */
  let logs: LogView | undefined;
  const restarts = (): number => logs?.transcript.filter((l) => /^── worker started again at /.test(l)).length ?? 0;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    // Its own compose project, unique per run (as test/harness/fixture.ts gives the fixture's):
    // another run on the same engine never touches its containers.
    name = `dslivevs${process.pid}x${Math.random().toString(36).slice(2, 7)}`;
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-live-')), name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `${fs.readFileSync(FIXTURE, 'utf8').trimEnd()}\n${SLOW_SERVICE}`);
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
    // `down` removes only the active profiles' containers: name every profile.
    if (dir) compose('--profile', 'extra', '--profile', 'slow', 'down', '-t', '0');
    for (const t of vscode.window.terminals) if (t.name.startsWith('Logs: ')) t.dispose();
    if ((vscode.workspace.workspaceFolders?.length ?? 0) > folders) {
      const removed = new Promise<void>((resolve) => {
        const subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
          subscription.dispose();
          resolve();
        });
      });
      vscode.workspace.updateWorkspaceFolders(folders, 1);
      await removed;
    }
    if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  test('Start Platform fails naming every service that failed to become healthy or exited, with Diagnose on each', async () => {
    const run = await vscode.commands.executeCommand<ComposeRun>('duckstack.platform.start', { kind: 'project', project });
    assert.ok(run, 'the command returned no run');
    assert.equal(run.result.ok, false);
    if (run.result.ok) return;
    const failure = run.result.failure;
    assert.deepEqual((failure?.services ?? []).map((s) => s.name).sort(), ['oneshot', 'sick'], failure?.cause);
    assert.match(failure?.cause ?? '', /oneshot failed \(exit 3\)/);
    assert.match(failure?.cause ?? '', /sick is (unhealthy|not healthy yet)/);
    assert.deepEqual(failure?.actions.flatMap((a) => (a.kind === 'diagnose' ? [a.service] : [])).sort(), ['oneshot', 'sick']);
  });

  test('each row: label, icon, words, tooltip and menu context say what is true; the palette refuses what cannot run', async () => {
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
    const group = api.services.tree.getTreeItem(profileNode('extra'));
    assert.equal(group.label, 'profile: extra');
    assert.equal(group.description, 'not active · 0/1 running');
    const id = status('worker')?.containers[0]?.id;
    assert.equal(await vscode.commands.executeCommand('duckstack.service.start', node('worker')), undefined, 'Start on a running service runs nothing');
    assert.equal(status('worker')?.containers[0]?.id, id);
    assert.equal(await vscode.commands.executeCommand('duckstack.service.stop', node('extra')), undefined, 'Stop on a service never created runs nothing');
    const log = await outputText(LOG_CHANNEL, (text) => text.includes('extra is not created, so there is nothing to stop.'), 'why Stop could not run');
    assert.match(log, /\[info\] worker is already running; Restart Service starts it again\./);
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

  test('a log view follows its service across two restarts, each marked in the stream, its terminal staying open', async () => {
    logs = await vscode.commands.executeCommand<LogView>('duckstack.service.logs', node('worker'));
    assert.equal(logs.terminal.name, 'Logs: worker');
    for (let i = 1; i <= 2; i++) {
      const run = await vscode.commands.executeCommand<ComposeRun>('duckstack.service.restart', node('worker'));
      assert.ok(run?.result.ok, reasonOf(run));
      await until(`restart ${i} marked in the log view`, () => restarts() === i, 30_000);
    }
    assert.equal(logs.terminal.exitStatus, undefined, 'the log view is still open');
    assert.ok(vscode.window.terminals.includes(logs.terminal));
  });

  test('Restart Platform: the Compose output shows down, then up, each command line before its output; the log view follows the recreated service', async () => {
    const run = await vscode.commands.executeCommand<ComposeRun>('duckstack.platform.restart', { kind: 'project', project });
    assert.ok(run, 'the command returned no run');
    const heading = `── Restart platform (down, then up) (${name})`;
    const section = (text: string): string[] => text.slice(text.lastIndexOf(heading)).split('\n').filter((l) => l !== '');
    const text = await outputText(COMPOSE_CHANNEL, (t) => t.includes(heading) && section(t).length >= run.output.length, 'the whole Restart Platform run');
    const lines = section(text);
    assert.deepEqual(lines, run.output, 'the channel holds what the run printed, in order');
    const down = lines.findIndex((l) => /^\$ docker compose .* down$/.test(l));
    const up = lines.findIndex((l) => /^\$ docker compose .* up -d --wait$/.test(l));
    assert.equal(down, 1, `down is printed first:\n${lines.join('\n')}`);
    assert.ok(up > down, lines.join('\n'));
    const removed = lines.findIndex((l) => /Container \S+\s+(Stopping|Stopped|Removing|Removed)/.test(l));
    assert.ok(removed > down && removed < up, `down's output follows its command line:\n${lines.join('\n')}`);
    assert.ok(lines.slice(up + 1).some((l) => /Container \S+\s+(Creat|Start|Waiting|Healthy)/.test(l)), `up's output follows its command line:\n${lines.join('\n')}`);
    assert.ok(logs, 'the log view of the previous test');
    await until('the recreated worker marked in the log view', () => restarts() === 3, 60_000);
    assert.equal(logs.terminal.exitStatus, undefined, 'the log view is still open');
    logs.terminal.dispose();
  });

  test('a cancelled Start is logged as information, not as an error', async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
    const running = vscode.commands.executeCommand<ComposeRun>('duckstack.service.start', node('slow'));
    await until('slow starting', () => status('slow')?.state === 'starting');
    await outputText(COMPOSE_CHANNEL, (t) => /\$ docker compose .* up -d --wait slow\n/.test(t), 'the Start slow command line');
    // The Cancel button of the progress notification, as the workbench runs it for a click.
    await vscode.commands.executeCommand('notification.acceptPrimaryAction');
    const run = await Promise.race([running, new Promise<undefined>((r) => setTimeout(() => r(undefined), 30_000))]);
    assert.ok(run, 'Start slow still runs 30 s after its Cancel');
    assert.ok(!run.result.ok && run.result.cancelled, `not cancelled: ${reasonOf(run)}`);
    assert.equal(run.output.at(-1), '── Start slow cancelled');
    const log = await outputText(LOG_CHANNEL, (t) => t.includes('Start slow: cancelled by the user'), 'the cancel');
    assert.match(log, /\[info\] Start slow: cancelled by the user/);
    assert.doesNotMatch(log, /\[error\] Start slow/);
  });
});
