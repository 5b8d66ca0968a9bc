import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Starts the whole compose project: `up -d --wait`. */
export async function startPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  const project = await commands.pickProject(node);
  if (project) await commands.runCompose('Start platform', project, (runner, options) => runner.up(options));
}
