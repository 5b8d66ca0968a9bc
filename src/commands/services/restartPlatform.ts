import { markWalkthroughStep, WALKTHROUGH_DONE } from '../../walkthrough';
import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** The platform guide's full restart: `down`, then `up -d --wait`. */
export async function restartPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const project = await commands.pickProject(node);
  if (!project) return undefined;
  const run = await commands.runCompose('Restart platform (down, then up)', project, (runner, options) => runner.restartStack(options));
  if (run.result.ok) markWalkthroughStep(WALKTHROUGH_DONE.platformStarted);
  return run;
}
