import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintProject } from '../../../src/core/lint/engine';
import { allRules } from '../../../src/core/rules/index';
import { composeAbsoluteBind } from '../../../src/core/rules/compose/absolute-bind';
import { composeAnonymousVolume } from '../../../src/core/rules/compose/anonymous-volume';
import { composeBiReadonlyDuckdb } from '../../../src/core/rules/compose/bi-readonly-duckdb';
import { composeDependsOnCondition } from '../../../src/core/rules/compose/depends-on-condition';
import { composeDuplicateHostPort } from '../../../src/core/rules/compose/duplicate-host-port';
import { composeHardcodedCredential } from '../../../src/core/rules/compose/hardcoded-credential';
import { composeHealthcheck } from '../../../src/core/rules/compose/healthcheck';
import { composeHostPortVariable } from '../../../src/core/rules/compose/host-port-variable';
import { composeImageGolden } from '../../../src/core/rules/compose/image-golden';
import { composeImageTag } from '../../../src/core/rules/compose/image-tag';
import { composeObsoleteVersion } from '../../../src/core/rules/compose/obsolete-version';
import { composeUndocumentedVariable } from '../../../src/core/rules/compose/undocumented-variable';
import { composeRuleTests, goldenTable } from './compose-tester';

const golden = goldenTable([
  ['Python', ['python'], '3.11'],
  ['Dagster', ['dagster', 'dagster-webserver'], '1.9.1'],
  ['Apache Superset', ['apache/superset', 'superset'], '5.0.0'],
  ['Cube', ['cubejs/cube', 'cube'], '0.36.0'],
  ['PostgreSQL', ['postgres', 'postgresql'], '16'],
  ['Redis', ['redis'], '7.2'],
]);

composeRuleTests(composeHostPortVariable, {
  valid: [
    { code: 'services:\n  dagster:\n    ports:\n      - "${DAGSTER_PORT:-3000}:3000"\n' },
    { code: 'services:\n  db:\n    ports:\n      - "5432"\n      - target: 80\n' },
    { code: 'services:\n  web:\n    ports:\n      - target: 80\n        published: ${WEB_PORT:-8080}\n' },
    { code: 'services:\n  web:\n    expose: ["80"]\n' },
  ],
  invalid: [
    {
      name: 'short syntax, the guide\'s BAD example',
      code: 'services:\n  dagster:\n    ports:\n      - "3000:3000"\n',
      errors: [{ messageId: 'literal', line: 3, column: 8, text: '"3000:3000"' }],
      output: 'services:\n  dagster:\n    ports:\n      - "${DAGSTER_PORT:-3000}:3000"\n',
    },
    {
      name: 'plain scalar with host IP and protocol, two ports of one service',
      code: 'services:\n  dagster-webserver:\n    ports:\n      - 127.0.0.1:3000:3000/tcp\n      - 4000:4000\n',
      errors: [{ messageId: 'literal', line: 3, column: 8 }, { messageId: 'literal', line: 4, column: 8 }],
      output: 'services:\n  dagster-webserver:\n    ports:\n      - "127.0.0.1:${DAGSTER_WEBSERVER_PORT:-3000}:3000/tcp"\n      - "${DAGSTER_WEBSERVER_4000_PORT:-4000}:4000"\n',
    },
    {
      name: 'long syntax',
      code: 'services:\n  superset:\n    ports:\n      - target: 8088\n        published: 8088\n',
      errors: [{ messageId: 'literal', line: 4, column: 19, text: '8088' }],
      output: 'services:\n  superset:\n    ports:\n      - target: 8088\n        published: "${SUPERSET_PORT:-8088}"\n',
    },
    {
      name: 'reuses the variable .env.example already has for the service and port',
      code: 'services:\n  dbt:\n    ports:\n      - "8080:8080"\n',
      envExampleValues: { DBT_DOCS_PORT: '8080', DAGSTER_PORT: '3000' },
      errors: [{ messageId: 'literal', line: 3, column: 8 }],
      output: 'services:\n  dbt:\n    ports:\n      - "${DBT_DOCS_PORT:-8080}:8080"\n',
    },
    {
      name: 'reuses the variable of .env when .env.example has none; long syntax',
      code: 'services:\n  superset:\n    ports:\n      - target: 8088\n        published: 8088\n',
      env: { SUPERSET_WEB_PORT: '8088' },
      errors: [{ messageId: 'literal', line: 4, column: 19 }],
      output: 'services:\n  superset:\n    ports:\n      - target: 8088\n        published: "${SUPERSET_WEB_PORT:-8088}"\n',
    },
    {
      name: '.env.example comes before .env, whose value the user may have moved',
      code: 'services:\n  dbt:\n    ports: ["8080:8080"]\n',
      env: { DBT_DOCS_PORT: '9090', DBT_PORT: '8080' },
      envExampleValues: { DBT_DOCS_PORT: '8080' },
      errors: [{ messageId: 'literal', line: 2, column: 12 }],
      output: 'services:\n  dbt:\n    ports: ["${DBT_DOCS_PORT:-8080}:8080"]\n',
    },
    {
      name: 'a variable of another service, of another port, or already used is not reused',
      code: 'services:\n  dbt:\n    ports: ["${DBT_DOCS_PORT:-8080}:8080"]\n  docs:\n    ports: ["8080:80", "5432:5432"]\n',
      envExampleValues: { DBT_DOCS_PORT: '8080', POSTGRES_PORT: '5432', DOCS_API_PORT: '9000' },
      errors: [{ messageId: 'literal', line: 4, column: 12 }, { messageId: 'literal', line: 4, column: 23 }],
      output: 'services:\n  dbt:\n    ports: ["${DBT_DOCS_PORT:-8080}:8080"]\n  docs:\n    ports: ["${DOCS_PORT:-8080}:80", "${DOCS_5432_PORT:-5432}:5432"]\n',
    },
    {
      name: 'a port range is flagged without a fix',
      code: 'services:\n  web:\n    ports: ["8000-8010:8000-8010"]\n',
      errors: [{ messageId: 'literal', line: 2, column: 12 }],
      output: null,
    },
  ],
});

