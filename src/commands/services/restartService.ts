import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Restarts one service's containers. */
export async function restartService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  const target = await commands.pickService(node);
  if (target) await commands.runCompose(`Restart ${target.service}`, target.project, (runner, options) => runner.restartService(target.service, options));
}
