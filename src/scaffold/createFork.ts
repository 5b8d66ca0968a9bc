// "DuckStack: Create Platform Fork…": asks for a folder, a project name, the optional services
// and the host ports, shows what will be written, writes it all or nothing, then offers to open
// the folder. Planning, validation and writing are the scaffold engine's (src/core/scaffold).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { registerCommand } from '../commands/register';
import {
  OPTIONAL_SERVICES,
  checkPortsInUse,
  isOptionalService,
  planScaffold,
  projectNameFromFolder,
  validateProjectName,
  writeScaffold,
  type OptionalService,
  type PortService,
  type ScaffoldPlan,
} from '../core/scaffold';
import { createEnvFromExample } from '../core/env/create';
import { checkForkFolder, type ForkFolder } from '../core/scaffold/folder';
import { withOrigin } from '../core/fork/origin';
import { markWalkthroughStep, WALKTHROUGH_DONE } from '../walkthrough';
import { enabledPorts, pickOptionalServices, pickPorts } from './prompts';

export const CREATE_FORK_COMMAND = 'duckstack.createFork';

/**
 * Answers to the command's prompts (every one optional; a missing answer is asked for).
 * `confirm: false` skips the confirmation, `open: false` does not offer to open the folder and
 * `open: true` opens it without asking.
 */
export interface CreateForkArgs {
  dir?: string;
  projectName?: string;
  ports?: Partial<Record<PortService, number>>;
  without?: OptionalService[];
  confirm?: boolean;
  open?: boolean;
  /** Write into a folder that holds unrelated files (kept, never overwritten); as `duckstack new --allow-nonempty`. */
  allowNonEmpty?: boolean;
  /** Also create .env from .env.example with generated secrets, as `duckstack new --env` (default: true). */
  env?: boolean;
}

/** What the command did; returned to its caller (tests, other commands). */
export type CreateForkOutcome =
  | { status: 'created'; dir: string; projectName: string; written: string[]; portWarnings: string[]; env: { created: true; generated: string[] } | { created: false; reason: string } }
  | { status: 'refused'; dir?: string; problems: string[]; conflicts: string[] }
  | { status: 'cancelled' };

const TITLE = 'DuckStack: Create Platform Fork';
/** Conflicts and problems shown in a notification; the output channel gets all of them. */
const LISTED_IN_MESSAGE = 5;

export function registerCreateForkCommand(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): void {
  registerCommand(context, output, CREATE_FORK_COMMAND, (arg?: unknown) => createFork(output, parseArgs(arg)));
}

/** The command's argument as typed answers; anything malformed is an error shown by the command wrapper. */
function parseArgs(arg: unknown): CreateForkArgs {
  if (arg === undefined || arg === null) return {};
  if (arg instanceof vscode.Uri) return { dir: arg.fsPath };
  if (typeof arg !== 'object') throw new Error(`${CREATE_FORK_COMMAND}: the argument must be an object, not ${typeof arg}.`);
  const a = arg as Record<string, unknown>;
  const wrong = (field: string, expected: string): Error => new Error(`${CREATE_FORK_COMMAND}: "${field}" must be ${expected}.`);
  const args: CreateForkArgs = {};
  if (a.dir !== undefined) {
    if (typeof a.dir !== 'string' || a.dir === '') throw wrong('dir', 'a folder path');
    args.dir = a.dir;
  }
  if (a.projectName !== undefined) {
    if (typeof a.projectName !== 'string') throw wrong('projectName', 'a string');
    args.projectName = a.projectName;
  }
  if (a.ports !== undefined) {
    if (typeof a.ports !== 'object' || a.ports === null) throw wrong('ports', 'an object of service → port');
    // Values are checked by the engine (validatePort), which names the service and the value.
    args.ports = a.ports as Partial<Record<PortService, number>>;
  }
  if (a.without !== undefined) {
    if (!Array.isArray(a.without) || !a.without.every((s): s is OptionalService => typeof s === 'string' && isOptionalService(s))) {
      throw wrong('without', `a list of ${OPTIONAL_SERVICES.join(', ')}`);
    }
    args.without = a.without;
  }
  for (const flag of ['confirm', 'open', 'allowNonEmpty', 'env'] as const) {
    if (a[flag] !== undefined) {
      if (typeof a[flag] !== 'boolean') throw wrong(flag, 'true or false');
      args[flag] = a[flag];
    }
  }
  return args;
}

