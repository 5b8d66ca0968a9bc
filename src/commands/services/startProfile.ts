import * as vscode from 'vscode';
import { withDependencies } from '../../core/docker/wait-failure';
import type { ProjectEntry } from '../../services/projects';
import type { ServiceTreeNode } from '../../services/tree';
import type { ComposeRun, ServiceCommands } from './serviceCommands';

/** The profile a command acts on: the node's, or one the user picks among the project's. */
export async function pickProfile(commands: ServiceCommands, node: ServiceTreeNode | undefined, verb: string): Promise<{ project: ProjectEntry; profile: string } | undefined> {
  if (node?.kind === 'profile') return { project: node.project, profile: node.profile };
  const project = await commands.pickProject(node);
  if (!project) return undefined;
  if (project.profiles.length === 0) throw new Error(`no service of ${project.name} has a compose profile.`);
  const picked = await vscode.window.showQuickPick(
    project.profiles.map((p) => ({
      label: p,
      description: `${project.activeProfiles.includes(p) ? 'active' : 'not active'} · ${project.services.filter((s) => s.profiles.includes(p)).map((s) => s.name).join(', ')}`,
    })),
    { placeHolder: `${verb} which profile of ${project.name}?` },
  );
  return picked ? { project, profile: picked.label } : undefined;
}

/** Start Profile: the profile's services with `docker compose --profile <p> up -d --wait`. */
export async function startProfile(commands: ServiceCommands, node?: ServiceTreeNode): Promise<ComposeRun | undefined> {
  const target = await pickProfile(commands, node, 'Start');
  if (!target) return;
  const services = target.project.services.filter((s) => s.profiles.includes(target.profile)).map((s) => s.name);
  return commands.runCompose(`Start profile ${target.profile}`, target.project, (runner, options) => runner.startProfile(target.profile, options), withDependencies(target.project, services));
}
