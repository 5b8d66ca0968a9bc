import { withDependencies } from '../../core/docker/wait-failure';
import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** Starts one service (creating it if needed) with its dependencies. */
export async function startService(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const target = await commands.pickService(node);
  if (!(target && commands.canRun(target, 'start'))) return undefined;
  return commands.runCompose(`Start ${target.service}`, target.project, (runner, options) => runner.startService(target.service, options), withDependencies(target.project, [target.service]));
}
