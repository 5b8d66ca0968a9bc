import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { loadGoldenVersions } from '../core/golden/golden';
import { planUpgrade, type UpgradePlan } from '../core/upgrade/upgrade';
import { compareGolden } from '../core/versions/compare';
import { pickFolder } from '../impact/command';

/** Answers for the prompts, for tests and other commands. */
export interface UpgradeArgs {
  dir?: string;
  /** The row: its tool, or a package or image of it. */
  tool?: string;
  version?: string;
}

export type UpgradeOutcome = { status: 'applied'; plan: UpgradePlan } | { status: 'discarded'; plan: UpgradePlan } | { status: 'refused'; message: string };

function position(text: string, offset: number): vscode.Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

/**
 * Every edit of the plan as one WorkspaceEdit that VS Code shows in its refactor preview before
 * applying (edits that need confirmation start unchecked there: the user ticks the upgrade).
 */
function workspaceEdit(plan: UpgradePlan): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const label = `Upgrade ${plan.tool} ${plan.from} → ${plan.to}`;
  for (const e of plan.edits) {
    const before = plan.changes.find((c) => c.path === e.file)?.before ?? '';
    const uri = vscode.Uri.file(path.join(plan.root, ...e.file.split('/')));
    edit.replace(uri, new vscode.Range(position(before, e.start), position(before, e.end)), e.text, {
      needsConfirmation: true,
      label,
      description: `${e.what}: ${e.from} → ${e.text}`,
    });
  }
  const workplan = vscode.Uri.file(path.join(plan.root, ...plan.workplan.file.split('/')));
  // One label: the preview shows one category, which checks (and applies) every edit at once.
  const metadata = { needsConfirmation: true, label, description: 'the dated migration checklist' };
  if (plan.workplan.before === undefined) edit.createFile(workplan, { ignoreIfExists: false, contents: new TextEncoder().encode(plan.workplan.text) }, metadata);
  else {
    const at = position(plan.workplan.before, plan.workplan.offset);
    edit.insert(workplan, at, plan.workplan.text, metadata);
  }
  return edit;
}

/** "DuckStack: Upgrade Tool Version…": pick a golden row, give the version; every edit in one refactor preview. */
export function registerUpgradeCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  registerCommand(context, output, 'duckstack.upgradeTool', async (arg?: UpgradeArgs): Promise<UpgradeOutcome | undefined> => {
    const args = arg ?? {};
    const dir = await pickFolder('Upgrade a tool of which platform?', args.dir);
    if (!dir) return undefined;
    const setting = vscode.workspace.getConfiguration('duckstack').get<string>('goldenVersionsFile', '') || undefined;
    const { golden } = await loadGoldenVersions(dir, setting);
    if (golden.entries.length === 0) throw new Error(`no golden_versions.md with readable rows in ${dir}.`);
    let tool = args.tool;
    if (tool === undefined) {
      const picked = await vscode.window.showQuickPick(
        golden.entries.map((e) => ({ label: e.tool, description: e.version, detail: e.names.join(', ') })),
        { placeHolder: 'Upgrade which tool of golden_versions.md?', matchOnDetail: true },
      );
      if (!picked) return undefined;
      tool = picked.label;
    }
    let version = args.version;
    if (version === undefined) {
      const current = golden.entries.find((e) => e.tool === tool)?.version ?? '';
      version = await vscode.window.showInputBox({
        prompt: `New version of ${tool} (golden version now: ${current})`,
        placeHolder: current,
        validateInput: (value) => {
          const order = compareGolden(value.trim().replace(/^v(?=\d)/, ''), current);
          if (order !== undefined && order < 0) return `Lower than ${current}: the platform guide says NEVER downgrade to fix issues.`;
          return undefined;
        },
      });
      if (version === undefined) return undefined;
    }
    const planned = planUpgrade(dir, tool, version.trim(), new Date().toISOString().slice(0, 10), setting);
    if (!planned.ok) {
      void vscode.window.showErrorMessage(`DuckStack: ${planned.message} Nothing was changed.`);
      return { status: 'refused', message: planned.message };
    }
    const { plan } = planned;
    // Edits are planned from the files on disk: an editor with unsaved changes would shift them.
    const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && plan.changes.some((c) => d.uri.fsPath === path.join(dir, ...c.path.split('/'))));
    if (dirty.length > 0) throw new Error(`save ${dirty.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ')} first: the upgrade edits the files as saved.`);
    const applied = await vscode.workspace.applyEdit(workspaceEdit(plan), { isRefactoring: true });
    if (!applied) return { status: 'discarded', plan };
    for (const change of plan.changes) {
      const uri = vscode.Uri.file(path.join(dir, ...change.path.split('/')));
      if (vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath && d.isDirty)) await vscode.workspace.save(uri);
    }
    output.info(`Upgraded ${plan.tool} ${plan.from} → ${plan.to} in ${dir}: ${plan.edits.length} edits`);
    void vscode.window.showInformationMessage(`DuckStack: ${plan.tool} upgraded to ${plan.to}. The migration checklist is in ${plan.workplan.file}.`);
    return { status: 'applied', plan };
  });
}
