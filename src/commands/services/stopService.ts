import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** Stops one service's containers. */
export async function stopService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const target = await commands.pickService(node);
  if (!(target && commands.canRun(target, 'stop'))) return undefined;
  return commands.runCompose(`Stop ${target.service}`, target.project, (runner, options) => runner.stopService(target.service, options));
}
