import { markWalkthroughStep, WALKTHROUGH_DONE } from '../../walkthrough';
import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** Starts the whole compose project: `up -d --wait`. */
export async function startPlatform(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const project = await commands.pickProject(node);
  if (!project) return undefined;
  const run = await commands.runCompose('Start platform', project, (runner, options) => runner.up(options));
  if (run.result.ok) markWalkthroughStep(WALKTHROUGH_DONE.platformStarted);
  return run;
}
