// Windows and macOS in the core: host paths as users write them there (drive letters,
// backslashes, ~, UNC shares), file systems that ignore case, Docker Desktop's engine addresses,
// and CRLF files. The path logic runs with path.win32 and path.posix explicitly, on any machine.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadComposeProject, parseVolumeShort } from '../../../src/core/compose/project';
import { dockerodeOptions, resolveDockerEndpoint } from '../../../src/core/docker/endpoint';
import {
  containerToHostPath,
  defaultDockerHost,
  expandHome,
  hostPathKey,
  isAbsoluteHostPath,
  resolveHostPath,
} from '../../../src/core/fs/paths';
import { lintText, makeProjectContext } from '../../../src/core/lint/engine';
import { composeAbsoluteBind } from '../../../src/core/rules/compose/absolute-bind';
import { goldenFrom } from '../../../src/core/golden/golden';

const win = path.win32;
const posix = path.posix;

suite('host paths on Windows, macOS and Linux', () => {
  test('~ expands with each platform\'s separator', () => {
    assert.equal(expandHome('~', 'C:\\Users\\ann', win), 'C:\\Users\\ann');
    assert.equal(expandHome('~\\data', 'C:\\Users\\ann', win), 'C:\\Users\\ann\\data');
    assert.equal(expandHome('~/data', 'C:\\Users\\ann', win), 'C:\\Users\\ann\\data');
    assert.equal(expandHome('~/data', '/Users/ann', posix), '/Users/ann/data');
    assert.equal(expandHome('~\\data', '/Users/ann', posix), '~\\data', 'a backslash is a file name character on macOS and Linux');
    assert.equal(expandHome('~ann/data', '/Users/me', posix), '~ann/data');
  });

  test('which host paths name one machine\'s folder', () => {
    for (const p of ['/srv/data', '~', '~/data', '~\\data', 'C:\\data', 'c:/data', 'D:\\', '\\\\server\\share\\data', '//server/share']) {
      assert.equal(isAbsoluteHostPath(p), true, p);
    }
    for (const p of ['./data', '.\\data', 'data', '../x', 'C:data', 'named_volume']) assert.equal(isAbsoluteHostPath(p), false, p);
  });

  test('bind sources resolve against the project with path.win32 and path.posix', () => {
    const winProject = 'C:\\Users\\ann\\fork';
    assert.equal(resolveHostPath('.\\02_duck_db', winProject, 'C:\\Users\\ann', win), 'C:\\Users\\ann\\fork\\02_duck_db');
    assert.equal(resolveHostPath('./02_duck_db', winProject, 'C:\\Users\\ann', win), 'C:\\Users\\ann\\fork\\02_duck_db');
    assert.equal(resolveHostPath('..\\shared', winProject, 'C:\\Users\\ann', win), 'C:\\Users\\ann\\shared');
    assert.equal(resolveHostPath('~/data', winProject, 'C:\\Users\\ann', win), 'C:\\Users\\ann\\data');
    assert.equal(resolveHostPath('C:/data/', winProject, 'C:\\Users\\ann', win), 'C:\\data\\');
    assert.equal(resolveHostPath('D:\\data', winProject, 'C:\\Users\\ann', win), 'D:\\data');
    assert.equal(resolveHostPath('~/data', '/Users/ann/fork', '/Users/ann', posix), '/Users/ann/data');
    assert.equal(resolveHostPath('./data', '/Users/ann/fork', '/Users/ann', posix), '/Users/ann/fork/data');
    // A fork written on Windows, read on Linux (CI): the drive path stays what it is.
    assert.equal(resolveHostPath('C:\\data', '/builds/fork', '/root', posix), 'C:\\data');
  });

  test('short volume syntax keeps drive letters and UNC shares whole', () => {
    assert.deepEqual(parseVolumeShort('C:\\data:/data'), { source: 'C:\\data', target: '/data', bind: true });
    assert.deepEqual(parseVolumeShort('c:/data:/data:ro'), { source: 'c:/data', target: '/data', mode: 'ro', bind: true });
    assert.deepEqual(parseVolumeShort('~/data:/data'), { source: '~/data', target: '/data', bind: true });
    assert.deepEqual(parseVolumeShort('.\\data:/data'), { source: '.\\data', target: '/data', bind: true });
    assert.deepEqual(parseVolumeShort('\\\\server\\share:/data'), { source: '\\\\server\\share', target: '/data', bind: true });
    assert.deepEqual(parseVolumeShort('duckdb_data:/data'), { source: 'duckdb_data', target: '/data', bind: false });
  });

  test('a container path maps through a bind mount onto a Windows or POSIX host path', () => {
    const winMount = { source: 'C:\\Users\\ann\\fork\\02_duck_db', target: '/app/02_duck_db/' };
    assert.equal(containerToHostPath('/app/02_duck_db/01_raw/raw.duckdb', winMount, win), 'C:\\Users\\ann\\fork\\02_duck_db\\01_raw\\raw.duckdb');
    // The mount's Windows source decides the separators, whichever machine reads the file.
    assert.equal(containerToHostPath('/app/02_duck_db/01_raw/raw.duckdb', winMount, posix), 'C:\\Users\\ann\\fork\\02_duck_db\\01_raw\\raw.duckdb');
    assert.equal(containerToHostPath('/app/02_duck_db', winMount, win), winMount.source);
    assert.equal(containerToHostPath('/app/02_duck_dbx/raw.duckdb', winMount, win), undefined);
    assert.equal(containerToHostPath('/data/raw.duckdb', { source: '/Users/ann/fork/data', target: '/data' }, posix), '/Users/ann/fork/data/raw.duckdb');
  });

  test('two spellings of one file are one file where the file system ignores case', () => {
    assert.equal(hostPathKey('C:\\Fork\\Raw.duckdb', 'win32'), hostPathKey('c:/fork/raw.duckdb', 'win32'));
    assert.equal(hostPathKey('/Users/Ann/Fork/Raw.duckdb', 'darwin'), hostPathKey('/Users/ann/fork/raw.duckdb', 'darwin'));
    assert.notEqual(hostPathKey('/srv/Fork/Raw.duckdb', 'linux'), hostPathKey('/srv/fork/raw.duckdb', 'linux'));
  });

  test('CRLF compose files read as LF ones: Windows and ~ binds resolve, and the rule names them as written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-crlf-'));
    try {
      const text = 'services:\r\n  dbt:\r\n    image: local/busybox:1\r\n    volumes:\r\n      - C:\\data:/data\r\n      - ~/notebooks:/notebooks\r\n      - .\\02_duck_db:/duck:ro\r\n';
      fs.writeFileSync(path.join(dir, 'compose.yaml'), text);
      const project = await loadComposeProject(dir);
      assert.deepEqual(project.errors, []);
      const volumes = project.services.find((s) => s.name === 'dbt')?.volumes;
      assert.deepEqual(volumes, [
        { type: 'bind', source: 'C:\\data', target: '/data', readOnly: false },
        { type: 'bind', source: path.join(os.homedir(), 'notebooks'), target: '/notebooks', readOnly: false },
        { type: 'bind', source: path.resolve(dir, '.\\02_duck_db'), target: '/duck', readOnly: true },
      ]);
      const context = makeProjectContext(dir, goldenFrom(path.join(dir, 'golden_versions.md'), []), new Set(), { dockerfiles: [] });
      const findings = lintText({ file: path.join(dir, 'compose.yaml'), text }, context, { ruleSet: [composeAbsoluteBind] });
      assert.deepEqual(findings.map((f) => [f.line, f.message.match(/path (\S+);/)?.[1]]), [[4, 'C:\\data'], [5, '~/notebooks']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

suite('Docker Desktop\'s engine addresses', () => {
  let tmp: string;
  setup(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-desktop-'));
  });
  teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the default: the named pipe on Windows, ~/.docker/run/docker.sock on macOS when there, else the system socket', () => {
    const none = (): boolean => false;
    assert.equal(defaultDockerHost('win32', 'C:\\Users\\ann', none), 'npipe:////./pipe/docker_engine');
    assert.equal(defaultDockerHost('darwin', '/Users/ann', (f) => f === '/Users/ann/.docker/run/docker.sock'), 'unix:///Users/ann/.docker/run/docker.sock');
    assert.equal(defaultDockerHost('darwin', '/Users/ann', none), 'unix:///var/run/docker.sock');
    assert.equal(defaultDockerHost('linux', '/home/ann', () => true), 'unix:///var/run/docker.sock');
  });

  test('resolved from a real HOME per platform, and the named pipe becomes dockerode\'s socket path', async () => {
    fs.mkdirSync(path.join(tmp, '.docker', 'run'), { recursive: true });
    fs.writeFileSync(path.join(tmp, '.docker', 'run', 'docker.sock'), '');
    const env = { HOME: tmp };
    const onMac = await resolveDockerEndpoint(env, { platform: 'darwin', exists: fs.existsSync });
    assert.deepEqual(onMac, { ok: true, endpoint: { host: `unix://${tmp}/.docker/run/docker.sock`, origin: 'the default socket' } });
    const onWindows = await resolveDockerEndpoint(env, { platform: 'win32', exists: fs.existsSync });
    assert.ok(onWindows.ok);
    assert.equal(onWindows.endpoint.host, 'npipe:////./pipe/docker_engine');
    const options = dockerodeOptions(onWindows.endpoint);
    assert.ok(options.ok);
    assert.equal(options.options.socketPath, '//./pipe/docker_engine');
    assert.equal(options.options.host, undefined);
  });

  test('Docker Desktop\'s own context (desktop-linux) names its socket in the user\'s home', async () => {
    const configDir = path.join(tmp, '.docker');
    const id = createHash('sha256').update('desktop-linux').digest('hex');
    fs.mkdirSync(path.join(configDir, 'contexts', 'meta', id), { recursive: true });
    fs.writeFileSync(
      path.join(configDir, 'contexts', 'meta', id, 'meta.json'),
      JSON.stringify({ Name: 'desktop-linux', Endpoints: { docker: { Host: 'unix:///Users/ann/.docker/run/docker.sock', SkipTLSVerify: false } } }),
    );
    fs.writeFileSync(path.join(configDir, 'config.json'), '{\r\n  "currentContext": "desktop-linux"\r\n}\r\n');
    const resolved = await resolveDockerEndpoint({ HOME: tmp }, { platform: 'darwin', exists: () => false });
    assert.deepEqual(resolved, { ok: true, endpoint: { host: 'unix:///Users/ann/.docker/run/docker.sock', origin: "docker context 'desktop-linux'", tls: undefined } });
    const options = dockerodeOptions(resolved.ok ? resolved.endpoint : { host: '', origin: '' });
    assert.ok(options.ok);
    assert.equal(options.options.socketPath, '/Users/ann/.docker/run/docker.sock');
  });
});
