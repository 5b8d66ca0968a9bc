import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';
import { pickProfile } from './startProfile';

/** Stop Profile: `docker compose --profile <p> stop` of the profile's services; the others keep running. */
export async function stopProfile(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const target = await pickProfile(commands, node, 'Stop');
  if (!target) return undefined;
  return commands.runCompose(`Stop profile ${target.profile}`, target.project, (runner, options) => runner.stopProfile(target.profile, options));
}
