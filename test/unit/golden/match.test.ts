// One function decides whether a written version matches golden_versions.md: the hover's verdict
// (goldenReferenceAt().matches) and the rules' findings must agree on every case.
import * as assert from 'node:assert/strict';
import { pinMatchesGolden, tagMatchesGolden } from '../../../src/core/golden/match';
import { goldenReferenceAt } from '../../../src/core/golden/reference';
import { composeImageGolden } from '../../../src/core/rules/compose/image-golden';
import { requirementsGoldenPin } from '../../../src/core/rules/python-deps/requirements-golden-pin';
import { check, golden } from '../rules/context';

const table = golden([
  ['Python', ['python'], '3.11'],
  ['PostgreSQL', ['postgres'], '16'],
  ['Apache Superset', ['apache/superset', 'superset'], '5.0.0'],
  ['Dagster', ['dagster', 'dagster-webserver'], '1.9.x'],
  ['DuckDB', ['duckdb'], '1.1.3'],
]);

suite('golden version matching: one verdict for the hover and the rules (unit)', () => {
  const images: Array<[image: string, matches: boolean]> = [
    ['python:3.11.9-slim', true],
    ['python:3.11', true],
    ['python:3.11-slim-bookworm', true],
    ['python:3.12-slim', false],
    ['python:3.1', false],
    ['postgres:16.4-alpine', true],
    ['postgres:15', false],
    ['apache/superset:5.0.0', true],
    ['apache/superset:4.0.2', false],
    ['apache/superset:5.0', false],
  ];
  for (const [image, matches] of images) {
    test(`compose image ${image}: ${matches ? 'matches' : 'differs'} in the hover and in compose-image-golden`, () => {
      const text = `services:\n  app:\n    image: ${image}\n`;
      const hover = goldenReferenceAt(text, 'compose', text.indexOf(image) + 1, table);
      assert.ok(hover, 'the hover finds the golden row');
      assert.equal(hover.matches, matches, 'hover');
      const reports = check(composeImageGolden, 'compose', text, { golden: table });
      assert.equal(reports.length === 0, matches, `compose-image-golden: ${JSON.stringify(reports)}`);
    });
  }

  const pins: Array<[line: string, matches: boolean]> = [
    ['dagster==1.9.4', true],
    ['dagster-webserver==1.8.0', false],
    ['duckdb==1.1.3', true],
    ['duckdb==1.1.30', false],
  ];
  for (const [line, matches] of pins) {
    test(`requirement ${line}: ${matches ? 'matches' : 'differs'} in the hover and in requirements-golden-pin`, () => {
      const text = `${line}\n`;
      const hover = goldenReferenceAt(text, 'requirements', 1, table);
      assert.ok(hover);
      assert.equal(hover.matches, matches, 'hover');
      assert.equal(check(requirementsGoldenPin, 'requirements', text, { golden: table }).length === 0, matches, 'requirements-golden-pin');
    });
  }

  test('no verdict when the tag holds no version', () => {
    assert.equal(tagMatchesGolden('latest', '3.11'), undefined);
    assert.equal(tagMatchesGolden('${PY_TAG}', '3.11'), undefined);
    assert.equal(tagMatchesGolden('v1.9.1', '1.9.1'), true);
    assert.equal(pinMatchesGolden('1.9.1', '1.9.*'), true);
    const text = 'services:\n  app:\n    image: python:latest\n';
    assert.equal(goldenReferenceAt(text, 'compose', text.indexOf('python'), table)?.matches, undefined);
  });
});
