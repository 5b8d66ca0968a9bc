// The Create Fork wizard's folder: a path that does not exist is accepted (and created by the
// scaffold), a file on the way is refused with its name, `~` and relative paths resolve.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkForkFolder, resolveFolderInput } from '../../../src/core/scaffold/folder';
import { planScaffold, writeScaffold } from '../../../src/core/scaffold';
import { tempDir } from './support';

suite('scaffold: the fork folder', () => {
  let root: string;
  setup(() => {
    root = tempDir('folder');
  });
  teardown(() => fs.rmSync(root, { recursive: true, force: true }));

  test('a path that does not exist, parents included, is new; the scaffold then creates it', async () => {
    const checked = checkForkFolder('new/deeper/fork', { base: root, home: root });
    assert.deepEqual(checked, { ok: true, dir: path.join(root, 'new', 'deeper', 'fork'), state: 'new', unrelated: [] });
    assert.ok(checked.ok);
    const written = await writeScaffold(planScaffold({ dir: checked.dir }));
    assert.ok(written.ok);
    assert.ok(fs.statSync(path.join(checked.dir, 'docker-compose.yml')).isFile());
  });

  test('an empty folder, one with only .git, and one with other files', () => {
    fs.mkdirSync(path.join(root, 'empty'));
    fs.mkdirSync(path.join(root, 'git', '.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'full'));
    fs.writeFileSync(path.join(root, 'full', 'notes.txt'), 'x');
    assert.equal((checkForkFolder(path.join(root, 'empty'), { base: '/', home: '/' }) as { state: string }).state, 'empty');
    assert.equal((checkForkFolder('git', { base: root, home: '/' }) as { state: string }).state, 'empty');
    assert.deepEqual(checkForkFolder('full', { base: root, home: '/' }), { ok: true, dir: path.join(root, 'full'), state: 'nonEmpty', unrelated: ['notes.txt'] });
  });

  test('a file, or a path through a file, is refused and named', () => {
    fs.writeFileSync(path.join(root, 'file'), 'x');
    assert.deepEqual(checkForkFolder('file', { base: root, home: '/' }), { ok: false, message: `${path.join(root, 'file')} is a file, not a folder.` });
    assert.deepEqual(checkForkFolder('file/sub/fork', { base: root, home: '/' }), {
      ok: false,
      message: `${path.join(root, 'file')} is a file, so ${path.join(root, 'file', 'sub', 'fork')} cannot be created.`,
    });
    assert.deepEqual(checkForkFolder('   ', { base: root, home: '/' }), { ok: false, message: 'Type the path of an empty or new folder.' });
  });

  test('~ is the home folder', () => {
    assert.deepEqual(checkForkFolder('~/forks/a', { base: '/', home: root }), { ok: true, dir: path.join(root, 'forks', 'a'), state: 'new', unrelated: [] });
  });

  test('typed paths resolve with the platform\'s path rules (path.win32 and path.posix)', () => {
    const win = { base: 'C:\\Users\\ann\\code', home: 'C:\\Users\\ann', path: path.win32 };
    assert.equal(resolveFolderInput('fork', win), 'C:\\Users\\ann\\code\\fork');
    assert.equal(resolveFolderInput('~\\forks\\a', win), 'C:\\Users\\ann\\forks\\a');
    assert.equal(resolveFolderInput('~/forks/a', win), 'C:\\Users\\ann\\forks\\a');
    assert.equal(resolveFolderInput('D:/data/fork/', win), 'D:\\data\\fork');
    assert.equal(resolveFolderInput('..\\other', win), 'C:\\Users\\ann\\other');
    const mac = { base: '/Users/ann/code', home: '/Users/ann', path: path.posix };
    assert.equal(resolveFolderInput('~/forks/a', mac), '/Users/ann/forks/a');
    assert.equal(resolveFolderInput('~\\x', mac), '/Users/ann/code/~\\x');
    assert.equal(resolveFolderInput(' fork ', mac), '/Users/ann/code/fork');
  });
});
