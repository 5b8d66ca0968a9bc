import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Packages every target with scripts/package.mjs (the binding tarballs come from the npm
// registry once and are cached in .tools/bindings/), then opens each .vsix as a zip with
// `unzip` and reads its native binaries' headers.

const repo = path.resolve(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; version: string };

type Format = 'ELF' | 'Mach-O' | 'PE';
interface Expected {
  binding: string;
  format: Format;
  arch: 'x86-64' | 'arm64';
  library: string;
}
/** Written out by hand, independently of scripts/package.mjs: what each target must carry. */
const EXPECTED: Record<string, Expected> = {
  'linux-x64': { binding: 'linux-x64', format: 'ELF', arch: 'x86-64', library: 'libduckdb.so' },
  'linux-arm64': { binding: 'linux-arm64', format: 'ELF', arch: 'arm64', library: 'libduckdb.so' },
  'alpine-x64': { binding: 'linux-x64-musl', format: 'ELF', arch: 'x86-64', library: 'libduckdb.so' },
  'alpine-arm64': { binding: 'linux-arm64-musl', format: 'ELF', arch: 'arm64', library: 'libduckdb.so' },
  'darwin-x64': { binding: 'darwin-x64', format: 'Mach-O', arch: 'x86-64', library: 'libduckdb.dylib' },
  'darwin-arm64': { binding: 'darwin-arm64', format: 'Mach-O', arch: 'arm64', library: 'libduckdb.dylib' },
  'win32-x64': { binding: 'win32-x64', format: 'PE', arch: 'x86-64', library: 'duckdb.dll' },
  'win32-arm64': { binding: 'win32-arm64', format: 'PE', arch: 'arm64', library: 'duckdb.dll' },
};
const NATIVE = /\.(node|so|dylib|dll|exe)$/;

function vsixPath(target: string): string {
  return path.join(repo, 'out', `${pkg.name}-${pkg.version}-${target}.vsix`);
}

function entries(vsix: string): string[] {
  return execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).split('\n').filter(Boolean);
}

/** The first `bytes` bytes of one zip entry, without extracting the rest. */
function head(vsix: string, entry: string, bytes = 4096): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('unzip', ['-p', vsix, entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      child.kill();
      resolve(Buffer.concat(chunks).subarray(0, bytes));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= bytes) finish();
    });
    child.on('error', reject);
    child.on('close', finish);
  });
}

/** Format and architecture from an executable's header: ELF e_machine, Mach-O cputype, PE Machine. */
function identify(b: Buffer): { format: Format | 'universal Mach-O' | 'unknown'; arch: string } {
  if (b.length >= 20 && b.readUInt32BE(0) === 0x7f454c46) {
    const machine = b.readUInt16LE(18);
    return { format: 'ELF', arch: machine === 0x3e ? 'x86-64' : machine === 0xb7 ? 'arm64' : `e_machine 0x${machine.toString(16)}` };
  }
  if (b.length >= 8 && b.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = b.readUInt32LE(4);
    return { format: 'Mach-O', arch: cpu === 0x01000007 ? 'x86-64' : cpu === 0x0100000c ? 'arm64' : `cputype 0x${cpu.toString(16)}` };
  }
  if (b.length >= 8 && b.readUInt32BE(0) === 0xcafebabe) return { format: 'universal Mach-O', arch: `${b.readUInt32BE(4)} slices` };
  if (b.length >= 0x40 && b.toString('latin1', 0, 2) === 'MZ') {
    const pe = b.readUInt32LE(0x3c);
    if (pe + 6 <= b.length && b.toString('latin1', pe, pe + 4) === 'PE\0\0') {
      const machine = b.readUInt16LE(pe + 4);
      return { format: 'PE', arch: machine === 0x8664 ? 'x86-64' : machine === 0xaa64 ? 'arm64' : `Machine 0x${machine.toString(16)}` };
    }
  }
  return { format: 'unknown', arch: b.subarray(0, 8).toString('hex') };
}

