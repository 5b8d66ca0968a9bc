import * as vscode from 'vscode';
import type { ProjectEntry } from '../../services/projects';
import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands, ServiceRef } from './serviceCommands';

/**
 * A terminal following `compose logs` of a service (or of the whole project), with
 * `duckstack.logs.tail` lines of history. From the tree, the palette, or a link naming a
 * project folder and a service (the validation report).
 */
export async function showLogs(commands: ServiceCommands, target?: ServiceTreeNode | ServiceRef): Promise<void> {
  let project: ProjectEntry | undefined;
  let service: string | undefined;
  if (target && 'projectDir' in target) {
    project = (await commands.controller.getProjects()).find((p) => p.dir === target.projectDir);
    if (!project) throw new Error(`no compose project in ${target.projectDir}.`);
    service = target.service;
  } else {
    project = await commands.pickProject(target);
    service = target?.kind === 'service' || target?.kind === 'container' ? target.service.name : undefined;
  }
  if (!project) return;
  const runner = await commands.runner(project);
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
}