composeRuleTests(composeDuplicateHostPort, {
  valid: [
    { code: 'services:\n  a:\n    ports: ["3000:3000"]\n  b:\n    ports: ["3001:3000"]\n' },
    { code: 'services:\n  a:\n    ports: ["3000:3000/udp"]\n  b:\n    ports: ["3000:3000/tcp"]\n' },
    { name: 'disjoint profiles never run together', code: 'services:\n  a:\n    profiles: [x]\n    ports: ["3000:3000"]\n  b:\n    profiles: [y]\n    ports: ["3000:3000"]\n' },
    { name: '.env moves one of them', code: 'services:\n  a:\n    ports: ["${A_PORT:-3000}:3000"]\n  b:\n    ports: ["3000:3000"]\n', env: { A_PORT: '3100' } },
  ],
  invalid: [
    {
      code: 'services:\n  dagster:\n    ports: ["${DAGSTER_PORT:-3000}:3000"]\n  cube:\n    ports:\n      - target: 4000\n        published: 3000\n',
      errors: [{ messageId: 'duplicate', line: 5, column: 8 }],
      output: null,
    },
    {
      name: 'inside a published range',
      code: 'services:\n  a:\n    ports: ["8000-8005:8000-8005"]\n  b:\n    ports: ["8003:80"]\n',
      errors: [{ messageId: 'duplicate', line: 4, column: 12 }],
      output: null,
    },
  ],
});

