// An ssh:// Docker engine end to end: a private sshd on 127.0.0.1 (a free port, a generated host
// key, its own config in a temp folder; the system's sshd is never touched) whose sessions reach
// the test engine through `docker system dial-stdio`. `duckstack status` lists the services over
// it without Node's DEP0170 warning, and a host missing from known_hosts is refused.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { openDockerEngine } from '../../../src/core/docker/engine';
import { checkHostKey } from '../../../src/core/docker/ssh';
import { freePort } from '../../harness/processes';

const execFileAsync = promisify(execFile);
const SSHD = '/usr/sbin/sshd';
const root = path.resolve(__dirname, '..', '..', '..', '..');

async function waitForPort(port: number, sshd: ChildProcess, log: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited with ${sshd.exitCode}: ${fs.readFileSync(log, 'utf8')}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not listen on 127.0.0.1:${port}: ${fs.readFileSync(log, 'utf8')}`);
}

suite('docker: an ssh:// engine (private sshd on 127.0.0.1)', function () {
  this.timeout(120_000);
  let tmp: string;
  let home: string;
  let sshd: ChildProcess | undefined;
  let port: number;
  let user: string;
  let project: string;
  let projectDir: string;
  let knownHosts: string;

  suiteSetup(async () => {
    assert.ok(fs.existsSync(SSHD), `${SSHD} is missing: run scripts/ensure-host-packages.sh (it installs openssh-server; npm test does this)`);
    assert.ok(process.env.DOCKER_HOST?.startsWith('unix://'), 'DOCKER_HOST must name the local test engine (eval "$(scripts/ensure-docker.sh)"; npm test does this)');
    assert.ok(fs.existsSync(path.join(root, 'dist', 'cli.js')), 'dist/cli.js is missing: run `npm run build` first (npm test does)');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-sshd-'));
    home = path.join(tmp, 'home');
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true, mode: 0o700 });
    user = os.userInfo().username;
    port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(tmp, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, '.ssh', 'id_ed25519')]);
    fs.copyFileSync(path.join(home, '.ssh', 'id_ed25519.pub'), path.join(tmp, 'authorized_keys'));
    const [type, key] = fs.readFileSync(path.join(tmp, 'host_key.pub'), 'utf8').split(' ');
    knownHosts = `[127.0.0.1]:${port} ${type} ${key}\n`;
    // sshd wants its privilege separation folder; the package creates it at boot, not on install.
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    const config = path.join(tmp, 'sshd_config');
    fs.writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${path.join(tmp, 'host_key')}`,
        `PidFile ${path.join(tmp, 'sshd.pid')}`,
        `AuthorizedKeysFile ${path.join(tmp, 'authorized_keys')}`,
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'PermitRootLogin prohibit-password',
        'StrictModes no',
        'UsePAM no',
        // The remote `docker system dial-stdio` reaches the test engine.
        `SetEnv DOCKER_HOST=${process.env.DOCKER_HOST}${process.env.DOCKER_CONFIG ? ` DOCKER_CONFIG=${process.env.DOCKER_CONFIG}` : ''}`,
        '',
      ].join('\n'),
    );
    const log = path.join(tmp, 'sshd.log');
    sshd = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', fs.openSync(log, 'a'), fs.openSync(log, 'a')] });
    await waitForPort(port, sshd, log);

    // A compose project on the engine, started locally, to be listed over ssh.
    project = `duckstack-ssh-${process.pid}`;
    projectDir = path.join(tmp, 'platform');
    fs.mkdirSync(projectDir);
    fs.writeFileSync(
      path.join(projectDir, 'compose.yaml'),
      `name: ${project}\nservices:\n  web:\n    image: local/busybox:1\n    command: ["sleep", "300"]\n    init: true\n  idle:\n    image: local/busybox:1\n    profiles: [never]\n`,
    );
    await execFileAsync('docker', ['compose', 'up', '-d', 'web'], { cwd: projectDir, timeout: 60_000 });
  });

  suiteTeardown(async () => {
    if (projectDir) await execFileAsync('docker', ['compose', 'down', '-t', '1'], { cwd: projectDir, timeout: 60_000 }).catch(() => undefined);
    if (sshd && sshd.exitCode === null) {
      sshd.kill('SIGTERM');
      await new Promise((r) => sshd?.once('exit', r));
    }
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('duckstack status lists the services over ssh://, with no DEP0170 or other warning on stderr', async () => {
    fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), knownHosts);
    const env = { PATH: process.env.PATH, HOME: home, DOCKER_HOST: `ssh://${user}@127.0.0.1:${port}`, DOCKER_CONFIG: process.env.DOCKER_CONFIG };
    const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'status', projectDir, '--json'], { env, timeout: 60_000 });
    assert.doesNotMatch(stderr, /DEP0170|DeprecationWarning|Warning/, stderr);
    const status = JSON.parse(stdout) as { reachable: boolean; services: Array<{ name: string; state: string }> };
    assert.equal(status.reachable, true, stdout);
    assert.deepEqual(status.services.map((s) => [s.name, s.state]).sort(), [['idle', 'not-created'], ['web', 'running']]);
  });

  test('the engine answers a ping over ssh:// in process, as the extension host reaches it', async () => {
    fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), knownHosts);
    const opened = await openDockerEngine({ HOME: home, DOCKER_HOST: `ssh://${user}@127.0.0.1:${port}` });
    assert.ok(opened.ok);
    const ping = await opened.engine.ping();
    assert.ok(ping.ok, ping.ok ? '' : `${ping.problem.cause} ${ping.problem.remedy}`);
  });

  test('a host not in known_hosts is refused, and the message says how to accept it', async () => {
    fs.writeFileSync(path.join(home, '.ssh', 'known_hosts'), '');
    const opened = await openDockerEngine({ HOME: home, DOCKER_HOST: `ssh://${user}@127.0.0.1:${port}` });
    assert.ok(opened.ok);
    const ping = await opened.engine.ping();
    assert.equal(ping.ok, false);
    if (!ping.ok) assert.match(`${ping.problem.cause} ${ping.problem.remedy}`, /host key of \[127\.0\.0\.1\]:\d+ is not in .*known_hosts; connect once with `ssh -p \d+/);
  });
});

suite('docker: ssh host keys against known_hosts', () => {
  const key = randomBytes(51);
  const other = randomBytes(51);
  const target = { host: 'build-box', port: 22, username: 'me' };
  const b64 = key.toString('base64');

  test('a plain entry, a comma list and a [host]:port entry match; markers and comments are skipped', () => {
    assert.deepEqual(checkHostKey(`# c\nbuild-box ssh-ed25519 ${b64}\n`, target, key, 'kh'), { ok: true });
    assert.deepEqual(checkHostKey(`other,build-box ssh-ed25519 ${b64}\r\n`, target, key, 'kh'), { ok: true });
    assert.deepEqual(checkHostKey(`[build-box]:2222 ssh-ed25519 ${b64}\n`, { ...target, port: 2222 }, key, 'kh'), { ok: true });
    assert.equal(checkHostKey(`[build-box]:2222 ssh-ed25519 ${b64}\n`, target, key, 'kh').ok, false);
    assert.equal(checkHostKey(`@revoked build-box ssh-ed25519 ${b64}\n`, target, key, 'kh').ok, false);
  });

  test('a hashed entry (ssh-keygen -H) matches its host only', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('build-box').digest('base64');
    const line = `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${b64}\n`;
    assert.deepEqual(checkHostKey(line, target, key, 'kh'), { ok: true });
    assert.equal(checkHostKey(line, { ...target, host: 'other-box' }, key, 'kh').ok, false);
  });

  test('a changed key is refused as changed; an unknown host as unknown', () => {
    const changed = checkHostKey(`build-box ssh-ed25519 ${b64}\n`, target, other, '/h/.ssh/known_hosts');
    assert.equal(changed.ok, false);
    if (!changed.ok) assert.match(changed.message, /does not match the one in \/h\/\.ssh\/known_hosts/);
    const unknown = checkHostKey(undefined, target, key, '/h/.ssh/known_hosts');
    assert.equal(unknown.ok, false);
    if (!unknown.ok) assert.match(unknown.message, /not in \/h\/\.ssh\/known_hosts; connect once with `ssh me@build-box`/);
  });
});
