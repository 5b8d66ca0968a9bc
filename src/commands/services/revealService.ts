import type { ServicesController } from '../../services/controller';
import type { ServiceRef } from './serviceCommands';

/** Shows the services view with one service selected, named by project folder and service (the DuckDB view's "in use by"). */
export async function revealService(controller: ServicesController, target?: ServiceRef): Promise<void> {
  if (!target) throw new Error('name a compose project folder and a service.');
  const node = await controller.revealService(target.projectDir, target.service);
  if (!node) throw new Error(`service ${target.service} of the compose project in ${target.projectDir} is not in the Platform Services view (is that project open in this window?).`);
}
