import { dbtNoIncremental } from '../../../src/core/rules/dbt/no-incremental';
import { dbtProfilesEnvVar } from '../../../src/core/rules/dbt/profiles-env-var';
import { dbtProfilesTargets } from '../../../src/core/rules/dbt/profiles-targets';
import { dbtProjectVarPath } from '../../../src/core/rules/dbt/project-var-path';
import { runRuleTests } from './tester';

const GOOD_PROFILES = `proto:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('DUCKDB_DEV_PATH', '/app/02_duck_db/02_dev/dev.duckdb') }}"
    test:
      type: duckdb
      path: ':memory:'
    prod:
      type: duckdb
      path: "{{ env_var('DUCKDB_PROD_PATH') }}"
      password: "{{ env_var('DBT_PROD_PASSWORD') }}"
`;

const BAD_PROFILES = `proto:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: /home/user/proto_loc/02_duck_db/dev.duckdb
      attach:
        - path: 'raw.duckdb'
          alias: raw
    prod:
      type: postgres
      password: hunter2
`;

runRuleTests(dbtProfilesEnvVar, 'dbtProfiles', {
  valid: [{ code: GOOD_PROFILES }, { code: 'config:\n  send_anonymous_usage_stats: false\n' }, { code: 'proto: [', name: 'malformed YAML: no finding of this rule', malformed: true }],
  invalid: [
    {
      code: BAD_PROFILES,
      errors: [
        { messageId: 'literalPath', line: 5, column: 12, text: '/home/user/proto_loc/02_duck_db/dev.duckdb' },
        { messageId: 'literalPath', line: 7, column: 16, text: "'raw.duckdb'" },
        { messageId: 'literalCredential', line: 11, column: 16, text: 'hunter2' },
      ],
      output: BAD_PROFILES.replace('/home/user/proto_loc/02_duck_db/dev.duckdb', `"{{ env_var('DUCKDB_DEV_PATH', '/home/user/proto_loc/02_duck_db/dev.duckdb') }}"`)
        .replace("'raw.duckdb'", `"{{ env_var('DUCKDB_RAW_PATH', 'raw.duckdb') }}"`)
        .replace('hunter2', `"{{ env_var('DBT_PROD_PASSWORD') }}"`),
    },
    {
      code: "p:\n  outputs:\n    dev:\n      path: \"C:\\\\data\\\\dev.duckdb\"\n",
      name: 'a path that cannot be written inside env_var plainly has no fix',
      errors: [{ messageId: 'literalPath', line: 3, column: 12 }],
    },
    {
      name: 'a credential whose env_var falls back to a literal (profiles.yml.template of a public stack)',
      code: "wh:\n  outputs:\n    dev:\n      type: postgres\n      user: \"{{ env_var('DBT_USER', 'postgres') }}\"\n      password: \"{{ env_var('DBT_PASSWORD', 'postgres') }}\"\n      token: \"{{ env_var('DBT_TOKEN', '') }}\"\n",
      errors: [{ messageId: 'defaultCredential', line: 5, column: 16 }],
      output: "wh:\n  outputs:\n    dev:\n      type: postgres\n      user: \"{{ env_var('DBT_USER', 'postgres') }}\"\n      password: \"{{ env_var('DBT_PASSWORD') }}\"\n      token: \"{{ env_var('DBT_TOKEN', '') }}\"\n",
    },
  ],
});