export async function createFork(output: vscode.LogOutputChannel, args: CreateForkArgs): Promise<CreateForkOutcome> {
  const picked = args.dir !== undefined ? { dir: resolveDir(args.dir), allowNonEmpty: args.allowNonEmpty === true } : await pickFolder();
  if (picked === undefined) return { status: 'cancelled' };
  const { dir, allowNonEmpty } = picked;

  let projectName = args.projectName;
  if (projectName !== undefined) {
    const problems = validateProjectName(projectName);
    if (problems.length > 0) return refuse(output, { dir, problems, conflicts: [] });
  } else {
    projectName = await vscode.window.showInputBox({
      title: `${TITLE} (2/4)`,
      prompt: 'Compose project name: lowercase letters, digits, dashes and underscores',
      value: projectNameFromFolder(path.basename(dir)) ?? '',
      ignoreFocusOut: true,
      validateInput: (value) => validateProjectName(value)[0],
    });
    if (projectName === undefined) return { status: 'cancelled' };
  }

  const without = args.without ?? (await pickOptionalServices(`${TITLE} (3/4)`));
  if (without === undefined) return { status: 'cancelled' };

  const ports = args.ports ?? (await pickPorts(`${TITLE} (4/4)`, without));
  if (ports === undefined) return { status: 'cancelled' };

  // The origin record (.duckstack/) lets Update Fork from Template merge later template changes.
  const plan = withOrigin(planScaffold({ dir, projectName, ports, without, allowNonEmpty }));
  if (plan.problems.length > 0 || plan.conflicts.length > 0) {
    const hint = plan.unrelated.length > 0 && !allowNonEmpty
      ? ['Pick a new folder, or pick this one and choose "Use this folder anyway" (nothing is overwritten).']
      : [];
    return refuse(output, { dir, problems: [...plan.problems, ...hint], conflicts: plan.conflicts });
  }
  const portWarnings = await checkPortsInUse(enabledPorts(plan.options));

  let withEnv = args.env !== false;
  if (args.confirm !== false) {
    const confirmed = await confirmPlan(plan, portWarnings, withEnv);
    if (confirmed === undefined) return { status: 'cancelled' };
    withEnv = confirmed.env;
  }

  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `DuckStack: writing ${plan.files.length} files of ${plan.options.projectName}…` },
    () => writeScaffold(plan),
  );
  if (!result.ok) {
    // The engine's message already lists the conflicts (files that appeared since planning).
    const problems = result.conflicts.length > 0 ? [] : [result.message];
    return refuse(output, { dir, problems, conflicts: result.conflicts });
  }

  output.info(`Created fork ${plan.options.projectName} in ${dir}: ${result.written.length} files.`);
  markWalkthroughStep(WALKTHROUGH_DONE.forkCreated);
  let env: Extract<CreateForkOutcome, { status: 'created' }>['env'] = { created: false, reason: 'not asked for' };
  if (withEnv) {
    const created = await createEnvFromExample(dir);
    if (created.ok) {
      env = { created: true, generated: created.generated };
      output.info(`Created .env from ${path.basename(created.example)}: generated ${created.generated.join(', ') || 'no secret'}.`);
      if (created.gitignore) output.info(created.gitignore);
    } else {
      env = { created: false, reason: created.reason };
      output.warn(`.env was not created: ${created.reason}`);
      void vscode.window.showWarningMessage(`DuckStack: the fork was created, but .env was not: ${created.reason}`);
    }
  }
  for (const warning of portWarnings) {
    output.warn(warning);
    void vscode.window.showWarningMessage(`DuckStack: ${warning} Change it in .env.`);
  }
  offerToOpen(dir, plan, args.open, env.created);
  return { status: 'created', dir, projectName: plan.options.projectName, written: result.written, portWarnings, env };
}

/** An argument path: absolute, or relative to the first workspace folder. */
function resolveDir(dir: string): string {
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
  return path.resolve(base, dir);
}

