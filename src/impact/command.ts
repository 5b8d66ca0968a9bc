import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { defaultSince, impactSince, type ImpactReport } from '../core/impact';
import { ImpactReportPanel } from './report';

/** Answers for the prompts, for tests and other commands. */
export interface ImpactArgs {
  dir?: string;
  since?: string;
}

/** The workspace folder to work on: the only one, or the one the user picks. */
export async function pickFolder(placeHolder: string, dir?: string): Promise<string | undefined> {
  if (dir) return dir;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) throw new Error('open the folder of a platform fork first.');
  if (folders.length === 1) return folders[0].uri.fsPath;
  return (await vscode.window.showWorkspaceFolderPick({ placeHolder }))?.uri.fsPath;
}

/** "DuckStack: Show Impact of Changes": the platform now against a git ref, as a rendered report. */
export function registerImpactCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): ImpactReportPanel {
  const panel = new ImpactReportPanel();
  context.subscriptions.push(panel);
  registerCommand(context, output, 'duckstack.impact.copyMarkdown', async () => {
    const markdown = panel.markdown();
    if (markdown === undefined) return;
    await vscode.env.clipboard.writeText(markdown);
    void vscode.window.showInformationMessage('DuckStack: the impact report is on the clipboard as markdown, ready to paste as "Migration".');
  });
  registerCommand(context, output, 'duckstack.showImpact', async (arg?: ImpactArgs | vscode.Uri): Promise<ImpactReport | undefined> => {
    const args: ImpactArgs = arg instanceof vscode.Uri ? { dir: arg.fsPath } : (arg ?? {});
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('DuckStack: the impact report runs git, which reads the repository\'s own configuration, so it is disabled in an untrusted workspace. Trust the workspace to use it.');
      return undefined;
    }
    const dir = await pickFolder('Show the impact of changes in which folder?', args.dir);
    if (!dir) return undefined;
    let since = args.since;
    if (since === undefined) {
      const suggested = await defaultSince(dir);
      if (suggested === undefined) throw new Error(`${dir} is not in a git repository (or git is not installed): the impact report compares with a git ref.`);
      const other = { label: 'Another ref…', description: 'a tag, branch or commit' };
      const picked = await vscode.window.showQuickPick([{ label: suggested, description: 'the last tag, else the upstream branch, else HEAD' }, other], {
        placeHolder: 'Compare the platform now with which git ref?',
      });
      if (!picked) return undefined;
      since = picked === other ? await vscode.window.showInputBox({ prompt: 'Git ref to compare with', placeHolder: 'v1.2.0, origin/main, HEAD~3' }) : picked.label;
      if (!since) return undefined;
    }
    const ref = since;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DuckStack: impact of changes since ${ref}` }, () => impactSince(dir, ref));
    if (!result.ok) throw new Error(result.message);
    output.info(`Impact since ${ref} in ${dir}: ${result.report.items.length} changes`);
    panel.show(result.report, dir);
    return result.report;
  });
  return panel;
}
