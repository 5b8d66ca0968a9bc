import * as vscode from 'vscode';
import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Opens a service's web UI: the node's service, or one the user picks among those publishing one. */
export async function openUi(commands: ServiceCommands, node?: ServiceTreeNode): Promise<void> {
  let service = node?.kind === 'service' ? node.service : undefined;
  if (!service) {
    const project = await commands.pickProject(node);
    const status = project ? commands.controller.statusOf(project) : undefined;
    const withUi = status?.reachable ? status.services.filter((s) => s.links.length > 0) : [];
    if (withUi.length === 0) throw new Error('no running service publishes a web UI.');
    const picked = await vscode.window.showQuickPick(withUi.map((s) => ({ label: s.name, description: s.links[0].url, service: s })), { placeHolder: 'Open the UI of…' });
    service = picked?.service;
  }
  if (!service) return;
  if (service.links.length === 0) throw new Error(`${service.name} publishes no web port while it is ${service.state}.`);
  // A service with several web ports (a UI and an API, say): the known UI first, the user picks.
  const link =
    service.links.length === 1
      ? service.links[0]
      : (await vscode.window.showQuickPick(service.links.map((l) => ({ label: l.label, description: l.url, link: l })), { placeHolder: `Open which port of ${service.name}?` }))?.link;
  if (link) await vscode.env.openExternal(vscode.Uri.parse(link.url));
}
