import { packageJsonGoldenPin } from '../../../src/core/rules/python-deps/package-json-golden-pin';
import { pyprojectGoldenPin } from '../../../src/core/rules/python-deps/pyproject-golden-pin';
import { requirementsGoldenPin } from '../../../src/core/rules/python-deps/requirements-golden-pin';
import { golden } from './context';
import { runRuleTests } from './tester';

runRuleTests(requirementsGoldenPin, 'requirements', {
  valid: [
    { code: 'dagster==1.9.1\ndagster-webserver==1.9.1\nduckdb==1.1.3\n' },
    { code: 'dagster-dbt>=0.25\npandas\n', name: 'packages golden_versions.md does not list' },
    { code: 'dagster==1.9.1rc1\n', name: 'a pin of the golden pre-release', options: { golden: golden([['Dagster', ['dagster'], '1.9.1rc1']]) } },
    { code: 'redis==5.0.1\npostgres==4.0\n', name: 'client libraries named like golden servers' },
    { code: '-r base.txt\n-e ./local\n--index-url https://example.org/simple\n# dagster\n' },
    { code: 'Dagster_Webserver == 1.9.1  # UI\n', name: 'normalised names, spaces and a comment' },
    { code: 'dagster @ https://example.org/dagster-1.9.1.tar.gz\n', name: 'a URL requirement' },
    { code: 'duckdb==1.1.3 \\\n    --hash=sha256:abc\n', name: 'a hash continuation' },
  ],
  invalid: [
    {
      code: 'pandas==2.2.0\ndagster==1.8.0\n',
      errors: [{ messageId: 'drift', line: 1, column: 0, text: 'dagster==1.8.0' }],
      output: 'pandas==2.2.0\ndagster==1.9.1\n',
    },
    {
      code: 'dagster[dbt, duckdb]>=1.9  ; python_version >= "3.11"  # orchestrator\n',
      name: 'extras, marker and comment are kept',
      errors: [{ messageId: 'unpinned', line: 0, column: 0, text: 'dagster[dbt, duckdb]>=1.9' }],
      output: 'dagster[dbt, duckdb]==1.9.1  ; python_version >= "3.11"  # orchestrator\n',
    },
    {
      code: 'dbt-duckdb\r\nduckdb~=1.1\r\n',
      name: 'no spec, a compatible-release spec, CRLF',
      errors: [
        { messageId: 'unpinned', line: 0, column: 0, text: 'dbt-duckdb' },
        { messageId: 'unpinned', line: 1, column: 0, text: 'duckdb~=1.1' },
      ],
      output: 'dbt-duckdb==1.8.4\r\nduckdb==1.1.3\r\n',
    },
    {
      code: 'duckdb (==1.0.0)\n',
      name: 'an old parenthesised spec',
      errors: [{ messageId: 'drift', line: 0, column: 0 }],
      output: 'duckdb (==1.1.3)\n',
    },
    {
      code: 'dagster==1.9.*\n',
      name: 'a wildcard is not a pin',
      errors: [{ messageId: 'unpinned', line: 0, column: 0 }],
      output: 'dagster==1.9.1\n',
    },
    {
      code: 'cube==1.0.0\n',
      name: 'a golden 1.1.x has no single version to fix to',
      options: { golden: golden([['Cube', ['cube'], '1.1.x']]) },
      errors: [{ messageId: 'drift', line: 0, column: 0 }],
    },
    {
      code: 'duckdb==1.2.0\ndagster==1.9.1rc1\n',
      name: 'newer than golden: no fix, since it would downgrade; an older pre-release is fixed',
      errors: [{ messageId: 'ahead', line: 0, column: 0, text: 'duckdb==1.2.0' }, { messageId: 'drift', line: 1, column: 0, text: 'dagster==1.9.1rc1' }],
      output: 'duckdb==1.2.0\ndagster==1.9.1\n',
    },
    {
      code: 'dagster==1.9.1\ndagster-webserver==1.9.0\n',
      name: 'against a golden pre-release, its release is ahead and an older release drifts',
      options: { golden: golden([['Dagster', ['dagster', 'dagster-webserver'], '1.9.1rc1']]) },
      errors: [{ messageId: 'ahead', line: 0, column: 0, text: 'dagster==1.9.1' }, { messageId: 'drift', line: 1, column: 0, text: 'dagster-webserver==1.9.0' }],
      output: 'dagster==1.9.1\ndagster-webserver==1.9.1rc1\n',
    },
  ],
});