suite('packaging: one .vsix per target (unit)', function () {
  this.timeout(15 * 60_000);
  let log = '';

  suiteSetup(() => {
    for (const t of Object.keys(EXPECTED)) fs.rmSync(vsixPath(t), { force: true });
    log = execFileSync(process.execPath, [path.join(repo, 'scripts', 'package.mjs'), '--all'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
  });

  test('npm run package -- --all packages every target and prints each size', () => {
    for (const t of Object.keys(EXPECTED)) {
      assert.ok(fs.existsSync(vsixPath(t)), `no ${path.relative(repo, vsixPath(t))}`);
      const mb = (fs.statSync(vsixPath(t)).size / 1e6).toFixed(1);
      assert.match(log, new RegExp(`packaged out/${pkg.name}-${pkg.version}-${t}\\.vsix \\(${mb.replace('.', '\\.')} MB`), `size of ${t} not printed`);
    }
  });

  for (const [target, want] of Object.entries(EXPECTED)) {
    test(`${target}: carries exactly the ${want.format} ${want.arch} binding, no other native file, no node_modules JavaScript`, async () => {
      const vsix = vsixPath(target);
      const names = entries(vsix);
      const bindingDir = `extension/node_modules/@duckdb/node-bindings-${want.binding}/`;
      const modules = names.filter((n) => n.startsWith('extension/node_modules/'));
      assert.deepEqual(
        modules.filter((n) => !n.startsWith(bindingDir)),
        [],
        'only the target binding may be in node_modules',
      );
      assert.deepEqual(modules.map((n) => n.slice(bindingDir.length)).sort(), ['LICENSE', 'duckdb.node', want.library, 'package.json'].sort());
      assert.deepEqual(names.filter((n) => /\.(c|m)?js$/.test(n) && !n.startsWith('extension/dist/') && !n.startsWith('extension/templates/')), [], 'JavaScript outside the bundle');
      assert.deepEqual(names.filter((n) => n.startsWith('extension/dist/')).sort(), [
        'extension/dist/cli.js',
        'extension/dist/extension.js',
        'extension/dist/vendor/dockerode.js',
        'extension/dist/vendor/duckdb-node-api.js',
        'extension/dist/vendor/ssh2.js',
        'extension/dist/vendor/zod.js',
      ]);
      assert.deepEqual(names.filter((n) => NATIVE.test(n)).sort(), [`${bindingDir}duckdb.node`, `${bindingDir}${want.library}`].sort());
      for (const file of ['duckdb.node', want.library]) {
        const found = identify(await head(vsix, `${bindingDir}${file}`));
        assert.deepEqual(found, { format: want.format, arch: want.arch }, `${target} ${file}`);
      }
      const manifest = execFileSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' });
      assert.match(manifest, new RegExp(`TargetPlatform="${target}"`));
    });
  }

  test('the manifest carries the Marketplace metadata and its icon is a 128×128 PNG', async () => {
    const vsix = vsixPath('linux-x64');
    const manifest = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    for (const key of ['displayName', 'description', 'categories', 'keywords', 'repository', 'bugs', 'homepage', 'license', 'galleryBanner', 'icon']) {
      assert.ok(manifest[key], `package.json has no ${key}`);
    }
    assert.deepEqual(manifest.extensionKind, ['workspace']);
    const png = await head(vsix, `extension/${String(manifest.icon)}`, 24);
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    const readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
    assert.ok(images.length > 0);
    for (const url of images) assert.match(url, /^https:\/\/github\.com\/duckstack\/duckstack\/raw\/HEAD\//, `README image ${url} does not load from the repository`);
    for (const url of images) assert.ok(fs.existsSync(path.join(repo, url.replace(/^.*\/raw\/HEAD\//, ''))), `${url} is not in the repository`);
    assert.ok(entries(vsix).includes('extension/changelog.md'), 'CHANGELOG.md is not the release notes');
  });

  test("the bundled CLI runs from this machine's unpacked .vsix alone: scaffolds with DuckDB and queries it", () => {
    const host = `${process.platform}-${process.arch}`;
    assert.ok(host in EXPECTED, `no .vsix target for this machine (${host})`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-vsix-'));
    try {
      execFileSync('unzip', ['-q', vsixPath(host), '-d', dir]);
      const cli = path.join(dir, 'extension', 'dist', 'cli.js');
      const fork = path.join(dir, 'fork');
      execFileSync(process.execPath, [cli, 'new', fork, '--name', 'vsix-check', '--demo-data'], { stdio: 'pipe' });
      const out = execFileSync(process.execPath, [cli, 'query', path.join(fork, '02_duck_db', '01_raw', 'raw.duckdb'), 'select count(*) as n from customers', '--format', 'json'], { encoding: 'utf8' });
      assert.deepEqual((JSON.parse(out) as { rows: string[][] }).rows, [['20']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
