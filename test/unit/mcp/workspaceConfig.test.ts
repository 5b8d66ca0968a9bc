// .vscode/mcp.json gets DuckStack's server without losing anything: created when missing, merged
// into an existing file (other servers, comments, indentation, CRLF and a BOM kept), left alone
// when already right, and never rewritten when it is not UTF-8, not JSON, not shaped as mcp.json
// or not a regular file.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { addMcpServer, duckstackServerEntry } from '../../../src/core/mcp/workspaceConfig';
import { TEMP_MARKER } from '../../../src/core/fs/atomic';

const ENTRY = duckstackServerEntry('/usr/bin/node', '/opt/duckstack/dist/cli.js', false);

suite('mcp: .vscode/mcp.json', () => {
  let root: string;
  let n = 0;
  const folder = (files: Record<string, string | Buffer> = {}): string => {
    const dir = path.join(root, `ws${n++}`);
    fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, '.vscode', name), content);
    return dir;
  };
  const mcpJson = (dir: string): string => fs.readFileSync(path.join(dir, '.vscode', 'mcp.json'), 'utf8');
  const noTemp = (dir: string): void => assert.deepEqual(fs.readdirSync(path.join(dir, '.vscode')).filter((f) => f.includes(TEMP_MARKER)), []);

  suiteSetup(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-mcpjson-'));
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the entry runs this Node on this CLI with `mcp ${workspaceFolder}`; under Electron, as Node', () => {
    assert.deepEqual(ENTRY, { type: 'stdio', command: '/usr/bin/node', args: ['/opt/duckstack/dist/cli.js', 'mcp', '${workspaceFolder}'] });
    assert.deepEqual(duckstackServerEntry('/usr/share/code/code', '/x/cli.js', true).env, { ELECTRON_RUN_AS_NODE: '1' });
  });

  test('no file, no .vscode folder: both created', async () => {
    const dir = path.join(root, 'bare');
    fs.mkdirSync(dir);
    const result = await addMcpServer(dir, 'duckstack', ENTRY);
    assert.deepEqual(result, { ok: true, file: path.join(dir, '.vscode', 'mcp.json'), change: 'created' });
    assert.deepEqual(JSON.parse(mcpJson(dir)), { servers: { duckstack: ENTRY } });
    assert.deepEqual(await addMcpServer(dir, 'duckstack', ENTRY), { ok: true, file: path.join(dir, '.vscode', 'mcp.json'), change: 'unchanged' });
  });

  test('an existing file with other servers, inputs and comments: the entry added, every other byte kept', async () => {
    const before = [
      '// shared with the team',
      '{',
      '    "inputs": [{ "type": "promptString", "id": "token", "password": true }],',
      '    "servers": {',
      '        // GitHub',
      '        "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" },',
      '        "other": { "command": "npx", "args": ["-y", "other-mcp"] },',
      '    },',
      '}',
      '',
    ].join('\n');
    const dir = folder({ 'mcp.json': before });
    const result = await addMcpServer(dir, 'duckstack', ENTRY);
    assert.equal(result.ok && result.change, 'added');
    const after = mcpJson(dir);
    const parsed = parse(after, [], { allowTrailingComma: true }) as { servers: Record<string, unknown>; inputs: unknown[] };
    assert.deepEqual(Object.keys(parsed.servers), ['github', 'other', 'duckstack']);
    assert.deepEqual(parsed.servers.duckstack, ENTRY);
    assert.equal(parsed.inputs.length, 1);
    for (const line of before.split('\n').filter((l) => l.trim() && !l.trim().startsWith('}'))) assert.ok(after.includes(line), `kept: ${line}`);
    assert.match(after, /\n {8}"duckstack": \{\n {12}"type": "stdio",/, 'the file’s four-space indentation');
    noTemp(dir);
  });

  test('an older DuckStack entry is replaced; CRLF and a BOM are kept', async () => {
    const old = { servers: { duckstack: { type: 'stdio', command: 'node', args: ['/old/cli.js', 'mcp', '${workspaceFolder}'] }, keep: { command: 'x' } } };
    const text = JSON.stringify(old, null, 2).replace(/\n/g, '\r\n') + '\r\n';
    const dir = folder({ 'mcp.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
    const result = await addMcpServer(dir, 'duckstack', ENTRY);
    assert.equal(result.ok && result.change, 'updated');
    const bytes = fs.readFileSync(path.join(dir, '.vscode', 'mcp.json'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const after = bytes.subarray(3).toString('utf8');
    assert.doesNotMatch(after.replace(/\r\n/g, ''), /\n/, 'every line ends with CRLF');
    assert.deepEqual(JSON.parse(after), { servers: { duckstack: ENTRY, keep: { command: 'x' } } });
  });

  test('malformed JSON, not UTF-8, the wrong shape, a folder or a FIFO: reported, the file byte for byte as it was', async () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['malformed', '{ "servers": { "a": { "command": "x" } ', /not valid JSON: .* at line 1; the file was left as it is\./],
      ['latin1', Buffer.from('{ "servers": { "caf\xe9": {} } }', 'latin1'), /not UTF-8 \(byte 0xe9 at offset \d+ is not UTF-8\)/],
      ['array', '[1, 2]', /not a JSON object/],
      ['servers-list', '{ "servers": [] }', /"servers" is not an object/],
    ];
    for (const [label, content, message] of cases) {
      const dir = folder({ 'mcp.json': content });
      const result = await addMcpServer(dir, 'duckstack', ENTRY);
      assert.equal(result.ok, false, label);
      assert.match(result.ok ? '' : result.message, message, label);
      assert.deepEqual(fs.readFileSync(path.join(dir, '.vscode', 'mcp.json')), Buffer.from(content as string | Buffer), label);
      noTemp(dir);
    }
    const withFolder = folder();
    fs.mkdirSync(path.join(withFolder, '.vscode', 'mcp.json'));
    const refused = await addMcpServer(withFolder, 'duckstack', ENTRY);
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.message, /folder/);
    assert.ok(fs.statSync(path.join(withFolder, '.vscode', 'mcp.json')).isDirectory());
    const withFifo = folder();
    execFileSync('mkfifo', [path.join(withFifo, '.vscode', 'mcp.json')]);
    const fifo = await addMcpServer(withFifo, 'duckstack', ENTRY);
    assert.equal(fifo.ok, false);
    assert.match(fifo.ok ? '' : fifo.message, /FIFO|pipe/i);
    assert.ok(fs.lstatSync(path.join(withFifo, '.vscode', 'mcp.json')).isFIFO());
  });
});
