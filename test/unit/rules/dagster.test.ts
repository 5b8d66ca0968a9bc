import { dagsterYamlEnvValues } from '../../../src/core/rules/dagster/env-values';
import { dagsterYamlSequentialRuns } from '../../../src/core/rules/dagster/sequential-runs';
import { runRuleTests } from './tester';

const GOOD = `storage:
  postgres:
    postgres_db:
      username: { env: DAGSTER_POSTGRES_USER }
      password:
        env: DAGSTER_POSTGRES_PASSWORD
      hostname: { env: DAGSTER_POSTGRES_HOSTNAME }
      db_name: dagster
      port: 5432
run_coordinator:
  module: dagster.core.run_coordinator
  class: QueuedRunCoordinator
  config:
    max_concurrent_runs: 1
`;

const BAD_STORAGE = `storage:
  postgres:
    postgres_db:
      username: dagster
      password: "dagster"
      hostname: postgres
      db_name: dagster
`;

runRuleTests(dagsterYamlEnvValues, 'dagsterYaml', {
  valid: [{ code: GOOD }, { code: 'telemetry:\n  enabled: false\n' }, { code: 'storage: [', name: 'malformed YAML: no finding of this rule', malformed: true }],
  invalid: [
    {
      code: BAD_STORAGE,
      errors: [
        { messageId: 'literalSecret', line: 4, column: 16, text: '"dagster"' },
        { messageId: 'literalHost', line: 5, column: 16, text: 'postgres' },
      ],
      output: BAD_STORAGE.replace('"dagster"', '{ env: DAGSTER_POSTGRES_PASSWORD }').replace('hostname: postgres', 'hostname: { env: DAGSTER_POSTGRES_HOSTNAME }'),
    },
    {
      code: 'run_storage:\n  module: dagster_postgres.run_storage\n  class: PostgresRunStorage\n  config:\n    postgres_url: postgresql://u:p@db:5432/dagster\n',
      errors: [{ messageId: 'literalSecret', line: 4, column: 18 }],
      output: 'run_storage:\n  module: dagster_postgres.run_storage\n  class: PostgresRunStorage\n  config:\n    postgres_url: { env: DAGSTER_POSTGRES_URL }\n',
    },
  ],
});

runRuleTests(dagsterYamlSequentialRuns, 'dagsterYaml', {
  valid: [
    { code: GOOD },
    { code: 'concurrency:\n  runs:\n    max_concurrent_runs: 1\n' },
    { code: 'execution:\n  config:\n    in_process: {}\n' },
    { code: 'execution:\n  multiprocess:\n    config:\n      max_concurrent: 1\n', name: 'multiprocess limited to one step' },
    {
      name: 'several runs at once, but runs tagged as DuckDB writers one at a time',
      code: 'run_coordinator:\n  module: dagster.core.run_coordinator\n  class: QueuedRunCoordinator\n  config:\n    max_concurrent_runs: 4\n    tag_concurrency_limits:\n      - key: "dagster/concurrency_key"\n        value: "duckdb_writer"\n        limit: 1\n',
    },
  ],
  invalid: [
    {
      code: GOOD.replace('max_concurrent_runs: 1', 'max_concurrent_runs: 4'),
      errors: [{ messageId: 'concurrentRuns', line: 13, column: 25, text: '4' }],
      output: GOOD,
    },
    {
      code: 'run_queue:\n  max_concurrent_runs: -1\n',
      errors: [{ messageId: 'concurrentRuns', line: 1, column: 23 }],
      output: 'run_queue:\n  max_concurrent_runs: 1\n',
    },
    {
      code: 'execution:\n  config:\n    multiprocess:\n',
      errors: [{ messageId: 'multiprocess', line: 2, column: 4, text: 'multiprocess' }],
      output: 'execution:\n  config:\n    in_process:\n',
    },
    {
      code: 'execution:\n  multiprocess:\n    config:\n      max_concurrent: 8\n',
      errors: [{ messageId: 'maxConcurrent', line: 3, column: 22 }],
      output: 'execution:\n  multiprocess:\n    config:\n      max_concurrent: 1\n',
    },
    {
      code: 'execution:\n  multiprocess:\n    config:\n      start_method: forkserver\n',
      name: 'a configured multiprocess executor has no safe rename',
      errors: [{ messageId: 'multiprocess', line: 1, column: 2 }],
    },
  ],
});
