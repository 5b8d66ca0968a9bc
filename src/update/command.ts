import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { applyChanges } from '../core/edits/files';
import { planUpdate, type UpdatePlan } from '../core/fork/update';
import { pickFolder } from '../impact/command';
import type { ImpactReportPanel } from '../impact/report';

/** Answers for the prompts, for tests and other commands. */
export interface UpdateArgs {
  dir?: string;
  /** Update from these templates instead of DuckStack's own (a template under development). */
  templatesDir?: string;
  /** true: run on a dirty tree without asking; false: refuse it without asking. */
  allowDirty?: boolean;
  /** false: no confirmation before writing. */
  confirm?: boolean;
}

export type UpdateCommandOutcome =
  | { status: 'updated'; plan: UpdatePlan; written: string[] }
  | { status: 'up-to-date'; plan: UpdatePlan }
  | { status: 'refused'; message: string }
  | { status: 'cancelled' };

const SCHEME = 'duckstack-merge';

/** The three sides of conflicting files, served read-only to the merge editor. */
class MergeSides implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

async function openInMergeEditor(plan: UpdatePlan, sides: MergeSides): Promise<void> {
  for (const file of plan.files) {
    if (file.outcome !== 'conflict' || !file.sides) continue;
    const side = (name: string, text: string): vscode.Uri => {
      const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${name}/${file.path}` });
      sides.set(uri, text);
      return uri;
    };
    await vscode.commands.executeCommand('_open.mergeEditor', {
      base: side('base', file.sides.base),
      input1: { uri: side('fork', file.sides.fork), title: 'Fork', description: 'your version' },
      input2: { uri: side('template', file.sides.template), title: 'Template', description: 'the current templates' },
      output: vscode.Uri.file(path.join(plan.root, ...file.path.split('/'))),
    });
  }
}

/** "DuckStack: Update Fork from Template…": 3-way merge of template changes, conflicts in the merge editor, then the impact report. */
export function registerUpdateCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, impact: ImpactReportPanel): void {
  const sides = new MergeSides();
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, sides));
  registerCommand(context, output, 'duckstack.updateFork', async (arg?: UpdateArgs): Promise<UpdateCommandOutcome | undefined> => {
    const args = arg ?? {};
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('DuckStack: updating a fork runs git and rewrites files, so it is disabled in an untrusted workspace. Trust the workspace to use it.');
      return undefined;
    }
    const dir = await pickFolder('Update which fork from the template?', args.dir);
    if (!dir) return undefined;
    const options = { ...(args.templatesDir ? { templatesDir: args.templatesDir } : {}) };
    let planned = await planUpdate(dir, { ...options, allowDirty: args.allowDirty === true });
    if (!planned.ok && args.allowDirty === undefined && planned.code === 'unsafe-tree') {
      const choice = await vscode.window.showWarningMessage(`DuckStack: ${planned.message.replace(/ Nothing was written\.$/, '')}`, { modal: true }, 'Update Anyway');
      if (choice !== 'Update Anyway') return { status: 'cancelled' };
      planned = await planUpdate(dir, { ...options, allowDirty: true });
    }
    if (!planned.ok) {
      void vscode.window.showErrorMessage(`DuckStack: ${planned.message}`);
      return { status: 'refused', message: planned.message };
    }
    const { plan } = planned;
    if (plan.files.length === 0 && plan.changes.length === 0) {
      void vscode.window.showInformationMessage('DuckStack: the fork already has every template change.');
      return { status: 'up-to-date', plan };
    }
    if (args.confirm !== false) {
      const detail = plan.files.map((f) => `${f.outcome}: ${f.path}`).join('\n');
      const choice = await vscode.window.showInformationMessage(
        `Update ${plan.files.length} file(s) from the template${plan.conflicts.length > 0 ? `? ${plan.conflicts.length} will have conflict markers to resolve` : '?'}`,
        { modal: true, detail },
        'Update',
      );
      if (choice !== 'Update') return { status: 'cancelled' };
    }
    const applied = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'DuckStack: updating the fork from the template' }, () => applyChanges(dir, plan.changes));
    if (!applied.ok) throw new Error(applied.message);
    output.info(`Updated ${dir} from the template: ${plan.files.map((f) => `${f.outcome} ${f.path}`).join(', ')}`);
    impact.show(plan.impact, dir, 'Impact of the Update');
    await openInMergeEditor(plan, sides);
    if (plan.conflicts.length > 0) {
      void vscode.window.showWarningMessage(`DuckStack: the fork is updated; ${plan.conflicts.join(', ')} ha${plan.conflicts.length === 1 ? 's' : 've'} conflicts to resolve in the merge editor, then commit.`);
    } else {
      void vscode.window.showInformationMessage('DuckStack: the fork is updated from the template. Review the changes, then commit.');
    }
    return { status: 'updated', plan, written: applied.written };
  });
}