composeRuleTests(composeDependsOnCondition, {
  valid: [
    { code: 'services:\n  app:\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n' },
    { code: 'services:\n  app:\n    depends_on:\n      init:\n        condition: service_completed_successfully\n  init:\n    restart: "no"\n' },
    {
      name: 'the dependency inherits its healthcheck through extends',
      code: 'services:\n  app:\n    depends_on:\n      db:\n        condition: service_healthy\n  pg:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n  db:\n    extends: pg\n',
    },
  ],
  invalid: [
    {
      name: 'list form; the dependency inherits its healthcheck through extends',
      code: 'services:\n  app:\n    depends_on: [db]\n  pg:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n  db:\n    extends: pg\n',
      errors: [{ messageId: 'list', line: 2, column: 4, text: 'depends_on' }],
      output: 'services:\n  app:\n    depends_on:\n      db:\n        condition: service_healthy\n  pg:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n  db:\n    extends: pg\n',
    },
    {
      name: 'the guide\'s BAD list form, dependency with a healthcheck',
      code: 'services:\n  app:\n    depends_on:\n      - postgres\n    image: app:1\n  postgres:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
      errors: [{ messageId: 'list', line: 2, column: 4, text: 'depends_on' }],
      output: 'services:\n  app:\n    depends_on:\n      postgres:\n        condition: service_healthy\n    image: app:1\n  postgres:\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    },
    {
      name: 'flow list, one dependency without a healthcheck',
      code: 'services:\n  app:\n    depends_on: [db, cache]\n  db:\n    healthcheck: { test: ["CMD", "true"] }\n  cache:\n    image: redis:7.2\n',
      errors: [{ messageId: 'needsHealthcheck', line: 2, column: 4 }],
      output: 'services:\n  app:\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n  db:\n    healthcheck: { test: ["CMD", "true"] }\n  cache:\n    image: redis:7.2\n',
    },
    {
      name: 'mapping entries without a condition: empty, block and flow',
      code: 'services:\n  app:\n    depends_on:\n      db:\n      cache:\n        restart: true\n      queue: {}\n  db:\n    healthcheck:\n      test: ["CMD", "true"]\n  cache:\n    healthcheck:\n      test: ["CMD", "true"]\n  queue:\n    image: q:1\n',
      errors: [
        { messageId: 'noCondition', line: 3, column: 6, text: 'db' },
        { messageId: 'noCondition', line: 4, column: 6, text: 'cache' },
        { messageId: 'needsHealthcheck', line: 6, column: 6, text: 'queue' },
      ],
      output: 'services:\n  app:\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_healthy\n        restart: true\n      queue: { condition: service_started }\n  db:\n    healthcheck:\n      test: ["CMD", "true"]\n  cache:\n    healthcheck:\n      test: ["CMD", "true"]\n  queue:\n    image: q:1\n',
    },
    {
      name: 'inside flow mappings: reported, no block-style fix',
      code: 'services:\n  app: { depends_on: [db], image: a }\n  web:\n    depends_on: { db }\n  db: { healthcheck: { test: [CMD, "true"] } }\n',
      errors: [{ messageId: 'list', line: 1, column: 9 }, { messageId: 'noCondition', line: 3, column: 18 }],
      output: null,
    },
  ],
});

composeRuleTests(composeHealthcheck, {
  valid: [
    { code: 'services:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n' },
    { name: 'a one-shot job', code: 'services:\n  migrate:\n    image: app:1\n    restart: "no"\n' },
    { name: 'waited on to complete', code: 'services:\n  seed:\n    image: app:1\n  app:\n    healthcheck: { test: ["CMD", "true"] }\n    depends_on:\n      seed:\n        condition: service_completed_successfully\n' },
    { name: 'explicitly disabled', code: 'services:\n  tool:\n    healthcheck:\n      disable: true\n' },
    { name: 'merge key brings the healthcheck', code: 'x-hc: &hc\n  healthcheck:\n    test: ["CMD", "true"]\nservices:\n  web:\n    <<: *hc\n    image: nginx:1.27\n' },
    { name: 'extends a service of this file that has one', code: 'services:\n  base:\n    image: app:1\n    healthcheck:\n      test: ["CMD", "true"]\n  web:\n    extends: base\n  api:\n    extends:\n      service: web\n' },
    { name: 'extends a service of another file (not read: assumed right)', code: 'services:\n  web:\n    extends:\n      file: common.yml\n      service: web\n' },
    { name: 'a one-shot job: its command exits, no restart policy', code: 'services:\n  oneshot:\n    image: local/busybox:1\n    command: ["sh", "-c", "echo migrating; exit 3"]\n  done:\n    image: local/busybox:1\n    command: echo done\n  transform:\n    image: dbt:1\n    entrypoint: ["dbt"]\n    command: ["build", "--target", "dev"]\n' },
    { name: 'a one-shot job behind a profile', code: 'services:\n  backfill:\n    image: app:1\n    profiles: [batch]\n    command: ["sh", "-c", "exec dbt run --full-refresh"]\n' },
    { name: 'named for a task run once, nobody waits on it (polaris-init)', code: 'services:\n  polaris-init:\n    image: python:3.11-slim\n    command: ["python", "/config/setup.py"]\n  db_migrate:\n    image: app:1\n' },
  ],
  invalid: [
    {
      name: 'a long-running command: a worker loop, an idle container, a server',
      code: 'services:\n  worker:\n    image: local/busybox:1\n    command: ["sh", "-c", "while true; do sleep 1; done"]\n  idle:\n    image: local/busybox:1\n    command: sleep infinity\n  daemon:\n    image: dagster:1\n    entrypoint: ["dagster-daemon", "run"]\n    restart: on-failure\n',
      errors: [
        { messageId: 'longCommand', line: 1, column: 2, text: 'worker' },
        { messageId: 'longCommand', line: 4, column: 2, text: 'idle' },
        { messageId: 'longCommand', line: 7, column: 2, text: 'daemon' },
      ],
      output: null,
    },
    {
      name: 'dependants waiting for it to start or be healthy',
      code: 'services:\n  db:\n    image: db:1\n  cache:\n    image: c:1\n  app:\n    image: app:1\n    healthcheck: { test: ["CMD", "true"] }\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n  web:\n    image: web:1\n    healthcheck: { test: ["CMD", "true"] }\n    depends_on: [cache]\n',
      errors: [
        { messageId: 'awaited', line: 1, column: 2, text: 'db' },
        { messageId: 'awaited', line: 3, column: 2, text: 'cache' },
      ],
      output: null,
    },
    {
      name: 'a profile-only service whose definition says nothing about its life',
      code: 'services:\n  extra:\n    image: app:1\n    profiles: ["extra"]\n',
      errors: [{ messageId: 'unknown', line: 1, column: 2, text: 'extra' }],
      output: null,
    },
    {
      name: 'restart on-failure but publishes a port: a server, not a job',
      code: 'services:\n  dagster:\n    image: dagster:1\n    restart: on-failure\n    ports:\n      - ${DAGSTER_PORT:-4000}:4000\n',
      errors: [{ messageId: 'serves', line: 1, column: 2, text: 'dagster' }],
      output: null,
    },
    {
      name: 'named init but kept running, or serving a port',
      code: 'services:\n  init-worker:\n    image: app:1\n    restart: unless-stopped\n  setup-ui:\n    image: app:1\n    ports: ["${UI_PORT:-8080}:80"]\n',
      errors: [{ messageId: 'kept', line: 1, column: 2, text: 'init-worker' }, { messageId: 'serves', line: 4, column: 2, text: 'setup-ui' }],
      output: null,
    },
    {
      name: 'extends a service that has none either (a cycle does not loop)',
      code: 'services:\n  a:\n    image: app:1\n    extends: b\n  b:\n    image: app:1\n    extends: a\n',
      errors: [
        { messageId: 'unknown', line: 1, column: 2, text: 'a' },
        { messageId: 'unknown', line: 4, column: 2, text: 'b' },
      ],
      output: null,
    },
    {
      name: 'an image with no known healthcheck: no fix',
      code: 'services:\n  jupyter:\n    image: jupyter/base-notebook:2024-05-27\n    restart: unless-stopped\n',
      errors: [{ messageId: 'kept', line: 1, column: 2, text: 'jupyter' }],
      output: null,
    },
    {
      name: 'known images get their usual healthcheck',
      code: 'services:\n  superset:\n    image: apache/superset:5.0.0\n    restart: unless-stopped\n  db:\n    image: "docker.io/library/postgres:16"\n',
      errors: [{ messageId: 'kept', line: 1, column: 2, text: 'superset' }, { messageId: 'unknown', line: 4, column: 2, text: 'db' }],
      output: [
        'services:',
        '  superset:',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "curl -f http://localhost:8088/health"]',
        '      interval: 10s',
        '      timeout: 5s',
        '      retries: 5',
        '    image: apache/superset:5.0.0',
        '    restart: unless-stopped',
        '  db:',
        '    healthcheck:',
        '      test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres}"]',
        '      interval: 10s',
        '      timeout: 5s',
        '      retries: 5',
        '    image: "docker.io/library/postgres:16"',
        '',
      ].join('\n'),
    },
  ],
});

