// Adds DuckStack's MCP server to a VS Code workspace's `.vscode/mcp.json` (JSON with comments,
// `{ "servers": { name: { type, command, args } } }`). The file's other servers, comments and
// formatting are kept (jsonc-parser edits only the one entry); the write is atomic. A file that is
// not UTF-8, not valid JSON with comments, or not shaped as mcp.json is reported and never
// rewritten; so is anything but a regular file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, format, modify, parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { readRegularFileBytes } from '../files';
import { describeWriteError, writeFileAtomic } from '../fs/atomic';
import { decodeUtf8, encodeUtf8 } from '../fs/text';

export interface McpStdioServer {
  type: 'stdio';
  command: string;
  args: string[];
  env?: Record<string, string>;
}

export type AddServerResult =
  | { ok: true; file: string; change: 'created' | 'added' | 'updated' | 'unchanged' }
  | { ok: false; file: string; message: string };

/** The entry that runs `duckstack mcp` on the workspace folder with this Node and this DuckStack's CLI. */
export function duckstackServerEntry(node: string, cli: string, electron: boolean): McpStdioServer {
  return {
    type: 'stdio',
    command: node,
    args: [cli, 'mcp', '${workspaceFolder}'],
    // VS Code's own executable runs scripts as Node only with this variable set.
    ...(electron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {}),
  };
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds or replaces servers[name] in the mcp.json of workspaceFolder; everything else stays. */
export async function addMcpServer(workspaceFolder: string, name: string, server: McpStdioServer): Promise<AddServerResult> {
  const file = path.join(workspaceFolder, '.vscode', 'mcp.json');
  const fail = (message: string): AddServerResult => ({ ok: false, file, message: `${file}: ${message}; the file was left as it is.` });
  const exists = fs.lstatSync(file, { throwIfNoEntry: false }) !== undefined;

  if (!exists) {
    const text = `${JSON.stringify({ servers: { [name]: server } }, null, 2)}\n`;
    try {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, text, { exclusive: true });
    } catch (e) {
      return { ok: false, file, message: `${file} could not be written: ${describeWriteError(e)}` };
    }
    return { ok: true, file, change: 'created' };
  }

  const read = await readRegularFileBytes(file);
  if (!read.ok) return fail(read.message);
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return fail(`not UTF-8 (${decoded.reason})`);
  const text = decoded.text;
  const errors: ParseError[] = [];
  const config: unknown = text.trim() === '' ? {} : parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) return fail(`not valid JSON: ${printParseErrorCode(errors[0].error)} at line ${lineOf(text, errors[0].offset)}`);
  if (!isObject(config)) return fail('not a JSON object');
  const servers = config.servers;
  if (servers !== undefined && !isObject(servers)) return fail('"servers" is not an object');
  const previous = servers?.[name];
  if (sameJson(previous, server)) return { ok: true, file, change: 'unchanged' };

  // The entry is inserted compact, then only its own text is formatted in the file's indentation:
  // formatting through modify() would also reformat the neighbouring server.
  const indent = /^( +|\t)"/m.exec(text)?.[1];
  const formatting = { insertSpaces: indent !== '\t', tabSize: indent && indent !== '\t' ? indent.length : 2, eol: decoded.eol };
  let next = text.trim() === '' ? '{}' : text;
  for (const edit of modify(next, ['servers', name], server, {})) {
    next = applyEdits(next, [edit]);
    next = applyEdits(next, format(next, { offset: edit.offset, length: edit.content.length }, formatting));
  }
  if (!next.endsWith(decoded.eol)) next += decoded.eol;
  try {
    await writeFileAtomic(file, encodeUtf8(next, decoded.bom));
  } catch (e) {
    return { ok: false, file, message: `${file} could not be written, it is unchanged: ${describeWriteError(e)}` };
  }
  return { ok: true, file, change: previous === undefined ? 'added' : 'updated' };
}
