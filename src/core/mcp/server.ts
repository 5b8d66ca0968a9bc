// `duckstack mcp`: DuckStack's tools (src/core/tools) over the Model Context Protocol, for coding
// assistants, with the rule docs and the golden file as resources. A thin adapter: the tools are
// defined once in core/tools and shared with VS Code's language model tools. Tools that change
// state are registered only when asked for (allowChanges).
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { findGoldenVersionsFile } from '../golden/golden';
import { readRegularFileSync } from '../files';
import { readRulesDoc, ruleSection, RULE_IDS, TOOLS, type ToolDefinition } from '../tools';

export interface McpOptions {
  /** The fork the tools work on (absolute). */
  root: string;
  env: NodeJS.ProcessEnv;
  version: string;
  /** Also offer the tools that start, restart or write (up, restart, apply_fixes). */
  allowChanges?: boolean;
}

/** The tools a server started with these options offers. */
export function offeredTools(allowChanges: boolean): readonly ToolDefinition[] {
  return TOOLS.filter((t) => allowChanges || !t.changesState);
}

export function createMcpServer(options: McpOptions): McpServer {
  const { root, env } = options;
  const allowChanges = options.allowChanges === true;
  const server = new McpServer(
    { name: 'duckstack', version: options.version },
    {
      instructions: `DuckStack checks a DuckDB + dbt + Dagster + Superset platform fork against its platform guide (the fork's AGENTS.md). ${
        allowChanges
          ? 'Read-only tools, plus up, restart and apply_fixes, which change the stack or the files.'
          : 'All tools are read-only: lint returns fixes as diffs and writes nothing. Tools that start services or apply fixes are offered only when the server runs with --allow-changes.'
      }`,
    },
  );

  for (const tool of offeredTools(allowChanges)) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: { title: tool.title, ...tool.annotations } },
      async (input: Record<string, unknown>, extra): Promise<CallToolResult> => {
        const done = await tool.run(input, { root, env, signal: extra.signal });
        return { content: [{ type: 'text', text: done.text }], structuredContent: done.structured, ...(done.isError ? { isError: true } : {}) };
      },
    );
  }

  server.registerResource('rules', 'duckstack://rules', { title: 'DuckStack rules', description: 'Every platform rule: what it checks and how to fix it (docs/rules.md).', mimeType: 'text/markdown' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/markdown', text: readRulesDoc() }],
  }));
  server.registerResource(
    'rule',
    new ResourceTemplate('duckstack://rules/{id}', { list: async () => ({ resources: RULE_IDS.map((id) => ({ uri: `duckstack://rules/${id}`, name: id, mimeType: 'text/markdown' })) }) }),
    { title: 'One DuckStack rule', description: 'The documentation of one rule.', mimeType: 'text/markdown' },
    async (uri, { id }) => {
      const section = ruleSection(readRulesDoc(), String(id));
      if (section === undefined) throw new Error(`No rule ${String(id)} in docs/rules.md.`);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: `### ${String(id)}\n${section}\n` }] };
    },
  );
  server.registerResource('golden_versions', 'duckstack://golden_versions.md', { title: 'Golden versions', description: "The fork's golden_versions.md.", mimeType: 'text/markdown' }, async (uri) => {
    const file = findGoldenVersionsFile(root);
    const read = file ? readRegularFileSync(file) : undefined;
    if (!read?.ok) throw new Error(file ? `${file}: ${read && !read.ok ? read.message : 'unreadable'}` : `No golden_versions.md in ${root}.`);
    return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: read.text }] };
  });
  return server;
}