composeRuleTests(composeAnonymousVolume, {
  valid: [
    { code: 'services:\n  postgres:\n    volumes:\n      - postgres_data:/var/lib/postgresql/data\n      - ./init:/docker-entrypoint-initdb.d:ro\nvolumes:\n  postgres_data:\n' },
    { code: 'services:\n  app:\n    volumes:\n      - type: tmpfs\n        target: /tmp\n' },
  ],
  invalid: [
    {
      name: 'the guide\'s BAD example, no top-level volumes yet',
      code: 'services:\n  postgres:\n    volumes:\n      - /var/lib/postgresql/data\n',
      errors: [{ messageId: 'anonymous', line: 3, column: 8, text: '/var/lib/postgresql/data' }],
      output: 'services:\n  postgres:\n    volumes:\n      - "postgres_data:/var/lib/postgresql/data"\nvolumes:\n  postgres_data:\n',
    },
    {
      name: 'top-level volumes exists; two anonymous volumes',
      code: 'services:\n  app:\n    volumes:\n      - /data\n      - "/cache"\nvolumes:\n  other:\n    driver: local\n# end\n',
      errors: [{ messageId: 'anonymous', line: 3, column: 8 }, { messageId: 'anonymous', line: 4, column: 8 }],
      output: 'services:\n  app:\n    volumes:\n      - "app_data:/data"\n      - "app_cache:/cache"\nvolumes:\n  other:\n    driver: local\n  app_data:\n  app_cache:\n# end\n',
    },
    {
      name: 'long syntax is flagged without a fix',
      code: 'services:\n  app:\n    volumes:\n      - type: volume\n        target: /data\n',
      errors: [{ messageId: 'anonymous', line: 3, column: 8 }],
      output: null,
    },
  ],
});

