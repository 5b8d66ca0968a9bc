// Shared by the MCP tests: the bundled CLI served over stdio to the SDK's own client, and a call
// that insists on structured content.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const CLI = path.resolve(__dirname, '../../../../dist/cli.js');

/** `node dist/cli.js mcp <dir> [--allow-changes]` with exactly this environment. */
export async function connect(dir: string, env: NodeJS.ProcessEnv, options: { allowChanges?: boolean } = {}): Promise<Client> {
  assert.ok(fs.existsSync(CLI), `${CLI} is missing: run npm run build first`);
  const childEnv = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  const client = new Client({ name: 'duckstack-test', version: '0.0.0' });
  const args = [CLI, 'mcp', dir, ...(options.allowChanges ? ['--allow-changes'] : [])];
  await client.connect(new StdioClientTransport({ command: process.execPath, args, env: childEnv, stderr: 'pipe' }));
  return client;
}

export async function call(client: Client, name: string, args: Record<string, unknown> = {}, timeoutMs = 170_000): Promise<{ result: CallToolResult; data: Record<string, unknown> }> {
  const result = (await client.callTool({ name, arguments: args }, undefined, { timeout: timeoutMs })) as CallToolResult;
  assert.ok(result.structuredContent, `${name} returned no structured content: ${JSON.stringify(result.content)}`);
  return { result, data: result.structuredContent };
}

/** Every regular file under dir with its text (DuckDB files left out). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && !e.name.endsWith('.duckdb') && !e.name.endsWith('.wal')) out.set(full, fs.readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

export const READ_TOOL_NAMES = ['catalog', 'doctor', 'explain_rule', 'golden_versions', 'lint', 'query', 'status', 'validate'];
export const CHANGE_TOOL_NAMES = ['apply_fixes', 'restart', 'up'];
