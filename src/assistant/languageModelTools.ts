// DuckStack's tools for VS Code's agent mode: each tool of src/core/tools registered with
// vscode.lm.registerTool under its package.json name (duckstack_<tool>). A thin adapter: the input
// is checked against the tool's own schema, the run is core's, and the result is the same text and
// structured content the MCP server returns (as two text parts: the sentence, then the JSON).
// Tools that change state ask the user first (prepareInvocation); tools that need trust refuse
// to run in an untrusted workspace. The definitions (and zod with them) load on first use: at
// activation only the names in package.json are registered.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ToolDefinition, ToolOutcome } from '../core/tools';
import { toolNameOf } from '../core/tools/names';
import type { ServicesController } from '../services/controller';

/** The fork the tools work on: the compose project of the active editor, else the first one, else the first folder. */
export async function platformRoot(services: ServicesController): Promise<string> {
  const projects = await services.getProjects();
  const active = vscode.window.activeTextEditor?.document.uri;
  const holding = active?.scheme === 'file' ? projects.filter((p) => active.fsPath.startsWith(p.dir + path.sep)).sort((a, b) => b.dir.length - a.dir.length)[0] : undefined;
  const dir = holding?.dir ?? projects[0]?.dir ?? vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  if (!dir) throw new Error('DuckStack: open a platform fork folder first; its tools work on the compose project of the workspace.');
  return dir;
}

/** The two parts of every result: the sentence for the model, then the structured content as JSON. */
export function toResult(done: ToolOutcome): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(done.text), new vscode.LanguageModelTextPart(JSON.stringify(done.structured))]);
}

function untrusted(tool: ToolDefinition): Error {
  return new Error(`DuckStack: ${tool.name} runs compose or reaches the platform's services, so it is disabled in an untrusted workspace. Trust the workspace to use it.`);
}

type ToolsModule = typeof import('../core/tools/index.js');
let loaded: Promise<ToolsModule> | undefined;
function loadTools(): Promise<ToolsModule> {
  loaded ??= import('../core/tools/index.js');
  return loaded;
}

export class DuckStackTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(
    /** The tool's MCP name (lint, up, …). */
    private readonly name: string,
    private readonly services: ServicesController,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  private async definition(): Promise<{ tool: ToolDefinition; tools: ToolsModule }> {
    const tools = await loadTools();
    const tool = tools.findTool(this.name);
    if (!tool) throw new Error(`DuckStack has no tool ${this.name}.`);
    return { tool, tools };
  }

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Record<string, unknown>>): Promise<vscode.PreparedToolInvocation> {
    const { tool, tools } = await this.definition();
    const invocationMessage = `DuckStack: ${tool.title}`;
    const input = tools.parseInput(tool, options.input);
    if (!tool.changesState || !tool.confirm || !input.ok) return { invocationMessage };
    const asked = tool.confirm(input.value, { root: await platformRoot(this.services) });
    return { invocationMessage, confirmationMessages: { title: `DuckStack: ${asked.title}`, message: new vscode.MarkdownString(asked.message) } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const { tool, tools } = await this.definition();
    if (tool.needsTrust && !vscode.workspace.isTrusted) throw untrusted(tool);
    const input = tools.parseInput(tool, options.input);
    if (!input.ok) throw new Error(input.message);
    const root = await platformRoot(this.services);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      this.output.info(`language model tool ${tool.name} on ${root}`);
      const done = await tool.run(input.value, { root, env: process.env, signal: abort.signal });
      if (tool.changesState) await this.services.refresh();
      return toResult(done);
    } finally {
      cancel.dispose();
    }
  }
}

/** Registers every `duckstack_*` tool package.json declares (test/unit/tools keeps them equal to the definitions). */
export function registerLanguageModelTools(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, services: ServicesController): void {
  const declared = (context.extension.packageJSON as { contributes?: { languageModelTools?: Array<{ name: string }> } }).contributes?.languageModelTools ?? [];
  for (const { name } of declared) {
    const tool = toolNameOf(name);
    if (tool) context.subscriptions.push(vscode.lm.registerTool(name, new DuckStackTool(tool, services, output)));
  }
}
