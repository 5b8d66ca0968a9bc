import * as vscode from 'vscode';
import { ComposeRunner, detectComposeCli, type ComposeCli, type ComposeResult, type RunnerHooks, type RunOptions } from '../../core/docker/compose-cli';
import { cannotRun, type ServiceAction } from '../../core/docker/service-words';
import { withWaitFailures } from '../../core/docker/wait-failure';
import { showComposeFailure } from '../../services/composeFailure';
import type { ServicesController } from '../../services/controller';
import type { ProjectEntry } from '../../services/projects';
import type { ServiceTreeNode } from '../../services/tree';

/** A service named from outside the tree (a link in a report). */
export interface ServiceRef {
  projectDir: string;
  service: string;
}

/** A compose action as it ran: its result and the lines it wrote to the Compose output, in order. */
export interface ComposeRun {
  result: ComposeResult;
  output: string[];
}

/** A service and its project, as a command acts on it. */
export interface ServiceTarget {
  project: ProjectEntry;
  service: string;
}

/**
 * What the services' commands share: the services controller, the *DuckStack: Compose* output,
 * the compose CLI (found once), and picking the project or service a command acts on.
 */
export class ServiceCommands {
  private cli: Promise<ComposeCli> | undefined;

  constructor(
    readonly controller: ServicesController,
    readonly output: vscode.LogOutputChannel,
    readonly composeOutput: vscode.OutputChannel,
  ) {}

  /** The compose runner of a project, with the compose CLI found on first use; `hooks.onCommand` sees each command before it runs. */
  async runner(project: ProjectEntry, hooks: RunnerHooks = {}): Promise<ComposeRunner> {
    this.cli ??= detectComposeCli(process.env).then((detected) => {
      if (!detected.ok) {
        this.cli = undefined;
        throw new Error(detected.message);
      }
      return detected.cli;
    });
    return new ComposeRunner(await this.cli, project, process.env, hooks);
  }

  /** The project a command acts on: the node's, the only one, or one the user picks. */
  async pickProject(node?: ServiceTreeNode): Promise<ProjectEntry | undefined> {
    if (node) return node.project;
    const projects = await this.controller.getProjects();
    if (projects.length === 0) throw new Error('no Docker Compose project in this workspace (no compose.yaml or docker-compose.yml found).');
    if (projects.length === 1) return projects[0];
    const picked = await vscode.window.showQuickPick(
      projects.map((project) => ({ label: project.name, description: vscode.workspace.asRelativePath(project.dir), project })),
      { placeHolder: 'Which compose project?' },
    );
    return picked?.project;
  }

  /** The service a command acts on: the node's, or one the user picks. */
  async pickService(node?: ServiceTreeNode): Promise<ServiceTarget | undefined> {
    if (node?.kind === 'service' || node?.kind === 'container') return { project: node.project, service: node.service.name };
    const project = await this.pickProject();
    if (!project) return undefined;
    const picked = await vscode.window.showQuickPick(project.services.map((s) => s.name), { placeHolder: `Service of ${project.name}` });
    return picked ? { project, service: picked } : undefined;
  }

  /**
   * Whether `action` can run on the service now; when it cannot, says why (an information
   * message) and returns false. A service whose state is not known yet is given the benefit.
   */
  canRun(target: ServiceTarget, action: ServiceAction): boolean {
    const status = this.controller.statusOf(target.project);
    const service = status?.reachable ? status.services.find((s) => s.name === target.service) : undefined;
    const why = service ? cannotRun(service, action) : undefined;
    if (why === undefined) return true;
    void vscode.window.showInformationMessage(`DuckStack: ${why}`);
    this.output.info(why);
    return false;
  }

  /**
   * Runs a compose action with a cancellable progress notification; its output streams to the
   * Compose channel, each command line echoed before its output. A failed `up --wait` names every
   * service (of `asked`, else all) that failed to become healthy or exited, with Diagnose on each.
   */
  async runCompose(title: string, project: ProjectEntry, action: (runner: ComposeRunner, options: RunOptions) => Promise<ComposeResult>, asked: string[] = []): Promise<ComposeRun> {
    const output: string[] = [];
    const print = (line: string): void => {
      output.push(line);
      this.composeOutput.appendLine(line);
    };
    // Each command line is printed before its output (down, then up, for a full restart).
    const runner = await this.runner(project, { onCommand: (shown) => print(`$ ${shown.join(' ')}`) });
    const acted = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `DuckStack: ${title}`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        print(`── ${title} (${project.name})`);
        return action(runner, { signal: abort.signal, onLine: (line) => print(line.text) });
      },
    );
    const result = await withWaitFailures(acted, project, process.env, asked);
    await this.controller.refresh();
    if (result.ok) return { result, output };
    if (result.cancelled) {
      // The user's own choice: information, not an error.
      print(`── ${title} cancelled`);
      this.output.info(`${title}: cancelled by the user`);
      return { result, output };
    }
    this.output.error(`${title}: ${result.failure?.cause ?? result.reason}`);
    if (result.failure) {
      void showComposeFailure(title, result.failure, project.dir, {
        showOutput: () => this.composeOutput.show(true),
        diagnose: (service) => vscode.commands.executeCommand('duckstack.service.diagnose', { projectDir: project.dir, service }),
      });
    }
    return { result, output };
  }
}
