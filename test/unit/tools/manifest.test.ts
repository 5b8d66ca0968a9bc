// One tool list: package.json declares exactly the language model tools that src/core/tools
// defines (names, descriptions, input schemas, trust), and every tool is consistent with itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { parseInput, TOOLS } from '../../../src/core/tools';
import { languageModelToolContributions, toolNameOf } from '../../../src/core/tools/manifest';

const PACKAGE_JSON = path.resolve(__dirname, '../../../../package.json');

suite('tools: one definition list for MCP and VS Code', () => {
  test('package.json contributes.languageModelTools equals the list derived from src/core/tools', () => {
    const manifest = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { contributes: { languageModelTools?: unknown } };
    assert.deepEqual(manifest.contributes.languageModelTools, languageModelToolContributions(), 'package.json is out of date: run `npx tsc -p . && node scripts/sync-lm-tools.mjs`');
  });

  test('every tool: a unique name, an output schema, state-changing tools say so, need trust and ask first', () => {
    assert.equal(new Set(TOOLS.map((t) => t.name)).size, TOOLS.length);
    for (const tool of TOOLS) {
      assert.match(tool.name, /^[a-z_]+$/);
      assert.equal(toolNameOf(`duckstack_${tool.name}`), tool.name);
      assert.ok(Object.keys(tool.output).length > 0, `${tool.name} has an output schema`);
      assert.equal(tool.annotations.readOnlyHint, !tool.changesState, tool.name);
      if (tool.changesState) {
        assert.match(tool.description, /Changes state: offered over MCP only when `duckstack mcp` runs with --allow-changes; VS Code asks the user first\./, tool.name);
        assert.equal(tool.needsTrust, true, `${tool.name} needs a trusted workspace`);
        assert.ok(tool.confirm, `${tool.name} has a confirmation`);
      } else {
        assert.match(tool.description, /read-only/i, `${tool.name} says it is read-only`);
      }
    }
    const contributed = languageModelToolContributions();
    for (const c of contributed) assert.equal(c.when === 'isWorkspaceTrusted', TOOLS.find((t) => `duckstack_${t.name}` === c.name)?.needsTrust, c.name);
  });

  test('input is checked against the tool’s own schema, with a message naming the field', () => {
    const query = TOOLS.find((t) => t.name === 'query');
    assert.ok(query);
    assert.deepEqual(parseInput(query, { sql: 'SELECT 1', limit: 5 }), { ok: true, value: { sql: 'SELECT 1', limit: 5 } });
    const bad = parseInput(query, { sql: 'SELECT 1', limit: 50_000 });
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.message, /^Invalid input for query: limit: /);
    const missing = parseInput(query, {});
    assert.match(missing.ok ? '' : missing.message, /sql/);
    // The JSON schema VS Code validates against says the same.
    const schema = languageModelToolContributions().find((c) => c.name === 'duckstack_query')?.inputSchema as { required?: string[]; properties: Record<string, { maximum?: number }> };
    assert.deepEqual(schema.required, ['sql']);
    assert.equal(schema.properties.limit.maximum, 10_000);
    assert.ok(z.object(query.input).safeParse({ sql: 'x' }).success);
  });

  test('the confirmations name what will run and where', () => {
    const confirm = (name: string, input: Record<string, unknown>) => TOOLS.find((t) => t.name === name)?.confirm?.(input, { root: '/srv/fork' });
    assert.deepEqual(confirm('up', { service: 'dagster' })?.title, 'Start dagster');
    assert.match(confirm('up', {})?.message ?? '', /`docker compose up -d --wait` in `\/srv\/fork`/);
    assert.match(confirm('restart', {})?.message ?? '', /`docker compose down`, then `docker compose up -d --wait`/);
    assert.match(confirm('apply_fixes', { rules: ['compose-healthcheck'] })?.message ?? '', /of `compose-healthcheck`/);
  });
});
