import * as vscode from 'vscode';
import type { ServiceTreeNode } from '../../services/tree';

/** Puts the container id of a container node, or of a service's first container, on the clipboard. */
export async function copyContainerId(node?: ServiceTreeNode): Promise<void> {
  const container = node?.kind === 'container' ? node.container : node?.kind === 'service' ? node.service.containers[0] : undefined;
  if (!container) throw new Error('this service has no container yet.');
  await vscode.env.clipboard.writeText(container.id);
  vscode.window.setStatusBarMessage(`Copied container id ${container.shortId}`, 3000);
}