runRuleTests(dbtProfilesTargets, 'dbtProfiles', {
  valid: [
    { code: GOOD_PROFILES },
    { code: 'config:\n  partial_parse: true\n' },
    {
      name: 'one file, a schema per target; in-memory tests',
      code: "p:\n  outputs:\n    dev: { type: duckdb, path: wh.duckdb, schema: dev }\n    test: { type: duckdb, path: ':memory:' }\n    prod: { type: duckdb, path: wh.duckdb, schema: prod }\n",
    },
  ],
  invalid: [
    { code: BAD_PROFILES, errors: [{ messageId: 'missingTargets', line: 0, column: 0, text: 'proto' }] },
    { code: 'a:\n  outputs: {}\nb:\n  target: dev\n', errors: [{ messageId: 'missingTargets', line: 0, column: 0 }, { messageId: 'missingTargets', line: 2, column: 0 }] },
    {
      name: 'three targets on one file through one variable do not keep dev, test and prod apart',
      code: [
        'shop:',
        '  target: dev',
        '  outputs:',
        '    dev:',
        '      type: duckdb',
        '      path: "{{ env_var(\'DUCKDB_PATH\', \'dev.duckdb\') }}"',
        '    test:',
        '      type: duckdb',
        '      path: "{{ env_var(\'DUCKDB_PATH\') }}"',
        '      schema: main',
        '    prod:',
        '      type: duckdb',
        '      path: ./warehouse.duckdb',
        '      schema: marts',
        '    ci:',
        '      type: duckdb',
        '      path: warehouse.duckdb',
        '      schema: marts',
        '',
      ].join('\n'),
      errors: [{ messageId: 'sharedDatabase', line: 6, column: 4, text: 'test' }],
    },
  ],
});

runRuleTests(dbtNoIncremental, 'dbtModel', {
  valid: [
    { code: "{{ config(materialized='table') }}\nselect * from {{ ref('stg_trips') }}\n" },
    { code: "-- materialized is 'incremental' elsewhere\nselect 1\n", name: 'prose outside Jinja' },
    { code: "{# {{ config(materialized='incremental') }} #}\nselect 1\n", name: 'a Jinja comment' },
    { code: 'models:\n  - name: trips\n    config:\n      materialized: view\n', options: { file: 'dbt/models/schema.yml' } },
  ],
  invalid: [
    {
      code: "{{\n  config(\n    materialized = \"incremental\",\n    unique_key='id'\n  )\n}}\nselect 1\n",
      errors: [{ messageId: 'incremental', line: 2, column: 20, text: 'incremental' }],
      output: "{{\n  config(\n    materialized = \"table\",\n    unique_key='id'\n  )\n}}\nselect 1\n",
    },
    {
      code: 'version: 2\nmodels:\n  - name: trips\n    config:\n      materialized: "incremental"\n',
      options: { file: 'dbt/models/schema.yml' },
      errors: [{ messageId: 'incremental', line: 4, column: 21 }],
      output: 'version: 2\nmodels:\n  - name: trips\n    config:\n      materialized: "table"\n',
    },
  ],
});

const PROJECT = `name: proto
models:
  proto:
    +materialized: view
    marts:
      +materialized: incremental
vars:
  raw_path: /home/user/data/raw
  start_date: '2024-01-01'
  nested:
    export_dir: "/app/exports"
`;

runRuleTests(dbtNoIncremental, 'dbtProject', {
  valid: [{ code: 'name: p\nmodels:\n  p:\n    +materialized: table\n' }],
  invalid: [
    {
      code: PROJECT,
      errors: [{ messageId: 'incremental', line: 5, column: 21 }],
      output: PROJECT.replace('+materialized: incremental', '+materialized: table'),
    },
  ],
});

runRuleTests(dbtProjectVarPath, 'dbtProject', {
  valid: [
    { code: "vars:\n  raw_path: \"{{ env_var('RAW_PATH', '/data/raw') }}\"\n  dir: data/raw\n" },
    { code: 'models:\n  p:\n    +location: /app/x\n', name: 'paths outside vars' },
  ],
  invalid: [
    {
      code: PROJECT,
      errors: [
        { messageId: 'absolutePath', line: 7, column: 12, text: '/home/user/data/raw' },
        { messageId: 'absolutePath', line: 10, column: 16, text: '"/app/exports"' },
      ],
      output: PROJECT.replace('/home/user/data/raw', `"{{ env_var('RAW_PATH', '/home/user/data/raw') }}"`).replace('"/app/exports"', `"{{ env_var('EXPORT_DIR', '/app/exports') }}"`),
    },
  ],
});