const PEP621 = `[project]
name = "pipelines"
dependencies = [
    "dagster==1.9.1",
    "duckdb>=1.0",  # warehouse
    'dbt-core == 1.8.7 ; python_version >= "3.11"',
]

[project.optional-dependencies]
dev = ["dagster-webserver"]
`;

const POETRY = `[tool.poetry.dependencies]
python = "^3.11"
dagster = { version = "^1.9", extras = ["dbt"] }
"dbt-duckdb" = "1.8.4"
duckdb = "1.0.0"
local = { path = "../local" }

[tool.poetry.group.dev.dependencies]
dagster-webserver = "*"
`;

runRuleTests(pyprojectGoldenPin, 'pyproject', {
  valid: [
    { code: '[project]\ndependencies = ["dagster==1.9.1", "pandas>=2"]\n' },
    { code: '[build-system]\nrequires = ["duckdb"]\n', name: 'build requirements are not runtime pins' },
    { code: '[tool.poetry.dependencies]\npython = "^3.9"\ndagster = "==1.9.1"\n' },
    { code: '[project\ndependencies = ["dagster"', name: 'malformed TOML is read as far as it goes' },
  ],
  invalid: [
    {
      code: PEP621,
      errors: [
        { messageId: 'unpinned', line: 4, column: 5, text: 'duckdb>=1.0' },
        { messageId: 'drift', line: 5, column: 5, text: 'dbt-core == 1.8.7' },
        { messageId: 'unpinned', line: 9, column: 8, text: 'dagster-webserver' },
      ],
      output: PEP621.replace('duckdb>=1.0', 'duckdb==1.1.3').replace('dbt-core == 1.8.7', 'dbt-core ==1.8.8').replace('"dagster-webserver"', '"dagster-webserver==1.9.1"'),
    },
    {
      code: POETRY,
      errors: [
        { messageId: 'unpinned', line: 2, column: 0, text: 'dagster = { version = "^1.9", extras = ["dbt"] }' },
        { messageId: 'drift', line: 4, column: 0, text: 'duckdb = "1.0.0"' },
        { messageId: 'unpinned', line: 8, column: 0, text: 'dagster-webserver = "*"' },
      ],
      output: POETRY.replace('"^1.9"', '"1.9.1"').replace('"1.0.0"', '"1.1.3"').replace('"*"', '"1.9.1"'),
    },
  ],
});

runRuleTests(packageJsonGoldenPin, 'packageJson', {
  valid: [
    { code: '{"dependencies": {"@cubejs-backend/server": "1.1.4", "express": "^4"}}' },
    { code: '{"name": "x", "peerDependencies": {"duckdb": "^1"}}', name: 'peer ranges are left alone' },
    { code: '{"dependencies": {"duckdb": "file:../duckdb", "dagster": "github:x/y"}}', name: 'non-registry sources' },
    { code: '{"dependencies": {"duckdb": ', name: 'malformed JSON' },
    { code: '{"scripts": {"duckdb": "^1.0.0"}, "dependencies": {"duckdb": "1.1.3"}}', name: 'only dependency sections' },
  ],
  invalid: [
    {
      code: '{\n  "name": "svc",\n  "dependencies": {\n    "duckdb": "^1.1.0",\n    "@cubejs-backend/server": "1.0.2"\n  },\n  "devDependencies": {"duckdb": "1.0.0"}\n}\n',
      options: { golden: golden([['DuckDB', ['duckdb'], '1.1.3'], ['Cube', ['@cubejs-backend/server'], '1.1.x']]) },
      errors: [
        { messageId: 'unpinned', line: 3, column: 4, text: '"duckdb": "^1.1.0"' },
        { messageId: 'drift', line: 4, column: 4, text: '"@cubejs-backend/server": "1.0.2"' },
        { messageId: 'drift', line: 6, column: 22, text: '"duckdb": "1.0.0"' },
      ],
      output: '{\n  "name": "svc",\n  "dependencies": {\n    "duckdb": "1.1.3",\n    "@cubejs-backend/server": "1.0.2"\n  },\n  "devDependencies": {"duckdb": "1.1.3"}\n}\n',
    },
    {
      code: '{"dependencies": {"duckdb": "latest"}}',
      errors: [{ messageId: 'unpinned', line: 0, column: 18 }],
      output: '{"dependencies": {"duckdb": "1.1.3"}}',
    },
  ],
});
