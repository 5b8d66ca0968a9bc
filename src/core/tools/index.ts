// Every tool DuckStack offers a coding assistant, in the order clients list them: the read-only
// checks first, then the tools that change state (off unless asked for).
import { CHANGE_TOOLS } from './change';
import { READ_TOOLS } from './read';
import type { ToolDefinition } from './types';

export { CHANGES_NOTE } from './change';
export { RULE_IDS } from './read';
export { readRulesDoc, ruleSection, rulesDocFile } from './rulesDoc';
export * from './types';

export const TOOLS: readonly ToolDefinition[] = [...READ_TOOLS, ...CHANGE_TOOLS];

export function findTool(name: string): ToolDefinition | undefined {
  return TOOLS.find((t) => t.name === name);
}
