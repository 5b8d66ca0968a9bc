// The impact report on a real git repository: a fork made by the scaffold from test template v1,
// committed, then template v2 rendered over it (a variable renamed, Dagster's container port
// changed, a service added, Dagster upgraded) with the user's own edits on top.
import * as assert from 'node:assert/strict';
import { cli } from '../../../src/cli';
import { compareSnapshots, formatMarkdown, impactSince, type ImpactReport } from '../../../src/core/impact';
import { runGit, tempDir } from '../git/support';
import { committedFork, read, recordingIo, render, TEMPLATE_V2, writeFiles } from './support';

/** Template v2 over the fork, and the user's edits: a DuckDB path and a named volume moved, Postgres down, Python up. */
function applyChanges(dir: string): void {
  writeFiles(dir, render(TEMPLATE_V2));
  writeFiles(dir, {
    'docker-compose.yml': read(dir, 'docker-compose.yml')
      .replace('DUCKDB_DEV_PATH: /app/02_duck_db/02_dev/dev.duckdb', 'DUCKDB_DEV_PATH: /app/02_duck_db/dev/dev.duckdb')
      .replace(/postgres_data/g, 'pg_data'),
    'golden_versions.md': read(dir, 'golden_versions.md').replace('| 16.6 |', '| 16.4 |'),
    '03_dagster/Dockerfile': read(dir, '03_dagster/Dockerfile').replace('python:3.11-slim', 'python:3.12-slim'),
  });
}

const EXPECTED = `## Migration

From HEAD (COMMIT) to the working tree: 1 error, 3 breaking, 3 warnings, 2 info.

### Services

- **info**: Service \`redis\` is added (image \`redis:7.4.1\`).
  - Migration: Run \`docker compose up -d --build redis\`.
  - Files: \`docker-compose.yml\`

### Ports

- **warning**: Container port of \`dagster\` changes: \`3000\` → \`3070\`.
  - Migration: Anything that reaches \`dagster:3000\` inside the compose network (other services, your scripts) must use \`dagster:3070\`.
  - Files: \`docker-compose.yml\`

### Variables

- **breaking**: Variable \`DAGSTER_PG_DB\` is renamed \`DAGSTER_POSTGRES_DB\`.
  - Migration: Rename the \`DAGSTER_PG_DB\` line of .env to \`DAGSTER_POSTGRES_DB\`: the old line silently stops applying and the default \`dagster\` is used instead.
  - Files: \`.env.example\`

### Volumes and data

- **breaking**: Named volume \`postgres_data\` is renamed \`pg_data\`: its data would be left behind in \`acme_postgres_data\`.
  - Migration: Before \`docker compose up\`: \`docker compose down\`, \`docker volume create acme_pg_data\` then \`docker run --rm -v acme_postgres_data:/from -v acme_pg_data:/to busybox cp -a /from/. /to/\`; remove the old volume once the platform works.
  - Files: \`docker-compose.yml\`
- **breaking**: \`DUCKDB_DEV_PATH\` moves: \`/app/02_duck_db/02_dev/dev.duckdb\` → \`/app/02_duck_db/dev/dev.duckdb\` (\`dagster\`): the DuckDB database would be left behind.
  - Migration: Stop writers (\`docker compose down\`), then \`mv ./02_duck_db/02_dev/dev.duckdb ./02_duck_db/dev/dev.duckdb\` (with its \`.wal\` file if there is one), then start again.
  - Files: \`docker-compose.yml\`

### Golden versions

- **error**: PostgreSQL goes down: 16.6 → 16.4. The platform guide, Upgrading a Service Version: "**NEVER** downgrade to fix issues".
  - Migration: Do not take this change: keep PostgreSQL 16.6 and fix the issue forward.
  - Files: \`docker-compose.yml\`, \`golden_versions.md\`
- **warning**: Dagster is upgraded: 1.9.1 → 1.9.3, pinned in \`03_dagster/requirements.txt\`.
  - Migration: Read the release notes of Dagster 1.9.3 for breaking changes; rebuild and restart the services that use it (\`docker compose build --pull\`, then \`docker compose down && docker compose up -d\`).
  - Files: \`03_dagster/requirements.txt\`, \`golden_versions.md\`
- **info**: Redis 7.4.1 is added to golden_versions.md.
  - Migration: Nothing to do.
  - Files: \`golden_versions.md\`

### Python version and base images

- **warning**: Python changes in \`03_dagster/Dockerfile\`: 3.11 → 3.12 (\`python:3.11-slim\` → \`python:3.12-slim\`).
  - Migration: Rebuild without cache: \`docker compose build --pull --no-cache\`; check that every pinned package supports the new Python; then \`docker compose down && docker compose up -d\`.
  - Files: \`03_dagster/Dockerfile\`
`;

