import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** Stops and removes the project's containers: `down` (volumes are kept). */
export async function stopPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const project = await commands.pickProject(node);
  if (!project) return undefined;
  return commands.runCompose('Stop platform', project, (runner, options) => runner.down(options));
}