composeRuleTests(composeAbsoluteBind, {
  valid: [
    { code: 'services:\n  app:\n    volumes:\n      - ./02_duck_db:/app/02_duck_db\n      - ${DATA_DIR:-/srv/data}:/data\n      - /var/run/docker.sock:/var/run/docker.sock\n      - named:/x\n' },
    { code: 'services:\n  app:\n    volumes:\n      - type: bind\n        source: ${HOST_DIR}\n        target: /data\n' },
    {
      name: 'the shared temporary folder and builds relative to the project',
      code: 'services:\n  dagster:\n    build:\n      context: ./dagster\n      dockerfile: Dockerfile\n    volumes:\n      - /tmp/io_manager_storage:/tmp/io_manager_storage\n  ui:\n    build: ${UI_DIR:-./ui}\n  git:\n    build: https://github.com/example/app.git#main\n',
    },
  ],
  invalid: [
    {
      code: 'services:\n  app:\n    volumes:\n      - /home/user/proto_loc/02_duck_db:/app/02_duck_db\n      - type: bind\n        source: ~/data\n        target: /data\n',
      errors: [{ messageId: 'absolute', line: 3, column: 8 }, { messageId: 'absolute', line: 4, column: 8 }],
      output: null,
    },
    {
      name: 'a path under the user\'s home written through $HOME is still one machine\'s layout',
      code: 'services:\n  app:\n    volumes:\n      - $HOME/.azure:/root/.azure\n      - ${HOME}/work/dbt:/opt/dbt\n      - type: bind\n        source: ${USERPROFILE:-C:/Users/me}/data\n        target: /data\n',
      errors: [{ messageId: 'machine', line: 3, column: 8 }, { messageId: 'machine', line: 4, column: 8 }, { messageId: 'machine', line: 5, column: 8 }],
      output: null,
    },
    {
      name: 'a build under $HOME or at an absolute path',
      code: 'services:\n  pipeline:\n    build:\n      dockerfile: $HOME/work/pipeline/Dockerfile\n  docs:\n    build: /srv/docs\n',
      errors: [{ messageId: 'build', line: 3, column: 18, text: '$HOME/work/pipeline/Dockerfile' }, { messageId: 'build', line: 5, column: 11, text: '/srv/docs' }],
      output: null,
    },
  ],
});

composeRuleTests(composeHardcodedCredential, {
  valid: [
    { code: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}\n      POSTGRES_USER: duck\n      POSTGRES_PASSWORD_FILE: /run/secrets/pg\n' },
    { code: 'services:\n  app:\n    environment:\n      - SECRET_KEY=${SECRET_KEY}\n      - API_KEY=\n      - TOKEN_TTL=3600\n' },
  ],
  invalid: [
    {
      name: 'a literal in mapping form',
      code: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: changeme\n',
      errors: [{ messageId: 'literal', line: 3, column: 25, text: 'changeme' }],
      output: 'services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"\n',
    },
    {
      name: 'a placeholder default, and a literal in list form',
      code: 'services:\n  superset:\n    environment:\n      - SUPERSET_SECRET_KEY=${SUPERSET_SECRET:-your-secret-key-here}\n      - "ADMIN_PASSWORD=admin"\n',
      errors: [{ messageId: 'default', line: 3, column: 8 }, { messageId: 'literal', line: 4, column: 8 }],
      output: 'services:\n  superset:\n    environment:\n      - "SUPERSET_SECRET_KEY=${SUPERSET_SECRET:?set SUPERSET_SECRET in .env}"\n      - "ADMIN_PASSWORD=${ADMIN_PASSWORD:?set ADMIN_PASSWORD in .env}"\n',
    },
    {
      name: 'an anchored environment shared by two services is reported once, at the anchor',
      code: 'x-env: &env\n  DB_PASSWORD: secret\nservices:\n  a:\n    environment: *env\n  b:\n    environment: *env\n',
      errors: [{ messageId: 'literal', line: 1, column: 15, text: 'secret' }],
      output: 'x-env: &env\n  DB_PASSWORD: "${DB_PASSWORD:?set DB_PASSWORD in .env}"\nservices:\n  a:\n    environment: *env\n  b:\n    environment: *env\n',
    },
    {
      code: 'services:\n  cube:\n    environment:\n      CUBEJS_API_SECRET: "${CUBEJS_API_SECRET-secret}"\n      GITHUB_TOKEN: 12345\n',
      errors: [{ messageId: 'default', line: 3, column: 25 }, { messageId: 'literal', line: 4, column: 20 }],
      output: 'services:\n  cube:\n    environment:\n      CUBEJS_API_SECRET: "${CUBEJS_API_SECRET:?set CUBEJS_API_SECRET in .env}"\n      GITHUB_TOKEN: "${GITHUB_TOKEN:?set GITHUB_TOKEN in .env}"\n',
    },
  ],
});

