import * as vscode from 'vscode';
import type { ServiceTreeNode } from '../../services/tree';
import type { ServiceCommands } from './serviceCommands';

/** Where Open UI shows a page: the setting duckstack.openUi.in. */
export type OpenUiTarget = 'browser' | 'simpleBrowser';

function openUiTarget(): OpenUiTarget {
  return vscode.workspace.getConfiguration('duckstack').get<string>('openUi.in') === 'simpleBrowser' ? 'simpleBrowser' : 'browser';
}

/**
 * Opens a service's web UI: the node's service, or one the user picks among those publishing one.
 * The address goes through asExternalUri, so a port on a remote machine (Remote-SSH, WSL, a dev
 * container, code-server) is forwarded; resolves to the address opened.
 */
export async function openUi(commands: ServiceCommands, node?: ServiceTreeNode): Promise<vscode.Uri | undefined> {
  let service = node?.kind === 'service' ? node.service : undefined;
  if (!service) {
    const project = await commands.pickProject(node);
    const status = project ? commands.controller.statusOf(project) : undefined;
    const withUi = status?.reachable ? status.services.filter((s) => s.links.length > 0) : [];
    if (withUi.length === 0) throw new Error('no running service publishes a web UI.');
    const picked = await vscode.window.showQuickPick(withUi.map((s) => ({ label: s.name, description: s.links[0].url, service: s })), { placeHolder: 'Open the UI of…' });
    service = picked?.service;
  }
  if (!service) return undefined;
  if (service.links.length === 0) throw new Error(`${service.name} publishes no web port while it is ${service.state}.`);
  // A service with several web ports (a UI and an API, say): the known UI first, the user picks.
  const link =
    service.links.length === 1
      ? service.links[0]
      : (await vscode.window.showQuickPick(service.links.map((l) => ({ label: l.label, description: l.url, link: l })), { placeHolder: `Open which port of ${service.name}?` }))?.link;
  if (!link) return undefined;
  const external = await vscode.env.asExternalUri(vscode.Uri.parse(link.url));
  if (openUiTarget() === 'simpleBrowser') {
    await vscode.commands.executeCommand('simpleBrowser.show', external.toString(true));
  } else {
    await vscode.env.openExternal(external);
  }
  return external;
}
