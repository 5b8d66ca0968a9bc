// The one atomic write every file DuckStack writes goes through: its contract, on real files, and
// a check that no other code in src/ writes a file.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEMP_MARKER, writeFileAtomic } from '../../../src/core/fs/atomic';
import { mountTmpfs, leaveFree } from './writes-support';

const repo = path.resolve(__dirname, '..', '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

suite('faults: the atomic write', () => {
  let dir: string;
  setup(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-atomic-'));
  });
  teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  // The only other module that creates files: private scratch copies no user ever sees.
  const ALLOWED: Record<string, string> = {
    'src/core/fs/atomic.ts': 'the one atomic write',
    'src/core/duckdb/snapshot.ts': 'read-only snapshot copies (clones) of DuckDB files in a private temp folder, removed after each read',
  };

  test('no code in src/ writes a file except src/core/fs/atomic.ts (and the private DuckDB snapshot copies)', () => {
    const writer = /\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|renameSync|copyFileSync|copyFile|truncateSync|ftruncate|writeSync)\s*\(|\.(rename|truncate|write)\s*\(|\bopen(Sync)?\([^)]*['"](w|a|r\+|wx)/;
    const offenders = sources(path.join(repo, 'src'))
      .filter((f) => !(path.relative(repo, f).split(path.sep).join('/') in ALLOWED))
      .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => ({ f, line, i })))
      .filter(({ line }) => writer.test(line) && !/\b(out|err|stdout|stderr|terminal|webview|channel)\.write\(/i.test(line))
      .map(({ f, line, i }) => `${path.relative(repo, f)}:${i + 1}: ${line.trim()}`);
    assert.deepEqual(offenders, []);
  });

  test('replaces a file keeping its mode; a new file gets the mode asked for', async () => {
    const file = path.join(dir, 'run.sh');
    fs.writeFileSync(file, 'old\n');
    fs.chmodSync(file, 0o750);
    await writeFileAtomic(file, 'new\n', { mode: 0o644 });
    assert.equal(fs.readFileSync(file, 'utf8'), 'new\n');
    assert.equal(fs.statSync(file).mode & 0o7777, 0o750);
    const fresh = path.join(dir, 'secret.env');
    await writeFileAtomic(fresh, 'A=1\n', { mode: 0o600 });
    assert.equal(fs.statSync(fresh).mode & 0o7777, 0o600);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['run.sh', 'secret.env']);
  });

  test('exclusive never replaces an existing file; a folder is never replaced', async () => {
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'mine\n');
    await assert.rejects(writeFileAtomic(file, 'theirs\n', { exclusive: true }), { code: 'EEXIST' });
    fs.mkdirSync(path.join(dir, 'folder'));
    await assert.rejects(writeFileAtomic(path.join(dir, 'folder'), 'x'), /not a regular file/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'mine\n');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['a.txt', 'folder']);
  });

  test('ENOSPC at any size: the original keeps every byte and no temporary file remains', async () => {
    const disk = mountTmpfs(256 * 1024);
    try {
      const file = path.join(disk.dir, 'data.txt');
      const original = Buffer.alloc(3 * 4096 + 17, 'a');
      let tried = 0;
      let failed = 0;
      for (let pages = 0; pages <= 6; pages++) {
        fs.writeFileSync(file, original);
        leaveFree(path.join(disk.dir, 'filler'), pages * 4096);
        const bigger = Buffer.alloc(5 * 4096 + 3, 'b');
        tried++;
        try {
          await writeFileAtomic(file, bigger);
          assert.ok(fs.readFileSync(file).equals(bigger));
        } catch (e) {
          failed++;
          assert.equal((e as NodeJS.ErrnoException).code, 'ENOSPC');
          assert.ok(fs.readFileSync(file).equals(original), `${pages} pages free: the original is untouched`);
        }
        assert.deepEqual(fs.readdirSync(disk.dir).filter((n) => n.includes(TEMP_MARKER)), []);
      }
      console.log(`      atomic write: ${tried} sizes of free space tried, ${failed} ENOSPC, originals lost 0`);
      assert.ok(failed > 0 && failed < tried);
    } finally {
      disk.unmount();
    }
  });
});
