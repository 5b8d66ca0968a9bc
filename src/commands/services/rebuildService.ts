import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** Rebuilds one service's image (when it has a build section) and recreates only its container. */
export async function rebuildService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const target = await commands.pickService(node);
  if (!target) return undefined;
  return commands.runCompose(`Rebuild ${target.service}`, target.project, (runner, options) => runner.rebuildService(target.service, options), [target.service]);
}
