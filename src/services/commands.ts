import * as vscode from 'vscode';
import { ComposeRunner, detectComposeCli, type ComposeCli, type ComposeResult } from '../core/docker/compose-cli';
import { registerCommand } from '../commands/register';
import { showComposeFailure } from './composeFailure';
import type { ServicesController } from './controller';
import type { ProjectEntry } from './projects';
import type { ServiceTreeNode } from './tree';

/** Docker and compose act on the user's machine: only in a trusted workspace. */
async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showWarningMessage(
    'DuckStack: Docker and compose actions are disabled in an untrusted workspace, because they run programs and containers defined by its files. Trust the workspace to use them.',
    'Manage Workspace Trust',
  );
  if (choice === 'Manage Workspace Trust') await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** A service named from outside the tree (a link in a report). */
interface ServiceRef {
  projectDir: string;
  service: string;
}

export function registerServiceCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, controller: ServicesController): void {
  const composeOutput = vscode.window.createOutputChannel('DuckStack: Compose');
  context.subscriptions.push(composeOutput);
  let cli: Promise<ComposeCli> | undefined;

  const composeCli = (): Promise<ComposeCli> => {
    cli ??= detectComposeCli(process.env).then((r) => {
      if (!r.ok) {
        cli = undefined;
        throw new Error(r.message);
      }
      return r.cli;
    });
    return cli;
  };

  /** The project a command acts on: the node's, the only one, or one the user picks. */
  const pickProject = async (node?: ServiceTreeNode): Promise<ProjectEntry | undefined> => {
    if (node) return node.project;
    const projects = await controller.getProjects();
    if (projects.length === 0) throw new Error('no Docker Compose project in this workspace (no compose.yaml or docker-compose.yml found).');
    if (projects.length === 1) return projects[0];
    const picked = await vscode.window.showQuickPick(
      projects.map((p) => ({ label: p.name, description: vscode.workspace.asRelativePath(p.dir), project: p })),
      { placeHolder: 'Which compose project?' },
    );
    return picked?.project;
  };

  const pickService = async (node?: ServiceTreeNode): Promise<{ project: ProjectEntry; service: string } | undefined> => {
    if (node?.kind === 'service' || node?.kind === 'container') return { project: node.project, service: node.service.name };
    const project = await pickProject();
    if (!project) return undefined;
    const picked = await vscode.window.showQuickPick(project.services.map((s) => s.name), { placeHolder: `Service of ${project.name}` });
    return picked ? { project, service: picked } : undefined;
  };

  /** Runs a compose action with a cancellable progress notification; output streams to the Compose channel. */
  const runCompose = async (title: string, project: ProjectEntry, action: (runner: ComposeRunner, signal: AbortSignal) => Promise<ComposeResult>): Promise<boolean> => {
    if (!(await requireTrust())) return false;
    // Each command is echoed before its output.
    const runner = new ComposeRunner(await composeCli(), project, process.env, { onCommand: (shown) => composeOutput.appendLine(`$ ${shown.join(' ')}`) });
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `DuckStack: ${title}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        composeOutput.appendLine(`── ${title} (${project.name})`);
        return action(runner, abort.signal);
      },
    );
    await controller.refresh();
    if (result.ok) return true;
    output.error(`${title}: ${result.reason}`);
    if (!result.cancelled && result.failure) {
      void showComposeFailure(title, result.failure, project.dir, {
        showOutput: () => composeOutput.show(true),
        diagnose: (service) => vscode.commands.executeCommand('duckstack.service.diagnose', { projectDir: project.dir, service }),
      });
    }
    return false;
  };

  const streamTo = { onLine: (line: { text: string }) => composeOutput.appendLine(line.text) };

  const reg = (id: string, handler: (node?: ServiceTreeNode) => unknown): void =>
    registerCommand(context, output, id, (node?: ServiceTreeNode) => handler(node));

  reg('duckstack.services.refresh', () => controller.refresh());
  // From outside the view (the DuckDB view's "in use by"): select a service by project folder and name.
  registerCommand(context, output, 'duckstack.service.reveal', async (ref?: ServiceRef) => {
    if (!ref) throw new Error('name a compose project folder and a service.');
    const node = await controller.revealService(ref.projectDir, ref.service);
    if (!node) throw new Error(`service ${ref.service} of the compose project in ${ref.projectDir} is not in the Platform Services view (is that project open in this window?).`);
  });
  reg('duckstack.services.retry', () => controller.retry());

  reg('duckstack.platform.start', async (node) => {
    const project = await pickProject(node);
    if (project) return runCompose('Start platform', project, (r, signal) => r.up({ ...streamTo, signal }));
  });
  reg('duckstack.platform.stop', async (node) => {
    const project = await pickProject(node);
    if (project) return runCompose('Stop platform', project, (r, signal) => r.down({ ...streamTo, signal }));
  });
  reg('duckstack.platform.restart', async (node) => {
    const project = await pickProject(node);
    if (project) return runCompose('Restart platform (down, then up)', project, (r, signal) => r.restartStack({ ...streamTo, signal }));
  });
  reg('duckstack.service.start', async (node) => {
    const t = await pickService(node);
    if (t) return runCompose(`Start ${t.service}`, t.project, (r, signal) => r.startService(t.service, { ...streamTo, signal }));
  });
  reg('duckstack.service.stop', async (node) => {
    const t = await pickService(node);
    if (t) return runCompose(`Stop ${t.service}`, t.project, (r, signal) => r.stopService(t.service, { ...streamTo, signal }));
  });
  reg('duckstack.service.restart', async (node) => {
    const t = await pickService(node);
    if (t) return runCompose(`Restart ${t.service}`, t.project, (r, signal) => r.restartService(t.service, { ...streamTo, signal }));
  });
  reg('duckstack.service.rebuild', async (node) => {
    const t = await pickService(node);
    if (t) return runCompose(`Rebuild ${t.service}`, t.project, (r, signal) => r.rebuildService(t.service, { ...streamTo, signal }));
  });

  registerCommand(context, output, 'duckstack.service.logs', async (arg?: ServiceTreeNode | ServiceRef) => {
    if (!(await requireTrust())) return;
    let project: ProjectEntry | undefined;
    let service: string | undefined;
    if (arg && 'projectDir' in arg) {
      // From a link (the validation report): the project by folder, the service by name.
      project = (await controller.getProjects()).find((p) => p.dir === arg.projectDir);
      if (!project) throw new Error(`no compose project in ${arg.projectDir}.`);
      service = arg.service;
    } else {
      project = await pickProject(arg);
      service = arg?.kind === 'service' || arg?.kind === 'container' ? arg.service.name : undefined;
    }
    if (!project) return;
    const runner = new ComposeRunner(await composeCli(), project, process.env);
    const tail = vscode.workspace.getConfiguration('duckstack').get<number>('logs.tail', 200);
    // A terminal running compose directly (argument array, no shell): follows until closed.
    const logs = runner.logsCommand({ service, follow: true, tail });
    const terminal = vscode.window.createTerminal({
      name: `Logs: ${service ?? project.name}`,
      shellPath: logs.command,
      shellArgs: logs.args,
      cwd: project.dir,
      iconPath: new vscode.ThemeIcon('output'),
    });
    terminal.show();
  });

  reg('duckstack.service.openUi', async (node) => {
    let service = node?.kind === 'service' ? node.service : undefined;
    if (!service) {
      const project = await pickProject(node);
      const status = project ? controller.statusOf(project) : undefined;
      const withUi = status?.reachable ? status.services.filter((s) => s.links.length > 0) : [];
      if (withUi.length === 0) throw new Error('no running service publishes a web UI.');
      const picked = await vscode.window.showQuickPick(withUi.map((s) => ({ label: s.name, description: s.links[0].url, service: s })), { placeHolder: 'Open the UI of…' });
      service = picked?.service;
    }
    if (!service) return;
    if (service.links.length === 0) throw new Error(`${service.name} publishes no web port while it is ${service.state}.`);
    // A service with several web ports (a UI and an API, say): the known UI first, the user picks.
    const link =
      service.links.length === 1
        ? service.links[0]
        : (await vscode.window.showQuickPick(service.links.map((l) => ({ label: l.label, description: l.url, link: l })), { placeHolder: `Open which port of ${service.name}?` }))?.link;
    if (link) await vscode.env.openExternal(vscode.Uri.parse(link.url));
  });

  reg('duckstack.service.copyContainerId', async (node) => {
    const container = node?.kind === 'container' ? node.container : node?.kind === 'service' ? node.service.containers[0] : undefined;
    if (!container) throw new Error('this service has no container yet.');
    await vscode.env.clipboard.writeText(container.id);
    vscode.window.setStatusBarMessage(`Copied container id ${container.shortId}`, 3000);
  });
}

