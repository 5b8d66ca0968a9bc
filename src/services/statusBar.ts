import * as vscode from 'vscode';
import type { PlatformStatusText } from '../core/docker/platform-status';

/** Shows `content` in the item (hides it when there is none). */
export function renderPlatformStatus(item: vscode.StatusBarItem, content: PlatformStatusText | undefined): void {
  if (!content) {
    item.hide();
    return;
  }
  item.text = content.text;
  item.tooltip = content.tooltip;
  item.backgroundColor = content.background ? new vscode.ThemeColor(`statusBarItem.${content.background}Background`) : undefined;
  item.show();
}
