// VS Code's names for DuckStack's tools, kept apart from the definitions so the extension can
// register its language model tools at activation without loading them (and zod) until first use.

/** The language model tool's name in VS Code: `duckstack_<tool>`. */
export function languageModelToolName(tool: { name: string }): string {
  return `duckstack_${tool.name}`;
}

/** The MCP tool a VS Code language model tool name stands for. */
export function toolNameOf(languageModelName: string): string | undefined {
  return languageModelName.startsWith('duckstack_') ? languageModelName.slice('duckstack_'.length) : undefined;
}
