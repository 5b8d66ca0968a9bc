import * as vscode from 'vscode';
import { openDockerEngine } from '../../core/docker/engine';
import { followServiceLogs, type FollowEvent } from '../../core/docker/logs-follow';
import { showComposeFailure } from '../../services/composeFailure';
import type { ProjectEntry } from '../../services/projects';
import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands, ServiceRef } from './serviceCommands';

/** An open log view: its terminal, and what it has shown (for tests and the output). */
export interface LogView {
  readonly terminal: vscode.Terminal;
  /** Every line shown so far, markers included, without terminal colours. */
  readonly transcript: string[];
}

const DIM = '\x1b[2m';
const RED = '\x1b[31m';
const RESET = '\x1b[0m';

function clock(at: Date): string {
  return at.toLocaleTimeString();
}

/**
 * A terminal following `compose logs` of one service with `duckstack.logs.tail` lines of history,
 * across restarts and recreations (each marked in the stream) until the user closes it; or, for
 * the whole project, a terminal following every service until they stop. From the tree, the
 * palette, or a link naming a project folder and a service (the validation report).
 */
export async function showLogs(commands: ServiceCommands, target?: ServiceTreeNode | ServiceRef): Promise<LogView | undefined> {
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
  if (!project) return undefined;
  const tail = vscode.workspace.getConfiguration('duckstack').get<number>('logs.tail', 200);
  const transcript: string[] = [];
  const write = new vscode.EventEmitter<string>();
  const abort = new AbortController();
  const show = (text: string, style = ''): void => {
    transcript.push(text);
    write.fire(`${style}${text.replace(/\r?\n/g, '\r\n')}${style ? RESET : ''}\r\n`);
  };
  if (!service) return showProjectLogs(commands, project, tail, { transcript, write, abort, show });
  const runner = await commands.runner(project);
  const opened = await openDockerEngine(process.env);
  if (!opened.ok) throw new Error(`${opened.problem.cause} ${opened.problem.remedy}`);
  const name = service;
  const projectName = project.name;
  let lines = 0;
  let runs = 0;
  const onEvent = (event: FollowEvent): void => {
    switch (event.kind) {
      case 'line':
        lines++;
        show(event.text);
        break;
      case 'stopped':
        if (runs === 0 && lines === 0) show(`── ${name} is not running and has logged nothing yet: its logs appear here once it starts; close this terminal to stop following ──`, DIM);
        else show(`── ${name} is not running (${clock(event.at)}): waiting for it to start again; close this terminal to stop following ──`, DIM);
        break;
      case 'restarted':
        runs++;
        show(`── ${name} started again at ${clock(event.at)} (container ${event.container}) ──`, DIM);
        break;
      case 'problem':
        show(`── ${event.message} ──`, RED);
        break;
    }
  };
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    open: () => {
      void followServiceLogs(runner, opened.engine, projectName, { service: name, tail, signal: abort.signal, onEvent }).finally(() => write.dispose());
    },
    close: () => abort.abort(),
  };
  const terminal = vscode.window.createTerminal({ name: `Logs: ${name}`, pty, iconPath: new vscode.ThemeIcon('output') });
  terminal.show();
  return { terminal, transcript };
}

interface Stream {
  transcript: string[];
  write: vscode.EventEmitter<string>;
  abort: AbortController;
  show: (text: string, style?: string) => void;
}

/**
 * The whole project: `compose logs --follow` (an argument array, no shell) streamed into a
 * terminal, its command line first. When compose fails (a missing variable, no engine), the
 * terminal and a notification say why in plain words, with the actions that fit.
 */
async function showProjectLogs(commands: ServiceCommands, project: ProjectEntry, tail: number, stream: Stream): Promise<LogView> {
  const { transcript, write, abort, show } = stream;
  const runner = await commands.runner(project, { onCommand: (shown) => show(`$ ${shown.join(' ')}`, DIM) });
  let terminal: vscode.Terminal | undefined;
  const pty: vscode.Pseudoterminal = {
    onDidWrite: write.event,
    open: () => {
      void runner
        .logs({ follow: true, tail, signal: abort.signal, onLine: (line) => show(line.text) })
        .then((result) => {
          if (result.ok) show('── every service stopped: nothing more to follow ──', DIM);
          else if (!result.cancelled && result.failure) {
            show(`── ${result.failure.cause} ${result.failure.remedy} ──`, RED);
            void showComposeFailure('Show logs', result.failure, project.dir, {
              showOutput: () => terminal?.show(),
              diagnose: (service) => vscode.commands.executeCommand('duckstack.service.diagnose', { projectDir: project.dir, service }),
            });
          } else if (!result.cancelled) show(`── ${result.reason} ──`, RED);
        })
        .finally(() => write.dispose());
    },
    close: () => abort.abort(),
  };
  terminal = vscode.window.createTerminal({ name: `Logs: ${project.name}`, pty, iconPath: new vscode.ThemeIcon('output') });
  terminal.show();
  return { terminal, transcript };
}
