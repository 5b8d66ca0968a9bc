import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findComposeFiles, loadComposeProject, type ComposeProject } from '../../../src/core/compose/project';

const execFileAsync = promisify(execFile);

const COMPOSE = `services:
  web:
    image: "nginx:\${NGINX_TAG:-1.27}"
    ports:
      - "\${WEB_PORT:-8080}:80"
      - "127.0.0.1:9000:9000/udp"
      - "[::1]:9090:90"
      - "3001"
      - target: 443
        published: "\${TLS_PORT-8443}"
    volumes:
      - ./html:/usr/share/nginx/html:ro
      - data:/data
      - /cache
      - type: bind
        source: ../shared
        target: /shared
        read_only: true
      - type: tmpfs
        target: /tmp
    env_file: web.env
    environment:
      - A=1
      - WEB_PORT
      - UNSET_BARE
    depends_on: [db]
    healthcheck:
      test: ["CMD", "true"]
  db:
    image: postgres:16
    profiles: [debug]
    build:
      context: ./db
      dockerfile: Dockerfile.dev
    env_file:
      - ./db.env
      - path: ./optional.env
        required: false
    environment:
      B: \${B_VAL:-x\${NESTED:-y}}
    restart: unless-stopped
    container_name: the_db
  worker:
    extends: web
    environment:
      - A=2
    command: ["run", "worker"]
  api:
    extends:
      file: ./common/base.yml
      service: base
    image: api:1
include:
  - ./parts/extra.yaml
volumes:
  data:
`;
const OVERRIDE = `services:
  web:
    ports: ["7000:7000"]
    volumes:
      - ./other:/data
    labels:
      x: "1"
`;
const DOT_ENV = 'WEB_PORT=8181\nexport NESTED="n ${WEB_PORT}" # c\nCOMPOSE_PROFILES=debug\n';

interface ConfigJson {
  name: string;
  services: Record<string, {
    image?: string;
    ports?: Array<{ target: number; published?: string; protocol: string; host_ip?: string }>;
    volumes?: Array<{ type: string; source?: string; target: string; read_only?: boolean }>;
    environment?: Record<string, string | null>;
    labels?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    build?: { context: string; dockerfile?: string };
  }>;
}

