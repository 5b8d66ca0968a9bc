import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import { diagnose, type DoctorReport } from '../core/doctor';
import type { ServicesController } from '../services/controller';
import type { ServiceTreeNode } from '../services/tree';
import { DoctorReportPanel } from './report';

/** A service named from outside the tree (a failed Start, a report, a test): `{ projectDir, service? }`. */
export interface DiagnoseArgs {
  projectDir: string;
  service?: string;
}

const EVERY = 'Every service that is not running and healthy';

/** `duckstack.goldenVersionsFile` of the workspace folder holding dir, absolute; undefined when unset. */
function goldenSetting(dir: string): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
  const setting = vscode.workspace.getConfiguration('duckstack', folder?.uri).get<string>('goldenVersionsFile', '');
  return setting ? path.resolve(folder?.uri.fsPath ?? dir, setting) : undefined;
}

function isArgs(value: unknown): value is DiagnoseArgs {
  return typeof value === 'object' && value !== null && typeof (value as { projectDir?: unknown }).projectDir === 'string';
}

/** "DuckStack: Diagnose Service": the guide's "Service won't start" checks, as a report. */
export function registerDiagnoseCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, services: ServicesController): DoctorReportPanel {
  const panel = new DoctorReportPanel();
  context.subscriptions.push(panel);
  registerCommand(context, output, 'duckstack.service.diagnose', async (arg?: ServiceTreeNode | DiagnoseArgs): Promise<DoctorReport | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('DuckStack: Diagnose reads the containers, their logs and the Docker engine, so it is disabled in an untrusted workspace. Trust the workspace to use it.');
      return undefined;
    }
    let dir: string | undefined;
    let service: string | undefined;
    if (isArgs(arg)) {
      dir = arg.projectDir;
      service = arg.service;
    } else if (arg && (arg.kind === 'service' || arg.kind === 'container')) {
      dir = arg.project.dir;
      service = arg.service.name;
    } else {
      const projects = await services.getProjects();
      if (projects.length === 0) throw new Error('no Docker Compose project in this workspace to diagnose.');
      const project = projects.length === 1
        ? projects[0]
        : (await vscode.window.showQuickPick(projects.map((p) => ({ label: p.name, description: vscode.workspace.asRelativePath(p.dir), project: p })), { placeHolder: 'Diagnose which project?' }))?.project;
      if (!project) return undefined;
      const picked = await vscode.window.showQuickPick([EVERY, ...project.services.map((s) => s.name)], { placeHolder: 'Diagnose which service?' });
      if (!picked) return undefined;
      dir = project.dir;
      service = picked === EVERY ? undefined : picked;
    }
    const target = dir;
    const report = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `DuckStack: diagnosing ${service ?? 'the services'}`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return diagnose(target, { service, env: process.env, signal: abort.signal, goldenVersionsFile: goldenSetting(target) });
      },
    );
    output.info(`Diagnosis of ${service ?? 'every service not running and healthy'} in ${report.dir}: ${report.ok ? 'nothing found' : `problems in ${report.services.filter((s) => s.problem).length} service(s)`}`);
    panel.show(report, `Diagnosis: ${service ?? report.project ?? 'services'}`);
    return report;
  });
  return panel;
}
