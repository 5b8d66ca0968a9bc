import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMPOSE_FILE_NAMES, loadComposeProject, type ComposeProject } from '../core/compose/project';
import { workspaceSearch } from '../core/workspace/watch';

/** A compose project of the workspace, as the services view shows it. */
export type ProjectEntry = ComposeProject;

const COMPOSE_GLOB = `**/{${COMPOSE_FILE_NAMES.join(',')}}`;

/**
 * Every folder of the workspace holding a compose file, loaded as compose would load it (its
 * .env, COMPOSE_FILE, COMPOSE_PROJECT_NAME, COMPOSE_PROFILES and override files).
 */
export async function discoverProjects(): Promise<ProjectEntry[]> {
  const search = workspaceSearch(COMPOSE_GLOB);
  const files = await vscode.workspace.findFiles(search.include, search.exclude, 50);
  const dirs = [...new Set(files.map((f) => path.dirname(f.fsPath)))].sort();
  return Promise.all(dirs.map((dir) => loadComposeProject(dir, { processEnv: process.env })));
}