suite('compose project model', () => {
  let dir: string;
  let project: ComposeProject;
  // Only the variables that matter, so the developer's environment cannot change the result.
  const processEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: os.tmpdir(), DOCKER_CONFIG: process.env.DOCKER_CONFIG };

  suiteSetup(async () => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-compose-')), 'My_Proj');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'compose.override.yaml'), OVERRIDE);
    fs.writeFileSync(path.join(dir, '.env'), DOT_ENV);
    // env_file values: overridden by `environment`, later files winning, with ${VAR} from the project env.
    fs.writeFileSync(path.join(dir, 'web.env'), 'A=from-file\nC=only-in-file\n');
    // extends from another folder: its relative paths are rebased onto the project.
    fs.mkdirSync(path.join(dir, 'common', 'ctx'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'common', 'base.yml'),
      'services:\n  base:\n    image: base:1\n    build: ./ctx\n    env_file: base.env\n    volumes:\n      - ./data:/data\n    healthcheck:\n      test: ["CMD", "true"]\n',
    );
    fs.writeFileSync(path.join(dir, 'common', 'base.env'), 'F=from-base\n');
    // include: its own folder for relative paths, the including project's variables.
    fs.mkdirSync(path.join(dir, 'parts'));
    fs.writeFileSync(
      path.join(dir, 'parts', 'extra.yaml'),
      'services:\n  extra:\n    image: extra:${WEB_PORT:-0}\n    build: ./ctx\n    volumes:\n      - ./data:/data:ro\n    environment:\n      G: "${NESTED}"\n',
    );
    fs.writeFileSync(path.join(dir, 'db.env'), 'B=overridden\nD=port-${WEB_PORT}\n# comment\nE="quoted value"\n');
    project = await loadComposeProject(dir, { processEnv });
  });
  suiteTeardown(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test('env_file values reach the service environment; a missing required env file is an error', async () => {
    const web = project.services.find((s) => s.name === 'web');
    assert.equal(web?.environment.A, '1');
    assert.equal(web?.environment.C, 'only-in-file');
    const db = project.services.find((s) => s.name === 'db');
    assert.equal(db?.environment.D, 'port-8181');
    assert.equal(db?.environment.E, 'quoted value');
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-envfile-'));
    try {
      fs.writeFileSync(path.join(other, 'compose.yaml'), 'services:\n  a:\n    image: x:1\n    env_file: [missing.env]\n');
      const broken = await loadComposeProject(other, { processEnv });
      assert.deepEqual(broken.errors, [{ code: 'env-file-missing', message: 'service a: env file missing.env not found' }]);
      assert.deepEqual(broken.services.map((s) => s.name), ['a']);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('extends: a service of this file, and one of another folder with its paths rebased', () => {
    const worker = project.services.find((s) => s.name === 'worker');
    assert.equal(worker?.healthcheck, true);
    assert.equal(worker?.environment.A, '2');
    assert.equal(worker?.environment.C, 'only-in-file');
    const api = project.services.find((s) => s.name === 'api');
    assert.equal(api?.image, 'api:1');
    assert.equal(api?.build?.context, path.join(dir, 'common', 'ctx'));
    assert.equal(api?.environment.F, 'from-base');
    assert.deepEqual(api?.volumes, [{ type: 'bind', source: path.join(dir, 'common', 'data'), target: '/data', readOnly: false }]);
  });

  test('include: the included services, with paths from their own folder and the project variables', async () => {
    const extra = project.services.find((s) => s.name === 'extra');
    assert.equal(extra?.image, 'extra:8181');
    assert.equal(extra?.build?.context, path.join(dir, 'parts', 'ctx'));
    assert.deepEqual(extra?.volumes, [{ type: 'bind', source: path.join(dir, 'parts', 'data'), target: '/data', readOnly: true }]);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-include-'));
    try {
      fs.writeFileSync(path.join(other, 'compose.yaml'), 'include: [again.yaml, self.yaml]\nservices:\n  a:\n    image: a:1\n');
      fs.writeFileSync(path.join(other, 'again.yaml'), 'services:\n  a:\n    image: other:1\n');
      fs.writeFileSync(path.join(other, 'self.yaml'), 'include: [self.yaml]\nservices:\n  s:\n    image: s:1\n');
      const broken = await loadComposeProject(other, { processEnv });
      assert.equal(broken.services.find((s) => s.name === 'a')?.image, 'a:1');
      const messages = broken.errors.map((e) => `${e.code}: ${e.message}`);
      assert.ok(messages.some((e) => /^include: .*service a is already defined/.test(e)), messages.join('; '));
      assert.ok(messages.some((e) => /^include: .*nested too deeply/.test(e)), messages.join('; '));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('extends: a cycle or a missing base is a problem, never a hang', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-extends-'));
    try {
      fs.writeFileSync(path.join(other, 'compose.yaml'), 'services:\n  a:\n    extends: b\n  b:\n    extends: a\n  c:\n    extends: nowhere\n    image: c:1\n');
      const broken = await loadComposeProject(other, { processEnv });
      assert.deepEqual(broken.services.map((s) => s.name), ['a', 'b', 'c']);
      assert.equal(broken.services[2].image, 'c:1');
      const messages = broken.errors.map((e) => `${e.code}: ${e.message}`);
      assert.ok(messages.some((e) => /^extends: .*cycle/.test(e)), messages.join('; '));
      assert.ok(messages.some((e) => /^extends: .*extends nowhere, which does not exist/.test(e)), messages.join('; '));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('each error has a code to act on: a required variable names it, and an included file keeps its own code', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-compose-codes-'));
    try {
      fs.writeFileSync(path.join(other, 'compose.yaml'), [
        'include: [part.yaml]',
        'services:',
        '  db:',
        '    image: postgres:16',
        '    env_file: missing.env',
        '    environment:',
        '      POSTGRES_PASSWORD: ${DUCKSTACK_TEST_PASSWORD:?set it in .env}',
        '',
      ].join('\n'));
      fs.writeFileSync(path.join(other, 'part.yaml'), 'services:\n  web:\n    image: web:${DUCKSTACK_TEST_TAG:?}\n');
      const loaded = await loadComposeProject(other, { processEnv: {} });
      assert.deepEqual(loaded.errors.map((e) => [e.code, e.variable]), [
        ['required-variable', 'DUCKSTACK_TEST_PASSWORD'],
        ['env-file-missing', undefined],
        ['required-variable', 'DUCKSTACK_TEST_TAG'],
      ]);
      assert.match(loaded.errors[2].message, /^include part\.yaml: .*part\.yaml: required variable DUCKSTACK_TEST_TAG is missing a value$/);
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  test('finds the default file and its override', () => {
    assert.deepEqual(project.files, [path.join(dir, 'compose.yaml'), path.join(dir, 'compose.override.yaml')]);
    assert.deepEqual(project.errors, []);
    assert.equal(project.name, 'my_proj');
    assert.deepEqual(project.activeProfiles, ['debug']);
  });

  test('agrees with `docker compose config --format json` on the same files', async () => {
    let stdout: string;
    try {
      ({ stdout } = await execFileAsync('docker', ['compose', 'config', '--format', 'json'], { cwd: dir, env: processEnv, timeout: 30_000 }));
    } catch (e) {
      assert.fail(`docker compose v2 is needed for this test (run scripts/ensure-docker.sh and export DOCKER_CONFIG): ${String(e)}`);
    }
    const config = JSON.parse(stdout) as ConfigJson;
    assert.equal(project.name, config.name);
    assert.deepEqual(project.services.map((s) => s.name).sort(), Object.keys(config.services).sort());
    for (const service of project.services) {
      const expected = config.services[service.name];
      assert.equal(service.image, expected.image, service.name);
      assert.deepEqual(
        service.ports,
        (expected.ports ?? []).map((p) => ({ target: String(p.target), protocol: p.protocol, ...(p.published ? { published: p.published } : {}), ...(p.host_ip ? { hostIp: p.host_ip } : {}) })),
        `${service.name} ports`,
      );
      assert.deepEqual(
        service.volumes,
        (expected.volumes ?? []).map((v) => ({ type: v.type, ...(v.source ? { source: v.source } : {}), target: v.target, readOnly: v.read_only === true })),
        `${service.name} volumes`,
      );
      const expectedEnvironment = Object.entries(expected.environment ?? {}).filter((e): e is [string, string] => e[1] !== null);
      assert.deepEqual(service.environment, Object.fromEntries(expectedEnvironment), `${service.name} environment`);
      assert.deepEqual(service.labels, expected.labels ?? {}, `${service.name} labels`);
      assert.deepEqual(
        Object.fromEntries(Object.entries(expected.depends_on ?? {}).map(([k, v]) => [k, { condition: v.condition }])),
        service.dependsOn,
      );
      assert.equal(service.build?.context, expected.build?.context);
      assert.equal(service.build?.dockerfile, expected.build?.dockerfile);
    }
  });

  test('service details the model adds', () => {
    const web = project.services.find((s) => s.name === 'web');
    const db = project.services.find((s) => s.name === 'db');
    assert.equal(web?.healthcheck, true);
    assert.equal(web?.environment.WEB_PORT, '8181');
    assert.equal('UNSET_BARE' in (web?.environment ?? {}), false);
    assert.equal(db?.healthcheck, false);
    assert.deepEqual(db?.profiles, ['debug']);
    assert.equal(db?.containerName, 'the_db');
    assert.equal(db?.restart, 'unless-stopped');
  });

  test('process env wins over .env, and COMPOSE_PROJECT_NAME and -p set the name', async () => {
    const p = await loadComposeProject(dir, { processEnv: { ...processEnv, WEB_PORT: '1234', COMPOSE_PROJECT_NAME: 'From-Env' } });
    assert.equal(p.env.get('WEB_PORT'), '1234');
    assert.equal(p.services.find((s) => s.name === 'web')?.ports[0].published, '1234');
    assert.equal(p.name, 'from-env');
    assert.equal((await loadComposeProject(dir, { processEnv, projectName: 'cli' })).name, 'cli');
  });

  test('COMPOSE_FILE with COMPOSE_PATH_SEPARATOR picks the files', () => {
    const env = new Map([['COMPOSE_FILE', 'a.yml;sub/b.yml'], ['COMPOSE_PATH_SEPARATOR', ';']]);
    assert.deepEqual(findComposeFiles(dir, env), [path.join(dir, 'a.yml'), path.join(dir, 'sub', 'b.yml')]);
  });

  test('bad files give errors, not exceptions', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-compose-bad-'));
    try {
      fs.writeFileSync(path.join(bad, 'compose.yaml'), 'services:\n  - web\n  - db\n');
      const listServices = await loadComposeProject(bad, { processEnv });
      assert.deepEqual(listServices.services, []);
      assert.deepEqual(listServices.errors.map((e) => e.code), ['not-a-mapping']);
      assert.match(listServices.errors[0].message, /services/);
      fs.writeFileSync(path.join(bad, 'compose.yaml'), 'services:\n  web: [unclosed\n');
      assert.deepEqual((await loadComposeProject(bad, { processEnv })).errors.map((e) => e.code), ['yaml-syntax']);
      let bomb = 'a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n';
      for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
      fs.writeFileSync(path.join(bad, 'compose.yaml'), bomb);
      const aliasErrors = (await loadComposeProject(bad, { processEnv })).errors;
      assert.deepEqual(aliasErrors.map((e) => e.code), ['yaml-syntax']);
      assert.match(aliasErrors[0].message, /alias/i);
      fs.rmSync(path.join(bad, 'compose.yaml'));
      assert.deepEqual((await loadComposeProject(bad, { processEnv })).errors.map((e) => [e.code, e.message]), [['no-compose-file', `no compose file in ${bad}`]]);
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });
});