composeRuleTests(composeImageTag, {
  valid: [
    { code: 'services:\n  db:\n    image: postgres:16\n  r:\n    image: redis@sha256:abcdef\n  app:\n    build: .\n    image: myapp\n' },
    { code: 'services:\n  s:\n    image: apache/superset:${SUPERSET_TAG:-5.0.0}\n' },
    { name: 'a tag from a variable that has no value here is not judged', code: 'services:\n  s:\n    image: ${REGISTRY:-ghcr.io}/app:${APP_TAG}\n' },
    {
      name: 'another service runs the image a service of this file builds (not pulled)',
      code: 'services:\n  webserver:\n    build: .\n    image: stack/dagster:latest\n  daemon:\n    image: stack/dagster\n',
    },
  ],
  invalid: [
    {
      name: 'no tag, golden known: the fix adds the golden tag',
      code: 'services:\n  db:\n    image: postgres\n  cube:\n    image: "cubejs/cube:latest"\n',
      golden,
      errors: [{ messageId: 'noTag', line: 2, column: 11, text: 'postgres' }, { messageId: 'moving', line: 4, column: 11, text: '"cubejs/cube:latest"' }],
      output: 'services:\n  db:\n    image: postgres:16\n  cube:\n    image: "cubejs/cube:v0.36.0"\n',
    },
    {
      name: 'moving tag inside a variable default',
      code: 'services:\n  s:\n    image: apache/superset:${SUPERSET_TAG:-latest}\n',
      golden,
      errors: [{ messageId: 'moving', line: 2, column: 11 }],
      output: 'services:\n  s:\n    image: apache/superset:${SUPERSET_TAG:-5.0.0}\n',
    },
    {
      name: 'no golden entry: flagged without a fix',
      code: 'services:\n  web:\n    image: nginx:stable\n  x:\n    image: busybox\n',
      errors: [{ messageId: 'moving', line: 2, column: 11 }, { messageId: 'noTag', line: 4, column: 11 }],
      output: null,
    },
  ],
});

composeRuleTests(composeImageGolden, {
  valid: [
    { golden, code: 'services:\n  a:\n    image: python:3.11-slim\n  b:\n    image: python:3.11.9-slim-bookworm\n  c:\n    image: redis:7.2.4-alpine\n  d:\n    image: nginx:1.27\n' },
    { golden, name: 'the .env value is golden', code: 'services:\n  s:\n    image: apache/superset:${SUPERSET_TAG:-4.0.2}\n', env: { SUPERSET_TAG: '5.0.0' } },
  ],
  invalid: [
    {
      golden,
      code: 'services:\n  superset:\n    image: apache/superset:4.0.2\n  dagster:\n    image: "python:3.9-slim"\n  cube:\n    image: cubejs/cube:v0.35.1\n',
      errors: [
        { messageId: 'drift', line: 2, column: 11, text: 'apache/superset:4.0.2' },
        { messageId: 'drift', line: 4, column: 11, text: '"python:3.9-slim"' },
        { messageId: 'drift', line: 6, column: 11, text: 'cubejs/cube:v0.35.1' },
      ],
      output: 'services:\n  superset:\n    image: apache/superset:5.0.0\n  dagster:\n    image: "python:3.11-slim"\n  cube:\n    image: cubejs/cube:v0.36.0\n',
    },
    {
      golden,
      name: 'inside a variable default',
      code: 'services:\n  s:\n    image: "apache/superset:${SUPERSET_TAG:-4.0.2}"\n',
      errors: [{ messageId: 'drift', line: 2, column: 11 }],
      output: 'services:\n  s:\n    image: "apache/superset:${SUPERSET_TAG:-5.0.0}"\n',
    },
    {
      golden,
      name: 'newer than golden: no fix, since it would downgrade',
      code: 'services:\n  a:\n    image: python:3.12-slim\n  b:\n    image: apache/superset:4.0.2\n',
      errors: [{ messageId: 'ahead', line: 2, column: 11, text: 'python:3.12-slim' }, { messageId: 'drift', line: 4, column: 11, text: 'apache/superset:4.0.2' }],
      output: 'services:\n  a:\n    image: python:3.12-slim\n  b:\n    image: apache/superset:5.0.0\n',
    },
    {
      golden,
      name: 'set in .env: flagged without a fix in this file',
      code: 'services:\n  s:\n    image: apache/superset:${SUPERSET_TAG}\n',
      env: { SUPERSET_TAG: '4.1.0' },
      errors: [{ messageId: 'drift', line: 2, column: 11 }],
      output: null,
    },
  ],
});

