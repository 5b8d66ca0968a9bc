import * as assert from 'node:assert/strict';
import { disableNextLineComment, isSuppressed, readSuppressions } from '../../../src/core/lint/suppress';
import type { FileKind } from '../../../src/core/workspace/classify';

// One file of every kind (a Record, so a new kind must be added here) and the comment expected.
const CASES: Record<FileKind, [file: string, comment: string | undefined]> = {
  compose: ['compose.yaml', '# duckstack-disable-next-line some-rule'],
  dockerfile: ['Dockerfile', '# duckstack-disable-next-line some-rule'],
  requirements: ['requirements.txt', '# duckstack-disable-next-line some-rule'],
  pyproject: ['pyproject.toml', '# duckstack-disable-next-line some-rule'],
  packageJson: ['package.json', undefined],
  python: ['definitions.py', '# duckstack-disable-next-line some-rule'],
  dbtProfiles: ['profiles.yml', '# duckstack-disable-next-line some-rule'],
  dbtProject: ['dbt_project.yml', '# duckstack-disable-next-line some-rule'],
  dbtModel: ['models/orders.sql', '-- duckstack-disable-next-line some-rule'],
  dagsterYaml: ['dagster.yaml', '# duckstack-disable-next-line some-rule'],
  cube: ['model/cubes/orders.js', '// duckstack-disable-next-line some-rule'],
  goldenVersions: ['golden_versions.md', '<!-- duckstack-disable-next-line some-rule -->'],
  env: ['.env', '# duckstack-disable-next-line some-rule'],
};

suite('lint suppression comments (unit)', () => {
  for (const [kind, [file, expected]] of Object.entries(CASES) as Array<[FileKind, [string, string | undefined]]>) {
    test(`${kind}: "disable for this line" writes a comment the engine reads back`, () => {
      const comment = disableNextLineComment(file, kind, 'some-rule');
      assert.equal(comment, expected);
      if (comment === undefined) return;
      const suppressions = readSuppressions(`first line\n  ${comment}\nflagged line\n`, kind);
      assert.equal(isSuppressed(suppressions, 'some-rule', 2), true);
      assert.equal(isSuppressed(suppressions, 'other-rule', 2), false);
      assert.equal(isSuppressed(suppressions, 'some-rule', 0), false);
    });
  }

  test("a cube model in YAML takes '#', in JavaScript '//'", () => {
    assert.equal(disableNextLineComment('model/cubes/orders.yml', 'cube', 'r'), '# duckstack-disable-next-line r');
    assert.equal(disableNextLineComment('model/cubes/orders.ts', 'cube', 'r'), '// duckstack-disable-next-line r');
  });
});
