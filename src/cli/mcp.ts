// `duckstack mcp [dir]`: the Model Context Protocol server over stdio, for coding assistants. Stdout
// carries the protocol only; messages go to stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../core/mcp/server';
import { version } from '../../package.json';
import { ExitCode, type CliCommand } from './io';

const HELP = `Usage: duckstack mcp [dir] [--allow-changes]

Serves DuckStack's tools over the Model Context Protocol (stdio) for a coding assistant:
lint (fixes as diffs, nothing written), validate, status, doctor, catalog, query (read-only,
snapshot, row limit and timeout), golden_versions and explain_rule; resources duckstack://rules,
duckstack://rules/{id} and duckstack://golden_versions.md. By default no tool changes files or
the stack.

  dir              the fork (default: the current folder)
  --allow-changes  also offer the tools that change state: up and restart (docker compose) and
                   apply_fixes (rewrites files as lint --fix does)
`;

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return ExitCode.ok;
  }
  const allowChanges = args.includes('--allow-changes');
  const positional = args.filter((a) => a !== '--allow-changes');
  if (positional.length > 1 || positional.some((a) => a.startsWith('-'))) {
    io.err(`duckstack mcp: expected at most one folder and --allow-changes\n\n${HELP}`);
    return ExitCode.usage;
  }
  const root = path.resolve(io.cwd, positional[0] ?? '.');
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    io.err(`duckstack mcp: ${root} is not a folder\n`);
    return ExitCode.usage;
  }
  const server = createMcpServer({ root, env: io.env, version, allowChanges });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', () => void server.close().then(resolve));
  });
  await server.connect(transport);
  io.err(`duckstack mcp: serving ${root} on stdio${allowChanges ? ', with the tools that change state (up, restart, apply_fixes)' : ', read-only'}\n`);
  await closed;
  return ExitCode.ok;
};
