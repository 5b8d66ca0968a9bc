// `duckstack mcp [dir]`: the Model Context Protocol server over stdio, for coding assistants. Stdout
// carries the protocol only; messages go to stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../core/mcp/server';
import { version } from '../../package.json';
import { ExitCode, type CliCommand } from './io';

const HELP = `Usage: duckstack mcp [dir]

Serves DuckStack's read-only tools over the Model Context Protocol (stdio) for a coding assistant:
lint (fixes as diffs, nothing written), validate, status, catalog, query (read-only, snapshot,
row limit and timeout), golden_versions and explain_rule; resources duckstack://rules,
duckstack://rules/{id} and duckstack://golden_versions.md. No tool changes files or the stack.

  dir   the fork (default: the current folder)
`;

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return ExitCode.ok;
  }
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    io.err(`duckstack mcp: expected at most one folder\n\n${HELP}`);
    return ExitCode.usage;
  }
  const root = path.resolve(io.cwd, args[0] ?? '.');
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    io.err(`duckstack mcp: ${root} is not a folder\n`);
    return ExitCode.usage;
  }
  const server = createMcpServer({ root, env: io.env, version });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', () => void server.close().then(resolve));
  });
  await server.connect(transport);
  io.err(`duckstack mcp: serving ${root} on stdio\n`);
  await closed;
  return ExitCode.ok;
};
