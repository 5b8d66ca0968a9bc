import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** Restarts one service's containers. */
export async function restartService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const target = await commands.pickService(node);
  if (!(target && commands.canRun(target, 'restart'))) return undefined;
  return commands.runCompose(`Restart ${target.service}`, target.project, (runner, options) => runner.restartService(target.service, options));
}
