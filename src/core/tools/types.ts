// One definition of each tool DuckStack offers a coding assistant: its name, descriptions, input
// and output schemas, whether it changes state, and what it does. The MCP server
// (`duckstack mcp`) and VS Code's language model tools are thin adapters over this one list.
import { z } from 'zod';

export interface ToolContext {
  /** The fork the tools work on (absolute). */
  root: string;
  /** Environment for compose interpolation and the Docker endpoint. */
  env: NodeJS.ProcessEnv;
  /** The caller cancelled (an MCP cancel notification, a VS Code cancellation token). */
  signal?: AbortSignal;
}

/** A tool's answer: structured content (as its output schema says) and the same in one sentence. */
export interface ToolOutcome {
  structured: Record<string, unknown>;
  text: string;
  /** The tool could not do what was asked (the structured content says why). */
  isError?: boolean;
}

export interface ToolConfirmation {
  title: string;
  /** Markdown: what will change, and how to undo it. */
  message: string;
}

export interface ToolDefinition<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  /** snake_case, as MCP clients show it. */
  name: string;
  title: string;
  /** For the model: what it does, what it returns, and whether it changes anything. */
  description: string;
  input: I;
  output: O;
  /**
   * Starts, restarts or writes something. Such tools are offered over MCP only when the server was
   * started with --allow-changes, and VS Code asks the user before each run.
   */
  changesState: boolean;
  /**
   * Runs compose or reaches the services the workspace's files define: VS Code offers it only in a
   * trusted workspace (every tool that changes state needs trust too).
   */
  needsTrust: boolean;
  /** MCP's behaviour hints. */
  annotations: { readOnlyHint: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  /** What the user is asked before a state-changing run (VS Code's confirmation). */
  confirm?: (input: z.infer<z.ZodObject<I>>, ctx: Pick<ToolContext, 'root'>) => ToolConfirmation;
  run(input: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<ToolOutcome>;
}

/** Keeps each tool's input type tied to its schema while the list holds them all. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(tool: ToolDefinition<I, O>): ToolDefinition {
  return tool as unknown as ToolDefinition;
}

export function outcome(structured: Record<string, unknown>, text: string, isError = false): ToolOutcome {
  return isError ? { structured, text, isError } : { structured, text };
}

/** The JSON schema of a tool's input, as VS Code's `languageModelTools` contribution declares it. */
export function inputJsonSchema(tool: ToolDefinition): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(z.object(tool.input), { io: 'input' }) as Record<string, unknown>;
  return schema;
}

/** Validates input the way the MCP SDK does before a run: a clear message instead of a crash. */
export function parseInput(tool: ToolDefinition, input: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  const parsed = z.object(tool.input).safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: `Invalid input for ${tool.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}` };
}
