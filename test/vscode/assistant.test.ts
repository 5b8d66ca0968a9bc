// DuckStack for coding assistants inside a real VS Code: the language model tools are in
// vscode.lm.tools with the schemas of the one tool list, vscode.lm.invokeTool returns what the MCP
// server (`node dist/cli.js mcp`, through the SDK's client) returns for the same folder, tools that
// change state ask first, and Add MCP Server to Workspace writes a .vscode/mcp.json whose entry
// starts a working server. No language model is needed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { DuckStackApi } from '../../src/extension';
import { DuckStackTool } from '../../src/assistant/languageModelTools';
import { findTool, inputJsonSchema, TOOLS } from '../../src/core/tools';
import type { AddServerResult } from '../../src/core/mcp/workspaceConfig';

const EXTENSION_ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(EXTENSION_ROOT, 'dist', 'cli.js');

function stringEnv(extra: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries({ ...process.env, ...extra }).filter((e): e is [string, string] => e[1] !== undefined));
}

async function mcpClient(command: string, args: string[], env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'duckstack-vscode-test', version: '0.0.0' });
  await client.connect(new StdioClientTransport({ command, args, env, stderr: 'pipe' }));
  return client;
}

function parts(result: vscode.LanguageModelToolResult): string[] {
  return result.content.map((part) => {
    assert.ok(part instanceof vscode.LanguageModelTextPart, `a result part that is not text: ${JSON.stringify(part)}`);
    return part.value;
  });
}

suite('Assistant tools (extension host)', () => {
  let api: DuckStackApi;
  let workspace: string;
  let mcp: Client;
  const temp: string[] = [];

  suiteSetup(async function () {
    this.timeout(60_000);
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests run in a workspace folder');
    workspace = folder.uri.fsPath;
    assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
    mcp = await mcpClient(process.execPath, [CLI, 'mcp', workspace], stringEnv());
  });

  suiteTeardown(async () => {
    await mcp?.close();
    for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('every DuckStack tool is in vscode.lm.tools, with the input schema and tags of the one tool list', () => {
    for (const tool of TOOLS) {
      const info = vscode.lm.tools.find((t) => t.name === `duckstack_${tool.name}`);
      assert.ok(info, `duckstack_${tool.name} is not in vscode.lm.tools: ${vscode.lm.tools.map((t) => t.name).join(', ')}`);
      assert.deepEqual(info.inputSchema, inputJsonSchema(tool), tool.name);
      assert.equal(info.description, tool.description);
      assert.deepEqual([...info.tags], ['duckstack', tool.changesState ? 'changes-state' : 'read-only']);
    }
  });

  test('vscode.lm.invokeTool returns the text and the structured content the MCP tool returns', async function () {
    this.timeout(120_000);
    const calls: Array<[string, Record<string, unknown>]> = [
      ['lint', {}],
      ['lint', { paths: ['docker-compose.yml'] }],
      ['validate', {}],
      ['golden_versions', {}],
      ['explain_rule', { id: 'compose-healthcheck' }],
      ['explain_rule', { id: 'no-such-rule' }],
      ['catalog', {}],
      ['query', { sql: 'SELECT 1' }],
    ];
    for (const [name, input] of calls) {
      const viaMcp = (await mcp.callTool({ name, arguments: input })) as CallToolResult;
      const [text, json] = parts(await vscode.lm.invokeTool(`duckstack_${name}`, { input, toolInvocationToken: undefined }));
      assert.equal(text, (viaMcp.content[0] as { text: string }).text, `${name} ${JSON.stringify(input)}: text`);
      assert.deepEqual(JSON.parse(json), viaMcp.structuredContent, `${name} ${JSON.stringify(input)}: structured content`);
    }
    const [, golden] = parts(await vscode.lm.invokeTool('duckstack_golden_versions', { input: {}, toolInvocationToken: undefined }));
    assert.ok((JSON.parse(golden) as { entries: unknown[] }).entries.length > 0, 'the fixture’s golden versions were read');
  });

  test('input that breaks the tool’s schema is refused, naming the field', async () => {
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool('duckstack_query', { input: { sql: 'SELECT 1', limit: 50_000 }, toolInvocationToken: undefined })), /limit/);
  });

  test('tools that change state ask first, naming the command and the folder; read-only tools do not', async () => {
    const prepare = (name: string, input: Record<string, unknown>) => {
      const tool = findTool(name);
      assert.ok(tool);
      return new DuckStackTool(tool.name, api.services, api.output).prepareInvocation({ input });
    };
    const up = await prepare('up', { service: 'web' });
    assert.equal(up.confirmationMessages?.title, 'DuckStack: Start web');
    const message = up.confirmationMessages?.message;
    assert.ok(message instanceof vscode.MarkdownString);
    assert.match(message.value, /`docker compose up -d --wait web`/);
    assert.ok(message.value.includes(`\`${workspace}\``), message.value);
    const restart = await prepare('restart', {});
    assert.match(restart.confirmationMessages?.title ?? '', /Restart the platform/);
    const fixes = await prepare('apply_fixes', { paths: ['docker-compose.yml'] });
    assert.match(fixes.confirmationMessages?.title ?? '', /Apply DuckStack fixes/);
    for (const name of ['lint', 'validate', 'query', 'doctor']) {
      const prepared = await prepare(name, name === 'query' ? { sql: 'SELECT 1' } : {});
      assert.equal(prepared.confirmationMessages, undefined, name);
      assert.match(String(prepared.invocationMessage), /^DuckStack: /);
    }
  });

  test('Add MCP Server to Workspace: .vscode/mcp.json created, merged without losing a server, a malformed file left alone; the entry serves the tools', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-addmcp-'));
    temp.push(dir);
    const file = path.join(dir, '.vscode', 'mcp.json');
    const created = await vscode.commands.executeCommand<AddServerResult>('duckstack.addMcpServer', vscode.Uri.file(dir));
    assert.deepEqual(created, { ok: true, file, change: 'created' });
    const entry = (JSON.parse(fs.readFileSync(file, 'utf8')) as { servers: { duckstack: { type: string; command: string; args: string[]; env?: Record<string, string> } } }).servers.duckstack;
    assert.equal(entry.type, 'stdio');
    assert.deepEqual(entry.args, [CLI, 'mcp', '${workspaceFolder}']);

    // VS Code substitutes ${workspaceFolder}; the server then lists the read-only tools.
    const served = await mcpClient(entry.command, entry.args.map((a) => a.replace('${workspaceFolder}', workspace)), stringEnv(entry.env));
    try {
      const { tools } = await served.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), TOOLS.filter((t) => !t.changesState).map((t) => t.name).sort());
    } finally {
      await served.close();
    }

    fs.writeFileSync(file, '{\n  // ours\n  "servers": { "other": { "command": "npx", "args": ["other-mcp"] } }\n}\n');
    const merged = await vscode.commands.executeCommand<AddServerResult>('duckstack.addMcpServer', vscode.Uri.file(dir));
    assert.deepEqual(merged, { ok: true, file, change: 'added' });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\/\/ ours/);
    assert.match(text, /"other": \{ "command": "npx", "args": \["other-mcp"\] \}/);
    assert.match(text, /"duckstack": \{/);

    const malformed = '{ "servers": { "other": ';
    fs.writeFileSync(file, malformed);
    const refused = await vscode.commands.executeCommand<AddServerResult>('duckstack.addMcpServer', vscode.Uri.file(dir));
    assert.equal(refused?.ok, false);
    assert.match(refused && !refused.ok ? refused.message : '', /not valid JSON/);
    assert.equal(fs.readFileSync(file, 'utf8'), malformed);
  });
});