/**
 * A new or empty folder (only .git and desktop clutter may be there), typed or browsed to; a path
 * that does not exist is created when the fork is written. For a folder holding other entries: a
 * new subfolder for the fork, or, chosen explicitly, this folder beside them.
 */
async function pickFolder(): Promise<{ dir: string; allowNonEmpty: boolean } | undefined> {
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri;
  const base = workspace?.scheme === 'file' ? path.dirname(workspace.fsPath) : os.homedir();
  let value = path.join(base, 'duckstack-platform');
  let picked: Extract<ForkFolder, { ok: true }> | undefined;
  while (picked === undefined) {
    const answer = await askFolderPath(value, base);
    if (answer === undefined) return undefined;
    if (answer.browse) {
      const uri = (await vscode.window.showOpenDialog({
        title: `${TITLE} (1/4): an empty folder`,
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        openLabel: 'Create Fork Here',
        defaultUri: vscode.Uri.file(fs.existsSync(answer.value) ? answer.value : base),
      }))?.[0];
      if (uri && uri.scheme !== 'file') throw new Error(`a fork can only be created on this machine's file system, not in ${uri.toString()}.`);
      if (uri) value = uri.fsPath;
      continue;
    }
    const checked = checkForkFolder(answer.value, { base, home: os.homedir() });
    if (checked.ok) picked = checked;
    else value = answer.value;
  }
  const { dir, unrelated: entries } = picked;
  if (picked.state !== 'nonEmpty') return { dir, allowNonEmpty: false };

  const subfolder = 'Create it in a new subfolder…';
  const here = 'Use this folder anyway';
  const choice = await vscode.window.showQuickPick(
    [
      { label: subfolder, detail: `A new folder inside ${dir}.` },
      { label: here, detail: `Its ${entries.length} entries are kept. Nothing is ever overwritten: if any file of the fork exists, nothing is written.` },
    ],
    { title: `${TITLE} (1/4)`, placeHolder: `${path.basename(dir)} is not empty (${entries.length} entries)`, ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  if (choice.label === here) return { dir, allowNonEmpty: true };
  const name = await vscode.window.showInputBox({
    title: `${TITLE} (1/4)`,
    prompt: `Name of the new folder in ${dir}`,
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return 'Give a folder name.';
      if (/[/\\]/.test(value) || value === '.' || value === '..') return 'One folder name, without slashes.';
      if (fs.existsSync(path.join(dir, value))) return `${value} already exists in ${dir}.`;
      return undefined;
    },
  });
  return name === undefined ? undefined : { dir: path.join(dir, name), allowNonEmpty: false };
}

/**
 * The folder's path in an input box that says, as it is typed, whether the folder will be created,
 * is empty or holds other files; its Browse button (or an empty answer) asks for the folder
 * in the file dialog instead.
 */
function askFolderPath(value: string, base: string): Promise<{ value: string; browse: boolean } | undefined> {
  const box = vscode.window.createInputBox();
  box.title = `${TITLE} (1/4): an empty or new folder`;
  box.prompt = 'Path of the folder for the fork: an empty folder, or a new one, which is created (~ is your home folder).';
  box.value = value;
  box.valueSelection = [value.length - path.basename(value).length, value.length];
  box.ignoreFocusOut = true;
  const browse: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('folder-opened'), tooltip: 'Browse for a folder…' };
  box.buttons = [browse];
  const describe = (text: string): void => {
    const checked = checkForkFolder(text, { base, home: os.homedir() });
    if (!checked.ok) {
      box.validationMessage = { message: checked.message, severity: vscode.InputBoxValidationSeverity.Error };
      return;
    }
    const message = checked.state === 'new'
      ? `${checked.dir} does not exist yet: it will be created.`
      : checked.state === 'empty'
        ? `${checked.dir} is empty.`
        : `${checked.dir} holds ${checked.unrelated.length} other entries: next, choose a subfolder or this folder.`;
    box.validationMessage = { message, severity: vscode.InputBoxValidationSeverity.Info };
  };
  describe(value);
  return new Promise((resolve) => {
    let done = false;
    const finish = (answer: { value: string; browse: boolean } | undefined): void => {
      if (done) return;
      done = true;
      resolve(answer);
      box.dispose();
    };
    box.onDidChangeValue(describe);
    box.onDidTriggerButton(() => finish({ value: box.value, browse: true }));
    box.onDidAccept(() => {
      if (box.value.trim() === '') finish({ value: box.value, browse: true });
      else if (checkForkFolder(box.value, { base, home: os.homedir() }).ok) finish({ value: box.value, browse: false });
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** Modal: the file count, the top-level entries and any busy port. */
async function confirmPlan(plan: ScaffoldPlan, portWarnings: string[], env: boolean): Promise<{ env: boolean } | undefined> {
  const topLevel = [...new Set(plan.files.map((f) => (f.path.includes('/') ? `${f.path.slice(0, f.path.indexOf('/'))}/` : f.path)))];
  const ports = Object.entries(enabledPorts(plan.options)).map(([service, port]) => `${service} ${port}`);
  const left = OPTIONAL_SERVICES.filter((s) => !plan.options.enabled[s]);
  const detail = [
    `${plan.files.length} files in ${plan.dir}:`,
    topLevel.join('  '),
    '',
    `Host ports: ${ports.join(', ')}`,
    ...(left.length > 0 ? [`Left out: ${left.join(', ')}`] : []),
    ...portWarnings.map((w) => `⚠ ${w}`),
    '',
    ...(env ? ['"Create Fork" also creates .env from .env.example, each placeholder secret a generated random value (git-ignored).', ''] : []),
    'Nothing existing is overwritten.',
  ].join('\n');
  const create = 'Create Fork';
  const withoutEnv = 'Create Fork without .env';
  const buttons = env ? [create, withoutEnv] : [create];
  const choice = await vscode.window.showInformationMessage(`Create the platform fork "${plan.options.projectName}"?`, { modal: true, detail }, ...buttons);
  if (choice === create) return { env };
  if (choice === withoutEnv) return { env: false };
  return undefined;
}

function refuse(output: vscode.LogOutputChannel, refusal: { dir: string; problems: string[]; conflicts: string[] }): CreateForkOutcome {
  const { dir, problems, conflicts } = refusal;
  output.error(`Create Platform Fork in ${dir}: nothing was written.`);
  for (const problem of problems) output.error(`  ${problem}`);
  if (conflicts.length > 0) output.error(`  ${conflicts.length} path(s) already exist and would be overwritten: ${conflicts.join(', ')}`);

  const lines = conflicts.length > 0
    ? [`${conflicts.length} path(s) of the fork already exist in ${dir}: ${listSome(conflicts)}`, ...problems]
    : problems;
  void vscode.window.showErrorMessage(`DuckStack: nothing was written. ${lines.join(' ')}`, 'Show Output').then((choice) => {
    if (choice === 'Show Output') output.show(true);
  });
  return { status: 'refused', dir, problems, conflicts };
}

function listSome(items: string[]): string {
  const shown = items.slice(0, LISTED_IN_MESSAGE).join(', ');
  return items.length > LISTED_IN_MESSAGE ? `${shown} and ${items.length - LISTED_IN_MESSAGE} more (see the output).` : `${shown}.`;
}

/** Opens the fork when asked to (`open: true`), offers to when not told (`undefined`). */
function offerToOpen(dir: string, plan: ScaffoldPlan, open: boolean | undefined, envCreated: boolean): void {
  const uri = vscode.Uri.file(dir);
  const next = envCreated
    ? 'Next: open it and run "DuckStack: Start Platform".'
    : 'Next: run "DuckStack: Create .env from .env.example" (secrets generated), then start the platform.';
  const created = `DuckStack: created the platform fork "${plan.options.projectName}" (${plan.files.length} files). ${next}`;
  if (open === true) {
    void vscode.commands.executeCommand('vscode.openFolder', uri);
    return;
  }
  if (open === false) {
    void vscode.window.showInformationMessage(created);
    return;
  }
  const here = 'Open Folder';
  const newWindow = 'Open in New Window';
  // Not awaited: the command completes while the message waits for the user.
  void vscode.window.showInformationMessage(created, here, newWindow).then((choice) => {
    if (choice) void vscode.commands.executeCommand('vscode.openFolder', uri, { forceNewWindow: choice === newWindow });
  });
}