suite('impact (unit)', () => {
  test('a fork made at HEAD: the exact report of template v2 and the user\'s edits', async () => {
    const dir = await committedFork();
    applyChanges(dir);
    const result = await impactSince(dir);
    assert.ok(result.ok, result.ok ? '' : result.message);
    const head = runGit(dir, 'rev-parse', '--short=7', 'HEAD').trim();
    assert.equal(result.since, 'HEAD');
    assert.equal(formatMarkdown(result.report), EXPECTED.replace('COMMIT', head));
  });

  test('the default ref is the last tag, else the upstream branch; --since names another; the CLI prints JSON and exits 1 on a downgrade', async () => {
    const dir = await committedFork();
    runGit(dir, 'tag', 'v1');
    writeFiles(dir, { 'README.md': `${read(dir, 'README.md')}\nMore.\n` });
    runGit(dir, 'commit', '-qam', 'docs');
    applyChanges(dir);
    const tagged = await impactSince(dir);
    assert.ok(tagged.ok);
    assert.equal(tagged.since, 'v1');

    const out = recordingIo(dir);
    assert.equal(await cli(['impact', '--since', 'v1', '--format', 'json'], out), 1);
    const report = JSON.parse(out.stdout) as ImpactReport;
    assert.match(report.before, /^v1 \([0-9a-f]{7}\)$/);
    assert.deepEqual(report.items.map((i) => `${i.category}/${i.severity}`), [
      'services/info', 'ports/warning', 'variables/breaking', 'volumes/breaking', 'volumes/breaking',
      'versions/error', 'versions/warning', 'versions/info', 'images/warning',
    ]);

    // An upstream branch and no tag: the upstream is the default.
    runGit(dir, 'tag', '-d', 'v1');
    const remote = tempDir('duckstack-remote-');
    runGit(remote, 'init', '-q', '--bare');
    runGit(dir, 'remote', 'add', 'origin', remote);
    runGit(dir, 'push', '-q', '-u', 'origin', 'main');
    const upstream = await impactSince(dir);
    assert.ok(upstream.ok);
    assert.equal(upstream.since, 'origin/main');
  });

  test('nothing changed; no git; a bad ref; bad options', async () => {
    const dir = await committedFork();
    const same = recordingIo(dir);
    assert.equal(await cli(['impact'], same), 0);
    assert.match(same.stdout, /: nothing a fork must act on\.\n$/);

    const plain = tempDir('duckstack-nogit-');
    const noGit = recordingIo(plain);
    assert.equal(await cli(['impact', plain], noGit), 2);
    assert.match(noGit.stderr, /not in a git repository/);

    const badRef = recordingIo(dir);
    assert.equal(await cli(['impact', '--since', 'no-such-ref'], badRef), 2);
    assert.match(badRef.stderr, /'no-such-ref' names no commit/);
    assert.equal(await cli(['impact', '--format', 'xml'], recordingIo(dir)), 2);
    assert.equal(await cli(['impact', '--since'], recordingIo(dir)), 2);
  });

  test('host port variables and defaults, removed and required variables, bind paths, dbt targets and the Dagster executor', () => {
    const before = new Map([
      ['compose.yaml', 'name: p\nservices:\n  web:\n    image: nginx:1.27\n    ports: ["${WEB_PORT:-8080}:80", "${ADMIN_PORT:-9000}:9000"]\n    environment:\n      OLD_FLAG: ${OLD_FLAG:-1}\n    volumes: ["./data:/data"]\n  gone:\n    image: busybox:1\n    volumes: ["gone_data:/x"]\nvolumes:\n  gone_data:\n'],
      ['04_dbt/profiles.yml', "analytics:\n  outputs:\n    dev:\n      path: \"{{ env_var('DUCKDB_DEV_PATH', '/app/dev.duckdb') }}\"\n    test:\n      path: /app/test.duckdb\n"],
      ['03_dagster/dagster.yaml', 'run_coordinator:\n  class: QueuedRunCoordinator\n  config:\n    max_concurrent_runs: 1\n'],
    ]);
    const after = new Map([
      ['compose.yaml', 'name: p\nservices:\n  web:\n    image: nginx:1.27\n    ports: ["${HTTP_PORT:-8080}:80", "${ADMIN_PORT:-9001}:9000"]\n    environment:\n      API_KEY: ${API_KEY:?set API_KEY}\n    volumes: ["./warehouse:/data"]\n'],
      ['04_dbt/profiles.yml', "analytics:\n  outputs:\n    dev:\n      path: \"{{ env_var('DUCKDB_DEV_PATH', '/app/dev/dev.duckdb') }}\"\n"],
      ['03_dagster/dagster.yaml', 'run_coordinator:\n  class: QueuedRunCoordinator\n  config:\n    max_concurrent_runs: 4\n'],
    ]);
    const report = compareSnapshots({ label: 'a', files: before }, { label: 'b', files: after });
    assert.deepEqual(report.items.map((i) => `${i.severity}: ${i.change}`), [
      'warning: Service `gone` is removed.',
      'breaking: Host port of `web` (container 80) is now set by `HTTP_PORT` instead of `WEB_PORT`.',
      'warning: Default host port of `web` changes: 9000 → 9001 (`ADMIN_PORT`).',
      "breaking: Variable `API_KEY` is new and has no default: every fork's .env must set it.",
      'warning: Variable `OLD_FLAG` is no longer read.',
      'breaking: Named volume `gone_data` is no longer used: its data stays in `p_gone_data` but nothing mounts it.',
      'breaking: Bind mount of `web` moves: `./data` → `./warehouse`: the data under `./data` would be left behind.',
      'breaking: dbt target `analytics.dev` moves its database: `DUCKDB_DEV_PATH (default /app/dev.duckdb)` → `DUCKDB_DEV_PATH (default /app/dev/dev.duckdb)`: the data would be left behind.',
      'breaking: dbt target `analytics.test` is removed.',
      "warning: Dagster's run coordinator or executor changes in `03_dagster/dagster.yaml`.",
    ]);
    assert.equal(report.items[1].migration, 'Rename `WEB_PORT` to `HTTP_PORT` in .env: the old line silently stops applying and the port falls back to 8080.');
    assert.deepEqual(report.problems, []);
  });

  test('a service renamed (same build), an image changed, a new variable with a default, a .env.example-only variable, a container port moved', () => {
    const before = new Map([
      ['compose.yaml', 'services:\n  worker:\n    build: ./worker\n    ports: ["8000"]\n  cache:\n    image: redis:7.2\n    ports: ["${CACHE_PORT:-6379}:6379"]\n'],
    ]);
    const after = new Map([
      ['compose.yaml', 'services:\n  jobs:\n    build: ./worker\n    environment:\n      LOG_LEVEL: ${LOG_LEVEL:-info}\n  cache:\n    image: valkey/valkey:8.0\n    ports: ["${CACHE_PORT:-6379}:6380"]\n'],
      ['.env.example', 'CACHE_PORT=6379\nSENTRY_DSN=\n'],
    ]);
    const report = compareSnapshots({ label: 'a', files: before }, { label: 'b', files: after });
    assert.deepEqual(report.items.map((i) => `${i.severity}: ${i.change}`), [
      'breaking: Service `worker` is renamed `jobs`.',
      'warning: Service `cache` changes image: `redis:7.2` → `valkey/valkey:8.0`.',
      'warning: Container port of `cache` changes: `6379` → `6380`.',
      'warning: Variable `SENTRY_DSN` is new in .env.example (.env.example: `SENTRY_DSN=`).',
      'info: Variable `LOG_LEVEL` is new, with default `info`.',
    ]);
    assert.equal(report.items[0].migration, 'Run `docker compose up -d --build --remove-orphans` to replace the old container; change `worker` to `jobs` in your own scripts, `docker compose exec` commands and `depends_on` entries.');
    assert.equal(report.items[1].migration, 'Run `docker compose pull cache`, then `docker compose up -d cache`.');
  });

  test('a compose file that is not valid YAML is named, not silently skipped', () => {
    const report = compareSnapshots({ label: 'a', files: new Map([['compose.yaml', 'services: [\n']]) }, { label: 'b', files: new Map([['compose.yaml', 'services: {}\n']]) });
    assert.equal(report.problems.length, 1);
    assert.match(report.problems[0], /^a: compose\.yaml: /);
    assert.match(formatMarkdown(report), /### Not compared\n\n- a: compose\.yaml: /);
  });
});
