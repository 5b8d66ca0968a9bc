// DuckStack's own linter finds nothing in what DuckStack scaffolds: every fork option set and
// every snippet (expanded with its defaults, in a file where it belongs) lints clean.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lintWorkspace } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import type { Finding } from '../../../src/core/lint/types';
import { planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { composeWithSnippet, expandSnippet, loadSnippets, OPTION_SETS, SNIPPET_HOSTS, TEMPLATES_DIR, tempDir, type Snippet } from './support';

const show = (root: string, findings: Finding[]): string =>
  findings.map((f) => `${path.relative(root, f.file)}:${f.line + 1}:${f.column + 1} ${f.ruleId} ${f.message}`).join('\n');

/** Where a non-compose snippet goes in a project, so the linter reads it as that kind of file. */
const SNIPPET_FILES: Record<string, string> = {
  'duckstack-dbt-profiles': '04_dbt/profiles.yml',
  'duckstack-dbt-sources': '04_dbt/models/staging/sources.yml',
  'duckstack-dbt-schema-tests': '04_dbt/models/marts/schema.yml',
  'duckstack-dbt-model': '04_dbt/models/marts/snippet_model.sql',
  'duckstack-dbt-staging-model': '04_dbt/models/staging/snippet_staging.sql',
  'duckstack-dagster-yaml': '03_dagster/dagster.yaml',
  'duckstack-dagster-workspace': '03_dagster/workspace.yaml',
  'duckstack-dagster-duckdb-asset': '03_dagster/pipeline/raw_assets.py',
  'duckstack-dagster-definitions': '03_dagster/pipeline/definitions.py',
};

suite('scaffold: lints clean', () => {
  let root: string;
  suiteSetup(() => {
    root = tempDir('lint');
  });
  suiteTeardown(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const set of OPTION_SETS) {
    test(`the fork has zero findings in CI; in the working copy, only compose-env-missing until .env exists: ${set.label}`, async () => {
      const dir = path.join(root, set.label.replace(/\W+/g, '-'));
      const written = await writeScaffold(planScaffold({ dir, without: set.without, ports: set.ports }));
      assert.ok(written.ok);
      const bare = await lintWorkspace(dir, { ruleSet: allRules });
      assert.equal(bare.length, 0, show(dir, bare));
      const local = await lintWorkspace(dir, { ruleSet: allRules, workingCopy: true });
      assert.deepEqual(local.map((f) => [path.relative(dir, f.file), f.ruleId, f.fix?.title]), [['docker-compose.yml', 'compose-env-missing', 'Create .env from .env.example']], show(dir, local));
      fs.copyFileSync(path.join(dir, '.env.example'), path.join(dir, '.env'));
      const withEnv = await lintWorkspace(dir, { ruleSet: allRules, workingCopy: true });
      assert.equal(withEnv.length, 0, show(dir, withEnv));
    });
  }

  for (const snippet of loadSnippets()) {
    test(`snippet ${snippet.prefix} has zero findings`, async () => {
      const dir = fs.mkdtempSync(path.join(root, 'snippet-'));
      fs.copyFileSync(path.join(TEMPLATES_DIR, 'golden_versions.md'), path.join(dir, 'golden_versions.md'));
      fs.copyFileSync(path.join(SNIPPET_HOSTS, '.env.example'), path.join(dir, '.env.example'));
      const [file, text] = placeSnippet(snippet);
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
      const findings = await lintWorkspace(dir, { ruleSet: allRules });
      assert.equal(findings.length, 0, show(dir, findings));
    });
  }
});

function placeSnippet(snippet: Snippet): [string, string] {
  if (snippet.file === 'compose.json') return ['docker-compose.yml', composeWithSnippet(snippet)];
  const file = SNIPPET_FILES[snippet.prefix];
  assert.ok(file, `SNIPPET_FILES names a file for ${snippet.prefix}`);
  return [file, expandSnippet(snippet.body)];
}
