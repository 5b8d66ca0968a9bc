import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { ServiceStatus } from '../../src/core/docker/services';
import type { LogView } from '../../src/commands/services/showLogs';
import { fixtureProject } from '../harness/fixture';
import { poll } from './poll';

/** Waits until the services model satisfies predicate, re-checking on every model change. */
function waitForService(api: DuckStackApi, name: string, predicate: (s: ServiceStatus) => boolean, timeoutMs = 60_000): Promise<ServiceStatus> {
  return new Promise((resolve, reject) => {
    const check = async (): Promise<boolean> => {
      const [project] = await api.services.getProjects();
      const status = project ? api.services.statusOf(project) : undefined;
      const service = status?.reachable ? status.services.find((s) => s.name === name) : undefined;
      if (service && predicate(service)) {
        cleanup();
        resolve(service);
        return true;
      }
      return false;
    };
    const subscription = api.services.onDidChange(() => void check());
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`service ${name} did not reach the expected state within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = (): void => {
      subscription.dispose();
      clearTimeout(timer);
    };
    void check();
  });
}

suite('Platform services (extension host, real Docker engine)', () => {
  let api: DuckStackApi;
  // This run's own compose project and port (the harness sets them; other runs use their own).
  const fixture = fixtureProject();

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    await vscode.commands.executeCommand('duckstack.services.focus');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('duckstack.platform.stop');
  });

  test('lists the compose services of the workspace, created or not', async () => {
    // A suite before this one may have just removed a compose project of its own from the
    // workspace (the lint suite's fifo-fault folder): the reload it causes is debounced.
    let projects = await api.services.getProjects();
    for (const deadline = Date.now() + 10_000; projects.length !== 1 && Date.now() < deadline; projects = await api.services.getProjects()) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(projects.map((p) => p.name), [fixture.name]);
    const web = await waitForService(api, 'web', () => true);
    assert.ok(['not-created', 'exited', 'healthy', 'running', 'starting'].includes(web.state), web.state);
    assert.deepEqual(web.declaredPorts.map((p) => [p.published, p.target]), [[fixture.port, 8080]]);
  });

  test('"Start Platform" brings the service up healthy, with its UI link', async () => {
    await vscode.commands.executeCommand('duckstack.platform.start');
    const web = await waitForService(api, 'web', (s) => s.state === 'healthy');
    assert.equal(web.containers.length, 1);
    assert.deepEqual(web.links.map((l) => l.url), [`http://localhost:${fixture.port}/`]);
  });

  test('"Copy Container ID" and "Show Logs" act on the running service; Show Logs of the project follows compose logs', async () => {
    const [project] = await api.services.getProjects();
    const web = await waitForService(api, 'web', (s) => s.state === 'healthy');
    const node = { kind: 'service', project, service: web };
    await vscode.commands.executeCommand('duckstack.service.copyContainerId', node);
    assert.equal(await vscode.env.clipboard.readText(), web.containers[0].id);
    const view = await vscode.commands.executeCommand<LogView>('duckstack.service.logs', node);
    assert.ok(vscode.window.terminals.includes(view.terminal), `no logs terminal among: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    assert.equal(view.terminal.name, 'Logs: web');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(view.terminal.exitStatus, undefined, 'the log view keeps following the running service');
    assert.ok(view.transcript.every((l) => !/^── .* is not running/.test(l)), view.transcript.join('\n'));
    view.terminal.dispose();

    // The whole project: compose's own logs followed in a terminal, its command line first.
    const all = await vscode.commands.executeCommand<LogView>('duckstack.service.logs');
    assert.equal(all.terminal.name, `Logs: ${project.name}`);
    await new Promise((r) => setTimeout(r, 1500));
    assert.match(all.transcript[0] ?? '', /^\$ docker compose .* logs --no-color --follow --tail \d+$/, all.transcript.join('\n'));
    assert.equal(all.terminal.exitStatus, undefined, 'the project log view keeps following');
    assert.ok(all.transcript.every((l) => !l.startsWith('── ')), all.transcript.join('\n'));
    all.terminal.dispose();
  });

  test('a container stopped from outside reaches the model through the events stream', async () => {
    const [project] = await api.services.getProjects();
    const status = api.services.statusOf(project);
    assert.ok(status?.reachable);
    const id = status.services.find((s) => s.name === 'web')?.containers[0]?.id;
    assert.ok(id);
    execFileSync('docker', ['stop', '-t', '1', id]);
    const web = await waitForService(api, 'web', (s) => s.state === 'exited');
    assert.equal(web.links.length, 0);
  });

  test('hidden, the view stops watching Docker (a Refresh reads once); shown, it catches up with the engine', async () => {
    const [project] = await api.services.getProjects();
    const status = api.services.statusOf(project);
    assert.ok(status?.reachable);
    const id = status.services.find((s) => s.name === 'web')?.containers[0]?.id;
    assert.ok(id);
    assert.equal(api.services.view.visible, true);
    await vscode.commands.executeCommand('workbench.view.explorer');
    assert.ok(await poll(() => (api.services.view.visible ? undefined : true)), 'the services view did not hide');
    let changes = 0;
    const counting = api.services.onDidChange(() => changes++);
    try {
      execFileSync('docker', ['start', id]);
      // A live monitor reads a start within milliseconds; a stopped one never does.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(changes, 0, 'the model changed while the view was hidden');
      const stale = api.services.statusOf(project);
      assert.equal(stale?.reachable ? stale.services.find((s) => s.name === 'web')?.state : 'unreachable', 'exited');
      // Refresh (as after a compose action) reads the engine once while hidden, for the status bar,
      // and starts following nothing: the view is still hidden and no event is read afterwards.
      await api.services.refresh();
      const read = api.services.statusOf(project);
      assert.ok(read && stale && read.at > stale.at, 'Refresh read the engine');
      assert.ok(read.reachable && ['running', 'starting', 'healthy'].includes(read.services.find((s) => s.name === 'web')?.state ?? ''), 'the read shows web started');
      const afterRefresh = changes;
      execFileSync('docker', ['stop', '-t', '1', id]);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert.equal(changes, afterRefresh, 'a stop while hidden is not read: nothing follows the events');
      assert.equal(api.services.statusOf(project)?.at, read.at, 'no read since the Refresh');
      execFileSync('docker', ['start', id]);
    } finally {
      counting.dispose();
      await vscode.commands.executeCommand('duckstack.services.focus');
    }
    await waitForService(api, 'web', (s) => ['running', 'starting', 'healthy'].includes(s.state));
  });

  test('a workspace folder added with a compose file shows its project in the tree; removed, it goes', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-folder-'));
    fs.writeFileSync(path.join(folder, 'compose.yaml'), 'name: added-stack\nservices:\n  cache:\n    image: local/busybox:1\n');
    const groups = (): string[] => api.services.tree.getChildren().map((n) => (n.kind === 'project' ? n.project.name : n.kind));
    const treeShows = (want: (names: string[]) => boolean): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          subscription.dispose();
          void api.services.getProjects().then((projects) =>
            reject(new Error(`the tree shows ${groups().join(', ')}; folders ${(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath).join(', ')}; projects ${projects.map((p) => p.name).join(', ')}; view visible ${api.services.view.visible}`)),
          );
        }, 20_000);
        const subscription = api.services.onDidChange(() => {
          if (!want(groups())) return;
          clearTimeout(timer);
          subscription.dispose();
          resolve();
        });
      });
    const count = vscode.workspace.workspaceFolders?.length ?? 0;
    try {
      const added = treeShows((names) => names.includes('added-stack'));
      assert.ok(vscode.workspace.updateWorkspaceFolders(count, 0, { uri: vscode.Uri.file(folder) }));
      await added;
      assert.deepEqual(groups().sort(), ['added-stack', fixture.name].sort());
      const removed = treeShows((names) => !names.includes('added-stack'));
      assert.ok(vscode.workspace.updateWorkspaceFolders(count, 1));
      await removed;
    } finally {
      if ((vscode.workspace.workspaceFolders?.length ?? 0) > count) {
        const restored = new Promise<void>((resolve) => {
          const subscription = vscode.workspace.onDidChangeWorkspaceFolders(() => {
            subscription.dispose();
            resolve();
          });
        });
        vscode.workspace.updateWorkspaceFolders(count, 1);
        await restored;
      }
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('"Start Service" and "Stop Service" act on one service', async () => {
    await vscode.commands.executeCommand('duckstack.service.start', { kind: 'service', project: (await api.services.getProjects())[0], service: { name: 'web' } });
    await waitForService(api, 'web', (s) => s.state === 'healthy');
    await vscode.commands.executeCommand('duckstack.service.stop', { kind: 'service', project: (await api.services.getProjects())[0], service: { name: 'web' } });
    await waitForService(api, 'web', (s) => s.state === 'exited');
  });

  test('a second compose project in the workspace makes the tree show one group per project', async () => {
    const [first] = await api.services.getProjects();
    const second = path.join(first.dir, 'second-stack');
    fs.mkdirSync(second);
    try {
      fs.writeFileSync(path.join(second, 'compose.yaml'), 'services:\n  db:\n    image: local/busybox:1\n    command: ["sleep", "3600"]\n');
      await api.services.refresh();
      assert.deepEqual((await api.services.getProjects()).map((p) => p.name), [fixture.name, 'second-stack']);
      const roots = api.services.tree.getChildren();
      assert.deepEqual(roots.map((n) => (n.kind === 'project' ? n.project.name : n.kind)), [fixture.name, 'second-stack']);
      const children = api.services.tree.getChildren(roots[1]);
      assert.deepEqual(children.map((n) => (n.kind === 'service' ? `${n.service.name}:${n.service.state}` : n.kind)), ['db:not-created']);
    } finally {
      fs.rmSync(second, { recursive: true, force: true });
      await api.services.refresh();
    }
    assert.equal((await api.services.getProjects()).length, 1);
  });

  test('Docker not reachable is a node with the cause and a Retry action, not an error', async () => {
    const [first] = await api.services.getProjects();
    const second = path.join(first.dir, 'unreachable-stack');
    const realHost = process.env.DOCKER_HOST;
    fs.mkdirSync(second);
    try {
      // The monitor of a newly found project reads DOCKER_HOST when it opens.
      process.env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
      fs.writeFileSync(path.join(second, 'compose.yaml'), 'services:\n  db:\n    image: local/busybox:1\n');
      await api.services.refresh();
      const group = api.services.tree.getChildren().find((n) => n.kind === 'project' && n.project.name === 'unreachable-stack');
      assert.ok(group);
      const [problem] = api.services.tree.getChildren(group);
      assert.equal(problem.kind, 'problem');
      const item = api.services.tree.getTreeItem(problem);
      assert.match(String(item.label), /socket does not exist/);
      assert.equal(item.command?.command, 'duckstack.services.retry');
      assert.match(String(item.tooltip), /Start Docker/);
    } finally {
      process.env.DOCKER_HOST = realHost;
      fs.rmSync(second, { recursive: true, force: true });
      await api.services.refresh();
    }
  });

  test('"Stop Platform" removes the containers', async () => {
    await vscode.commands.executeCommand('duckstack.platform.stop');
    await waitForService(api, 'web', (s) => s.state === 'not-created');
  });
});
