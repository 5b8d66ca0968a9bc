import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Rebuilds one service's image (when it has a build section) and recreates only its container. */
export async function rebuildService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  const target = await commands.pickService(node);
  if (target) await commands.runCompose(`Rebuild ${target.service}`, target.project, (runner, options) => runner.rebuildService(target.service, options), [target.service]);
}
