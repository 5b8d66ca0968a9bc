import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../../../src/cli';
import { dockerContainerResolver } from '../../../src/core/docker/containers';
import { containerIdFromCgroup, describeCommand, findLockHolders, holderText, parseLsof, parseProcLocks, type HolderLookup } from '../../../src/core/duckdb/holders';
import { readCatalog } from '../../../src/core/duckdb/reader';
import { requireEngine } from '../docker/support';
import { createDatabase, FIXTURE_SQL, hashFile, holdLock, HOLD_LOCK_SCRIPT, tempDir, type Holder } from './support';

const CHECKOUT = path.resolve(__dirname, '../../../..');
const ID = 'a'.repeat(12) + '0123456789abcdef'.repeat(3) + 'b'.repeat(4);

suite('duckdb lock holders', () => {
  test('/proc/locks lines are matched by device and inode; OFD locks and other files are not holders', () => {
    // st_dev 0xfe00 is major 254 (fe), minor 0.
    const table = [
      '1: FLOCK  ADVISORY  WRITE 12809 fe:00:2146452 0 EOF',
      '2: POSIX  ADVISORY  WRITE 5749 fe:00:2146349 0 EOF',
      '3: POSIX  ADVISORY  READ 6001 fe:00:2146349 0 EOF',
      '3: -> POSIX  ADVISORY  WRITE 6002 fe:00:2146349 0 EOF',
      '4: OFDLCK ADVISORY  READ -1 fe:00:2146349 0 EOF',
      '5: POSIX  ADVISORY  WRITE 7000 fe:01:2146349 0 EOF',
      '6: POSIX  ADVISORY  READ 5749 fe:00:2146349 0 EOF',
    ].join('\n');
    assert.deepEqual(parseProcLocks(table, 2146349, 0xfe00), [
      { pid: 5749, access: 'write' },
      { pid: 6001, access: 'read' },
    ]);
  });

  test('lsof -F pcl (macOS): processes with a lock on the file', () => {
    const text = ['p501', 'cpython3.11', 'f3', 'l ', 'f7', 'lW', 'p502', 'cdbt', 'f4', 'lr', 'p503', 'cvim', 'f5', 'l '].join('\n');
    assert.deepEqual(parseLsof(text), [
      { pid: 501, access: 'write', comm: 'python3.11' },
      { pid: 502, access: 'read', comm: 'dbt' },
    ]);
  });

  test('a container id from /proc/<pid>/cgroup: cgroup v1 (cgroupfs), v2 (systemd), podman; none for a host process', () => {
    assert.equal(containerIdFromCgroup(`12:memory:/docker/${ID}\n0::/docker/${ID}\n`), ID);
    assert.equal(containerIdFromCgroup(`0::/system.slice/docker-${ID}.scope\n`), ID);
    assert.equal(containerIdFromCgroup(`0::/machine.slice/libpod-${ID}.scope/container\n`), ID);
    assert.equal(containerIdFromCgroup('0::/user.slice/user-1000.slice/session-2.scope\n'), undefined);
    assert.equal(containerIdFromCgroup('4:memory:/process_api/c21b293bef43e677b1754604d8f17236\n'), undefined);
  });

  test('commands are named as a person would name them', () => {
    const cases: Array<[string[], string]> = [
      [['/usr/bin/python3.11', '/opt/venv/bin/dbt', 'run', '--select', 'stg'], 'dbt run'],
      [['/opt/venv/bin/dbt', '--log-level', 'debug'], 'dbt'],
      [['/usr/local/bin/python', '/usr/local/bin/dagster', 'dev', '-h', '0.0.0.0'], 'dagster dev'],
      [['/usr/local/bin/dagster-daemon', 'run'], 'dagster-daemon run'],
      [['python', '-m', 'ipykernel_launcher', '-f', '/run/kernel-1.json'], 'Jupyter kernel'],
      [['/usr/bin/python3.12', 'scripts/load.py', '--full'], 'python load.py'],
      [['python3', '-m', 'pipeline.load'], 'python -m pipeline.load'],
      [['/usr/bin/node', '/repo/test/fixtures/duckdb/hold-lock.js', '/data/dev.duckdb'], 'node hold-lock.js'],
      [['/usr/local/bin/duckdb', 'dev.duckdb'], 'duckdb'],
      [[], 'unknown process'],
    ];
    for (const [args, expected] of cases) assert.equal(describeCommand(args), expected, args.join(' '));
    assert.equal(describeCommand([], 'duckdb'), 'duckdb');
  });

  suite('real processes', () => {
    let dir: string;
    let holder: Holder | undefined;
    setup(() => {
      dir = tempDir('duckstack-holders-');
    });
    teardown(async () => {
      await holder?.kill();
      holder = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('a host process holding the file is named with its PID and command, without the file being opened', async () => {
      const file = path.join(dir, 'dev.duckdb');
      await createDatabase(file, FIXTURE_SQL);
      assert.deepEqual(await findLockHolders(file), { supported: true, holders: [] });
      holder = await holdLock(file, 'CREATE TABLE raw.held AS SELECT 1 AS x');
      const before = [hashFile(file), hashFile(`${file}.wal`)];
      const lookup = await findLockHolders(file);
      assert.deepEqual(lookup, { supported: true, holders: [{ pid: holder.pid, access: 'write', command: 'node hold-lock.js' }] });
      assert.equal(holderText(lookup.holders[0]), `node hold-lock.js (PID ${holder.pid})`);
      assert.deepEqual([hashFile(file), hashFile(`${file}.wal`)], before);
      await holder.kill();
      holder = undefined;
      assert.deepEqual((await findLockHolders(file)).holders, []);
      assert.deepEqual(await findLockHolders(path.join(dir, 'missing.duckdb')), { supported: true, holders: [] });
      assert.deepEqual(await findLockHolders(file, { platform: 'win32' }), { supported: false, holders: [] });
    });
  });

  suite('a compose service in a container holding a bind-mounted database (real Docker engine)', function () {
    this.timeout(120_000);
    let dir: string;
    let projectName: string;
    let env: NodeJS.ProcessEnv;
    let file: string;

    const compose = (args: string[]): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile('docker', ['compose', '-p', projectName, ...args], { cwd: dir, env }, (error, stdout, stderr) => {
          if (error) reject(new Error(`docker compose ${args.join(' ')} failed: ${stderr || error.message}`));
          else resolve(stdout);
        });
      });

    suiteSetup(async () => {
      await requireEngine();
      dir = fs.realpathSync(tempDir('duckstack-holder-compose-'));
      projectName = `dsholder${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
      env = { ...process.env };
      file = path.join(dir, 'data', 'dev.duckdb');
      await createDatabase(file, FIXTURE_SQL);
      // The container runs the host's node and this checkout through read-only bind mounts (no
      // registry is reachable, so no image with node can be pulled); the database is bind-mounted.
      fs.writeFileSync(
        path.join(dir, 'compose.yaml'),
        [
          'services:',
          '  dbt:',
          '    image: local/busybox:1',
          '    init: true',
          '    stop_signal: SIGKILL',
          '    environment:',
          '      DUCKDB_DEV_PATH: /data/dev.duckdb',
          `    command: ["/usr/bin/node", ${JSON.stringify(HOLD_LOCK_SCRIPT)}, "/data/dev.duckdb", "CREATE TABLE raw.from_container AS SELECT 1 AS x"]`,
          '    volumes:',
          '      - /usr:/usr:ro',
          '      - /usr/lib:/lib:ro',
          '      - /usr/lib64:/lib64:ro',
          `      - ${CHECKOUT}:${CHECKOUT}:ro`,
          '      - ./data:/data',
          '',
        ].join('\n'),
      );
      await compose(['up', '-d']);
    });

    suiteTeardown(async function () {
      this.timeout(60_000);
      if (dir) {
        await compose(['down', '-t', '1']).catch(() => undefined);
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    test('the holder is named as the compose service and its container, in the lookup and in duckstack catalog', async () => {
      let lookup: HolderLookup = { supported: true, holders: [] };
      const deadline = Date.now() + 60_000;
      const resolveContainer = dockerContainerResolver(env);
      // The lock is taken on open, the table written after; "ready" in the logs says both are done.
      while ((lookup.holders.length === 0 || !/ready \d+/.test(await compose(['logs', 'dbt']))) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        lookup = await findLockHolders(file, { resolveContainer });
      }
      assert.equal(lookup.holders.length, 1, `no holder appeared; compose ps: ${await compose(['ps', '-a'])}; logs: ${await compose(['logs'])}`);
      const [holder] = lookup.holders;
      assert.equal(holder.access, 'write');
      assert.equal(holder.command, 'node hold-lock.js');
      assert.match(holder.containerId ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual(holder.container, { id: holder.containerId, name: `${projectName}-dbt-1`, project: projectName, service: 'dbt', projectDir: dir });
      assert.equal(holderText(holder), `dbt (container ${projectName}-dbt-1, PID ${holder.pid})`);

      // The snapshot sees the container's uncheckpointed table; the container keeps its lock.
      const read = await readCatalog(file);
      assert.ok(read.ok, JSON.stringify(read));
      assert.ok(read.catalog.schemas.find((s) => s.name === 'raw')?.relations.some((r) => r.name === 'from_container'));

      let out = '';
      const code = await cli(['catalog', dir], { cwd: dir, env, out: (t) => (out += t), err: (t) => (out += t) });
      assert.equal(code, 0, out);
      assert.ok(out.includes(`\n  in use by dbt (container ${projectName}-dbt-1, PID ${holder.pid}); the catalog below is a snapshot\n`), out);
      assert.ok(out.includes('    table from_container  ~1 row'), out);
      assert.equal((await findLockHolders(file, { resolveContainer })).holders[0]?.pid, holder.pid, 'the container still holds the file');
    });
  });
});
