// Every fork carries the platform guide for coding assistants: AGENTS.md with the rules in short,
// the commands that check them and where each rule is documented, and CLAUDE.md pointing to it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINE_FINDINGS, lintWorkspace } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import { planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { REPO_ROOT, tempDir } from './support';

const RULES_DOC = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');

suite('scaffold: AGENTS.md and CLAUDE.md for coding assistants', () => {
  let root: string;
  suiteSetup(() => {
    root = tempDir('agents');
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('the full fork names every rule, each documented in docs/rules.md, the commands that check them and the guide’s protocol', async () => {
    const dir = path.join(root, 'full');
    const written = await writeScaffold(planScaffold({ dir, projectName: 'acme-data' }));
    assert.ok(written.ok, written.ok ? '' : written.message);
    const agents = fs.readFileSync(path.join(dir, 'AGENTS.md'), 'utf8');
    assert.match(agents, /^# Instructions for coding assistants: acme-data$/m);
    assert.doesNotMatch(agents, /\{\{[#/]?[A-Za-z]/, 'no template syntax left');
    for (const id of [...allRules.map((r) => r.id), ...Object.keys(ENGINE_FINDINGS)]) {
      assert.match(agents, new RegExp('`' + id + '`'), `AGENTS.md names ${id}`);
      assert.ok(RULES_DOC.includes(`\n### ${id}\n`), `docs/rules.md documents ${id}, where AGENTS.md sends the reader`);
    }
    assert.match(agents, /https:\/\/github\.com\/duckstack\/duckstack\/blob\/main\/docs\/rules\.md#<rule-id>/);
    for (const command of ['duckstack lint', 'duckstack validate', 'duckstack doctor']) assert.ok(agents.includes(`\`${command}`), `AGENTS.md shows ${command}`);
    // The platform guide's rules that matter most, in its own words.
    assert.match(agents, /NEVER downgrade/);
    assert.match(agents, /docker compose down && docker compose up -d/);
    assert.match(agents, /six months ago/);
    const claude = fs.readFileSync(path.join(dir, 'CLAUDE.md'), 'utf8');
    assert.match(claude, /^@AGENTS\.md$/m, 'CLAUDE.md imports AGENTS.md (Claude Code’s @file import)');
  });

  test('a fork without Cube leaves out the Cube rules, keeps the rest, and lints clean', async () => {
    const dir = path.join(root, 'no-cube');
    const written = await writeScaffold(planScaffold({ dir, without: ['cube'] }));
    assert.ok(written.ok);
    const agents = fs.readFileSync(path.join(dir, 'AGENTS.md'), 'utf8');
    assert.doesNotMatch(agents, /cube-api-secret|cube-pre-aggregations|\*\*Cube\.\*\*/);
    assert.match(agents, /`compose-healthcheck`/);
    assert.doesNotMatch(agents, /\n\n\n/, 'the removed block leaves no double blank line');
    assert.deepEqual(await lintWorkspace(dir, { ruleSet: allRules }), []);
  });
});