composeRuleTests(composeBiReadonlyDuckdb, {
  valid: [
    { code: 'services:\n  superset:\n    volumes:\n      - ./02_duck_db:/app/02_duck_db:ro\n      - superset_home:/app/superset_home\n    environment:\n      DUCKDB_URI: duckdb:////app/02_duck_db/prod.duckdb?access_mode=read_only\n' },
    { name: 'not a BI service', code: 'services:\n  dagster:\n    volumes:\n      - ./02_duck_db:/app/02_duck_db\n  dbt:\n    image: fork-nocube-dbt:local\n    volumes:\n      - ./02_duck_db:/app/02_duck_db\n' },
    { code: 'services:\n  cube:\n    volumes:\n      - type: bind\n        source: ./02_duck_db\n        target: /duckdb\n        read_only: true\n' },
    {
      name: 'a BI folder that holds no DuckDB file the project names',
      code: 'services:\n  dagster:\n    volumes:\n      - ./shared:/shared\n    environment:\n      DUCKDB_PATH: /shared/db/mart.duckdb\n  superset:\n    volumes:\n      - ./superset_home:/app/superset_home\n      - ./shared/exports:/exports\n',
    },
  ],
  invalid: [
    {
      name: 'the folder of a DuckDB file another service names, under any name (mapped through its mount)',
      code: 'services:\n  dagster:\n    volumes:\n      - ./shared:/shared\n    environment:\n      DUCKDB_PATH: /shared/db/mart.duckdb\n  superset:\n    volumes:\n      - ./shared/db:/app/superset_home/db\n',
      errors: [{ messageId: 'mount', line: 8, column: 8 }],
      output: 'services:\n  dagster:\n    volumes:\n      - ./shared:/shared\n    environment:\n      DUCKDB_PATH: /shared/db/mart.duckdb\n  superset:\n    volumes:\n      - "./shared/db:/app/superset_home/db:ro"\n',
    },
    {
      name: 'Cube reads its own DuckDB file from a folder named data; a named volume shared with the writer',
      code: [
        'services:',
        '  cube:',
        '    image: cubejs/cube:v0.36.0',
        '    environment:',
        '      - CUBEJS_DB_DUCKDB_DATABASE_PATH=/cube/data/wh.duckdb',
        '    volumes:',
        '      - ./warehouse:/cube/data',
        '  dbt:',
        '    environment:',
        '      DBT_DUCKDB_PATH: /work/wh.duckdb',
        '    volumes:',
        '      - warehouse:/work',
        '  superset:',
        '    volumes:',
        '      - warehouse:/app/warehouse',
        'volumes:',
        '  warehouse:',
        '',
      ].join('\n'),
      errors: [{ messageId: 'mount', line: 6, column: 8 }, { messageId: 'mount', line: 14, column: 8 }],
      output: [
        'services:',
        '  cube:',
        '    image: cubejs/cube:v0.36.0',
        '    environment:',
        '      - CUBEJS_DB_DUCKDB_DATABASE_PATH=/cube/data/wh.duckdb',
        '    volumes:',
        '      - "./warehouse:/cube/data:ro"',
        '  dbt:',
        '    environment:',
        '      DBT_DUCKDB_PATH: /work/wh.duckdb',
        '    volumes:',
        '      - warehouse:/work',
        '  superset:',
        '    volumes:',
        '      - "warehouse:/app/warehouse:ro"',
        'volumes:',
        '  warehouse:',
        '',
      ].join('\n'),
    },
    {
      code: 'services:\n  superset:\n    image: apache/superset:5.0.0\n    volumes:\n      - ./02_duck_db:/app/02_duck_db\n      - "./data/prod.duckdb:/db/prod.duckdb:rw"\n    environment:\n      - SQLALCHEMY_URI=duckdb:////app/02_duck_db/prod.duckdb\n',
      errors: [{ messageId: 'mount', line: 4, column: 8 }, { messageId: 'mount', line: 5, column: 8 }, { messageId: 'uri', line: 7, column: 8 }],
      output: 'services:\n  superset:\n    image: apache/superset:5.0.0\n    volumes:\n      - "./02_duck_db:/app/02_duck_db:ro"\n      - "./data/prod.duckdb:/db/prod.duckdb:ro"\n    environment:\n      - "SQLALCHEMY_URI=duckdb:////app/02_duck_db/prod.duckdb?access_mode=read_only"\n',
    },
    {
      name: 'long syntax in a service named by its image',
      code: 'services:\n  semantic:\n    image: cubejs/cube:v0.36.0\n    volumes:\n      - type: bind\n        source: ./02_duck_db\n        target: /cube/duckdb\n',
      errors: [{ messageId: 'mount', line: 4, column: 8 }],
      output: 'services:\n  semantic:\n    image: cubejs/cube:v0.36.0\n    volumes:\n      - read_only: true\n        type: bind\n        source: ./02_duck_db\n        target: /cube/duckdb\n',
    },
  ],
});

