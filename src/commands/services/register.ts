// The services' commands, one file each, registered through the one wrapper (src/commands/register.ts).
import * as vscode from 'vscode';
import type { ServicesController } from '../../services/controller';
import type { ServiceTreeNode } from '../../services/tree';
import { registerCommand } from '../register';
import { copyContainerId } from './copyContainerId';
import { openUi } from './openUi';
import { rebuildService } from './rebuildService';
import { restartPlatform } from './restartPlatform';
import { restartService } from './restartService';
import { revealService } from './revealService';
import { ServiceCommands, type ServiceRef } from './serviceCommands';
import { showLogs } from './showLogs';
import { startPlatform } from './startPlatform';
import { startProfile } from './startProfile';
import { startService } from './startService';
import { stopPlatform } from './stopPlatform';
import { stopProfile } from './stopProfile';
import { stopService } from './stopService';

export function registerServiceCommands(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, controller: ServicesController): void {
  const composeOutput = vscode.window.createOutputChannel('DuckStack: Compose');
  context.subscriptions.push(composeOutput);
  const commands = new ServiceCommands(controller, output, composeOutput);
  const docker = { requiresTrust: true };

  registerCommand(context, output, 'duckstack.services.refresh', () => controller.refresh());
  registerCommand(context, output, 'duckstack.service.reveal', (target?: ServiceRef) => revealService(controller, target));
  registerCommand(context, output, 'duckstack.services.retry', () => controller.retry());
  registerCommand(context, output, 'duckstack.platform.start', (node?: ServiceTreeNode) => startPlatform(commands, node), docker);
  registerCommand(context, output, 'duckstack.platform.stop', (node?: ServiceTreeNode) => stopPlatform(commands, node), docker);
  registerCommand(context, output, 'duckstack.platform.restart', (node?: ServiceTreeNode) => restartPlatform(commands, node), docker);
  registerCommand(context, output, 'duckstack.profile.start', (node?: ServiceTreeNode) => startProfile(commands, node), docker);
  registerCommand(context, output, 'duckstack.profile.stop', (node?: ServiceTreeNode) => stopProfile(commands, node), docker);
  registerCommand(context, output, 'duckstack.service.start', (node?: ServiceTreeNode) => startService(commands, node), docker);
  registerCommand(context, output, 'duckstack.service.stop', (node?: ServiceTreeNode) => stopService(commands, node), docker);
  registerCommand(context, output, 'duckstack.service.restart', (node?: ServiceTreeNode) => restartService(commands, node), docker);
  registerCommand(context, output, 'duckstack.service.rebuild', (node?: ServiceTreeNode) => rebuildService(commands, node), docker);
  registerCommand(context, output, 'duckstack.service.logs', (target?: ServiceTreeNode | ServiceRef) => showLogs(commands, target), docker);
  registerCommand(context, output, 'duckstack.service.openUi', (node?: ServiceTreeNode) => openUi(commands, node));
  registerCommand(context, output, 'duckstack.service.copyContainerId', (node?: ServiceTreeNode) => copyContainerId(node));
}
