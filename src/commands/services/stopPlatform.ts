import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Stops and removes the project's containers: `down` (volumes are kept). */
export async function stopPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  const project = await commands.pickProject(node);
  if (project) await commands.runCompose('Stop platform', project, (runner, options) => runner.down(options));
}
