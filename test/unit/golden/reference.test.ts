import * as assert from 'node:assert/strict';
import { goldenFrom } from '../../../src/core/golden/golden';
import { goldenReferenceAt, referenceAt } from '../../../src/core/golden/reference';
import type { FileKind } from '../../../src/core/workspace/classify';

const golden = goldenFrom('/p/golden_versions.md', [
  { tool: 'Apache Superset', names: ['apache/superset', 'superset'], version: '5.0.0', file: '/p/golden_versions.md', line: 8 },
  { tool: 'Python', names: ['python'], version: '3.11', file: '/p/golden_versions.md', line: 7 },
  { tool: 'Dagster', names: ['dagster', 'dagster-webserver'], version: '1.9.1', file: '/p/golden_versions.md', line: 9 },
]);

/** `|` in the text marks the cursor. */
function at(kind: FileKind, marked: string): { text: string; offset: number; kind: FileKind } {
  const offset = marked.indexOf('|');
  return { text: marked.replace('|', ''), offset, kind };
}

suite('golden reference under the cursor (unit)', () => {
  const cases: Array<{ kind: FileKind; marked: string; name: string; version?: string; tool: string }> = [
    { kind: 'compose', marked: 'services:\n  bi:\n    image: apache/sup|erset:4.0.2\n', name: 'apache/superset', version: '4.0.2', tool: 'Apache Superset' },
    { kind: 'compose', marked: 'services:\n  bi:\n    image: "apache/superset:4.0|.2"\n', name: 'apache/superset', version: '4.0.2', tool: 'Apache Superset' },
    { kind: 'dockerfile', marked: 'FROM pyth|on:3.9-slim AS base\n', name: 'python', version: '3.9-slim', tool: 'Python' },
    { kind: 'dockerfile', marked: 'FROM --platform=linux/amd64 python:3.1|1\n', name: 'python', version: '3.11', tool: 'Python' },
    { kind: 'requirements', marked: '# core\ndagster-web|server==1.8.0 ; python_version>"3"\n', name: 'dagster-webserver', version: '1.8.0', tool: 'Dagster' },
    { kind: 'requirements', marked: 'dags|ter[pandas]\n', name: 'dagster', tool: 'Dagster' },
    { kind: 'pyproject', marked: 'dependencies = [\n  "dagster>=1|.9",\n]\n', name: 'dagster', version: '1.9', tool: 'Dagster' },
  ];
  for (const c of cases) {
    test(`${c.kind}: ${JSON.stringify(c.marked)}`, () => {
      const { text, offset } = at(c.kind, c.marked);
      const found = goldenReferenceAt(text, c.kind, offset, golden);
      assert.ok(found, 'no reference found');
      assert.equal(found.name, c.name);
      assert.equal(found.version, c.version);
      assert.equal(found.entry.tool, c.tool);
      assert.equal(text.slice(found.start, found.start + c.name.length), c.name);
    });
  }

  test('nothing outside a reference, on other lines or for unknown tools', () => {
    const compose = at('compose', 'services:\n  b|i:\n    image: apache/superset:4.0.2\n');
    assert.equal(referenceAt(compose.text, 'compose', compose.offset), undefined);
    const unknown = at('compose', 'services:\n  x:\n    image: nginx:1|.27\n');
    assert.ok(referenceAt(unknown.text, 'compose', unknown.offset));
    assert.equal(goldenReferenceAt(unknown.text, 'compose', unknown.offset, golden), undefined);
    assert.equal(referenceAt('FROM python:3.11', 'python', 3), undefined);
  });
});
