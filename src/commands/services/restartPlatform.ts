import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** The platform guide's full restart: `down`, then `up -d --wait`. */
export async function restartPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  const project = await commands.pickProject(node);
  if (project) await commands.runCompose('Restart platform (down, then up)', project, (runner, options) => runner.restartStack(options));
}
