import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** The platform guide's full restart: `down`, then `up -d --wait`. */
export async function restartPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const project = await commands.pickProject(node);
  if (!project) return undefined;
  return commands.runCompose('Restart platform (down, then up)', project, (runner, options) => runner.restartStack(options));
}
