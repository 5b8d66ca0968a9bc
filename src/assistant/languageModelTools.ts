// DuckStack's tools for VS Code's agent mode: each tool of src/core/tools registered with
// vscode.lm.registerTool under its package.json name (duckstack_<tool>). A thin adapter: the input
// is checked against the tool's own schema, the run is core's, and the result is the same text and
// structured content the MCP server returns (as two text parts: the sentence, then the JSON).
// Tools that change state ask the user first (prepareInvocation); tools that need trust refuse
// to run in an untrusted workspace.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { languageModelToolName } from '../core/tools/manifest';
import { parseInput, TOOLS, type ToolDefinition, type ToolOutcome } from '../core/tools';
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

export class DuckStackTool implements vscode.LanguageModelTool<Record<string, unknown>> {
  constructor(
    private readonly tool: ToolDefinition,
    private readonly services: ServicesController,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<Record<string, unknown>>): Promise<vscode.PreparedToolInvocation> {
    const invocationMessage = `DuckStack: ${this.tool.title}`;
    const input = parseInput(this.tool, options.input);
    if (!this.tool.changesState || !this.tool.confirm || !input.ok) return { invocationMessage };
    const asked = this.tool.confirm(input.value, { root: await platformRoot(this.services) });
    return { invocationMessage, confirmationMessages: { title: `DuckStack: ${asked.title}`, message: new vscode.MarkdownString(asked.message) } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    if (this.tool.needsTrust && !vscode.workspace.isTrusted) throw untrusted(this.tool);
    const input = parseInput(this.tool, options.input);
    if (!input.ok) throw new Error(input.message);
    const root = await platformRoot(this.services);
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      this.output.info(`language model tool ${this.tool.name} on ${root}`);
      const done = await this.tool.run(input.value, { root, env: process.env, signal: abort.signal });
      if (this.tool.changesState) await this.services.refresh();
      return toResult(done);
    } finally {
      cancel.dispose();
    }
  }
}

export function registerLanguageModelTools(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, services: ServicesController): void {
  for (const tool of TOOLS) context.subscriptions.push(vscode.lm.registerTool(languageModelToolName(tool), new DuckStackTool(tool, services, output)));
}