composeRuleTests(composeUndocumentedVariable, {
  valid: [
    { code: 'services:\n  a:\n    image: "x:${TAG:-1}"\n    environment:\n      A: ${DOCUMENTED}\n      B: $$NOT_A_VAR\n      C: ${OPT-}\n', envExample: ['DOCUMENTED'] },
    { name: 'variables the shell provides (HOME, PWD, USER)', code: 'services:\n  a:\n    volumes:\n      - ${PWD}/data:/data\n    environment:\n      OWNER: $USER\n      CACHE: ${HOME}/.cache\n' },
  ],
  invalid: [
    {
      code: 'services:\n  a:\n    environment:\n      PASSWORD: ${DB_PASSWORD:?set it}\n      URL: "http://$HOST:${PORT}/x"\n      D: ${A:-${NESTED}}\n',
      envExample: ['PORT'],
      errors: [
        { messageId: 'undocumented', line: 3, column: 16, text: '${DB_PASSWORD:?set it}' },
        { messageId: 'undocumented', line: 4, column: 19, text: '$HOST' },
        { messageId: 'undocumented', line: 5, column: 14, text: '${NESTED}' },
      ],
      output: null,
    },
  ],
});

composeRuleTests(composeObsoleteVersion, {
  valid: [{ code: 'services:\n  a:\n    image: x:1\n    environment:\n      version: "1"\n' }],
  invalid: [
    {
      code: '# stack\nversion: "3.8"\nservices:\n  a:\n    image: x:1\n',
      errors: [{ messageId: 'obsolete', line: 1, column: 0, text: 'version' }],
      output: '# stack\nservices:\n  a:\n    image: x:1\n',
    },
    { code: '{ version: "3", services: {} }\n', errors: [{ messageId: 'obsolete', line: 0, column: 2 }], output: null },
  ],
});

suite('compose-healthcheck words each finding for what the definition says', () => {
  test('the live stack: a worker loop and sleepers keep running, one-shot jobs are not flagged', async () => {
    const dir = path.resolve(__dirname, '../../../../test/fixtures/docker/live');
    const result = await lintProject(dir, { ruleSet: allRules });
    const messages = result.findings.filter((f) => f.ruleId === 'compose-healthcheck').map((f) => `${f.line + 1}: ${f.message}`);
    assert.deepEqual(messages, [
      '27: Service worker runs `sh -c while true; do sleep 1; done`, which keeps running, but has no healthcheck; add one so dependants can use `condition: service_healthy` and `docker compose ps` shows it healthy.',
      '32: Service idle publishes port `${LIVE_IDLE_PORT:-18381}:9000`, so it serves while it runs, but has no healthcheck; add one so dependants can use `condition: service_healthy` and `docker compose ps` shows it healthy.',
      '47: Service extra runs `sleep 3600`, which keeps running, but has no healthcheck; add one so dependants can use `condition: service_healthy` and `docker compose ps` shows it healthy.',
    ]);
  });

  test('a profile-only service with nothing known, and a service others wait on, say what is known', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-healthcheck-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'compose.yaml'),
        'services:\n  notebook:\n    image: jupyter:1\n    profiles: [analysis]\n  db:\n    image: db:1\n  app:\n    image: app:1\n    restart: unless-stopped\n    healthcheck: { test: ["CMD", "true"] }\n    depends_on: [db]\n',
      );
      const result = await lintProject(dir, { ruleSet: allRules });
      const messages = result.findings.filter((f) => f.ruleId === 'compose-healthcheck').map((f) => f.message);
      assert.deepEqual(messages, [
        'Service notebook has no healthcheck, and its definition does not say whether it keeps running (no `restart` policy, published port, dependants or known command), and it starts only with the profile `analysis`: if it is a server or daemon, add a healthcheck; if it is a one-shot job, say so with `restart: "no"`.',
        'Service db has no healthcheck, yet app depends on it (`service_started`); add one so they start only once it is ready.',
      ]);
      assert.ok(messages.every((m) => !m.includes('runs continuously')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
