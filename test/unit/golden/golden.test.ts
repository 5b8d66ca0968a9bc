import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findGoldenVersionsFile, loadGoldenVersions, noGoldenVersions, parseGoldenVersions } from '../../../src/core/golden/golden';
import { lintText, makeProjectContext } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';

const versionsOf = (text: string): Record<string, string> =>
  Object.fromEntries(parseGoldenVersions(text, 'golden_versions.md').golden.entries.map((e) => [e.tool, e.version]));

suite('golden_versions.md parser', () => {
  test('shape 1: the repo shape | Tool | Package / Image | Golden Version | Notes |', () => {
    const text = [
      '# Golden versions',
      '',
      '| Tool | Package / Image | Golden Version | Notes |',
      '|------|-----------------|----------------|-------|',
      '| Python | `python:3.11-slim` | 3.11 | base image of every service |',
      '| Dagster | dagster, dagster-webserver | 1.9.1 | |',
      '| Apache Superset | apache/superset | 5.0.0 | upgraded from 4.0.2 |',
      '| Cube.js | cubejs/cube | v0.36.0 | |',
      '| DuckDB | duckdb | 1.1.3 | |',
      '| dbt-duckdb | dbt-duckdb | 1.8.4 | |',
      '| PostgreSQL | postgres | 16 | metadata DB |',
      '| Redis | redis | 7.2 | |',
    ].join('\n');
    const { golden, problems } = parseGoldenVersions(text, '/p/golden_versions.md');
    assert.deepEqual(problems, []);
    const lookups: Array<[string, string, string]> = [
      ['python:3.11-slim', 'Python', '3.11'],
      ['apache/superset:5.0.0', 'Apache Superset', '5.0.0'],
      ['cubejs/cube', 'Cube.js', '0.36.0'],
      ['postgres', 'PostgreSQL', '16'],
      ['postgres:15-alpine', 'PostgreSQL', '16'],
      ['redis', 'Redis', '7.2'],
      ['dagster-webserver', 'Dagster', '1.9.1'],
      ['dagster-duckdb', 'Dagster', '1.9.1'],
      ['dbt-duckdb', 'dbt-duckdb', '1.8.4'],
      ['duckdb', 'DuckDB', '1.1.3'],
      ['DuckDB', 'DuckDB', '1.1.3'],
      ['docker.io/library/python:3.12', 'Python', '3.11'],
    ];
    for (const [name, tool, version] of lookups) {
      const entry = golden.lookup(name);
      assert.equal(entry?.tool, tool, name);
      assert.equal(entry?.version, version, name);
    }
    assert.equal(golden.lookup('nginx'), undefined);
    assert.equal(golden.lookup('dagster')?.line, 5);
    assert.equal(golden.lookup('dagster')?.file, '/p/golden_versions.md');
  });

  test('shape 2: bold cells, links, extra columns (Latest Stable, Critical Notes)', () => {
    const text = [
      '| Tool / Software | Official Package Name | Golden Version | Latest Stable Version | Critical Notes |',
      '| :--- | :---: | ---: | --- | --- |',
      '| **Dagster** | [dagster](https://pypi.org/project/dagster/) | **1.9.1** | 1.10.0 | keep sequential |',
      '| __dbt Core__ | `dbt-core` | v1.8.8 (pinned) | 1.9.0 | |',
    ].join('\n');
    assert.deepEqual(versionsOf(text), { Dagster: '1.9.1', 'dbt Core': '1.8.8' });
    assert.equal(parseGoldenVersions(text, 'g.md').golden.lookup('dbt-core')?.version, '1.8.8');
  });

  test('shape 3: no outer pipes, "Component" and "Version" headers', () => {
    const text = 'Component | Version\n--- | ---\nDuckDB | 1.1.3\nSuperset | 5.0.0 (see notes)\n';
    assert.deepEqual(versionsOf(text), { DuckDB: '1.1.3', Superset: '5.0.0' });
  });

  test('shape 4: "Service" / "Image" / "Pinned" with the tool only in the image column', () => {
    const text = '| Service | Image | Pinned |\n|--|--|--|\n| cube | `cubejs/cube:v0.36.0` | `v0.36.0` |\n';
    const { golden } = parseGoldenVersions(text, 'g.md');
    assert.equal(golden.lookup('cubejs/cube:latest')?.version, '0.36.0');
  });

  test('shape 5: several tables, prose between them, a table without a version column ignored', () => {
    const text = [
      '## Runtime',
      '| Tool | Golden Version |',
      '|---|---|',
      '| Python | 3.11 |',
      '',
      'Some prose | with a pipe.',
      '',
      '## Owners',
      '| Tool | Owner |',
      '|---|---|',
      '| Python | data team |',
      '',
      '## Data',
      '| Tool | Version |',
      '|---|---|',
      '| Redis | ==7.2.4 |',
    ].join('\n');
    assert.deepEqual(versionsOf(text), { Python: '3.11', Redis: '7.2.4' });
  });

  test('a row whose version cannot be read is a problem located on that row', () => {
    const text = '| Tool | Golden Version |\n|---|---|\n| Dagster | 1.9.1 |\n| Superset | latest |\n|  | 1.0 |\n';
    const { golden, problems } = parseGoldenVersions(text, 'g.md');
    assert.equal(golden.entries.length, 1);
    assert.equal(problems.length, 2);
    assert.equal(text.slice(problems[0].start, problems[0].end), '| Superset | latest |');
    assert.match(problems[0].message, /Superset/);
    assert.equal(text.slice(problems[1].start, problems[1].end), '|  | 1.0 |');
  });

  test('through the engine, an unreadable row is a golden-versions-unreadable-row finding on that line', () => {
    const root = path.resolve('/project');
    const project = makeProjectContext(root, noGoldenVersions, new Set(), { dockerfiles: [] });
    const text = '| Tool | Version |\n|---|---|\n| Redis | 7 |\n| **Superset** | TBD |\n';
    const findings = lintText({ file: path.join(root, 'golden_versions.md'), text }, project, { ruleSet: allRules });
    assert.deepEqual(findings.map((f) => [f.ruleId, f.line, f.column, f.severity]), [['golden-versions-unreadable-row', 3, 0, 'warning']]);
    assert.match(findings[0].message, /Superset/);
  });

  test('a PEP 440 pre-release, post or dev release written without a dash is read whole, not as its release', () => {
    const text = '| Tool | Golden Version |\n|---|---|\n| Dagster | 1.9.1rc1 |\n| dbt-core | v1.8.7.post1 |\n| DuckDB | ==1.1.3b2 (beta) |\n| Cube | 1.1.0.dev0 |\n| Superset | 4.1.1-rc2 |\n| Postgres | 16.6 |\n';
    assert.deepEqual(versionsOf(text), { Dagster: '1.9.1rc1', 'dbt-core': '1.8.7.post1', DuckDB: '1.1.3b2', Cube: '1.1.0.dev0', Superset: '4.1.1-rc2', Postgres: '16.6' });
  });

  test('junk and empty input give no entries and no exception', () => {
    assert.deepEqual(parseGoldenVersions('', 'g.md').golden.entries, []);
    assert.deepEqual(parseGoldenVersions('\u0000|\u0001\n|---|\n|||||', 'g.md').golden.entries, []);
  });

  test('finds the file from the setting, else the shallowest golden_versions*.md outside node_modules', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-golden-'));
    try {
      fs.mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
      fs.writeFileSync(path.join(root, 'node_modules', 'x', 'golden_versions.md'), '');
      assert.equal(findGoldenVersionsFile(root), undefined);
      fs.mkdirSync(path.join(root, 'docs', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(root, 'docs', 'deep', 'golden_versions.md'), '');
      fs.writeFileSync(path.join(root, 'docs', 'golden_versions_2025.md'), '| Tool | Version |\n|-|-|\n| Redis | 7 |\n');
      assert.equal(findGoldenVersionsFile(root), path.join(root, 'docs', 'golden_versions_2025.md'));
      assert.equal(findGoldenVersionsFile(root, 'docs/deep/golden_versions.md'), path.join(root, 'docs', 'deep', 'golden_versions.md'));
      assert.equal(findGoldenVersionsFile(root, 'missing.md'), undefined);
      assert.equal((await loadGoldenVersions(root)).golden.lookup('redis:7')?.version, '7');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
