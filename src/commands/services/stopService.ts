import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Stops one service's containers. */
export async function stopService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  const target = await commands.pickService(node);
  if (target) await commands.runCompose(`Stop ${target.service}`, target.project, (runner, options) => runner.stopService(target.service, options));
}
