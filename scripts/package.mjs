// Builds and packages the extension as platform-specific .vsix files with vsce.
//   npm run package                      this machine's target (e.g. linux-x64)
//   npm run package -- --target <t>      one target (also --target=<t>); several: repeat the flag
//   npm run package -- --all             every target DuckDB ships a native binding for
//   ... --no-build                       package the current dist/ without running scripts/build.mjs
// All JavaScript is bundled by scripts/build.mjs; the only thing a .vsix takes from npm is the
// native DuckDB binding of its own target (`@duckdb/node-bindings-<os>-<cpu>[-musl]` at the
// version package-lock.json pins), fetched with `npm pack` whatever this machine is, checked
// against the lockfile's integrity, and cached in the git-ignored .tools/bindings/. Each target
// is staged in out/package/<target>/ and packaged from there into out/duckstack-<v>-<t>.vsix.
// A vsce warning fails the run.
import { execFileSync, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

/** VS Code target → DuckDB's binding package suffix. alpine-* are the musl builds. */
const TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'alpine-x64': 'linux-x64-musl',
  'alpine-arm64': 'linux-arm64-musl',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};
/** What ships besides the bundle (dist/ without source maps). */
const SHIPPED = ['README.md', 'CHANGELOG.md', 'LICENSE', 'golden_versions.md', 'dist', 'docs', 'media', 'snippets', 'templates'];
/** Files of the binding package that ship: its manifest, its license and the native files. */
const BINDING_FILE = /^(package\.json|LICENSE|duckdb\.node|libduckdb\.(so|dylib)|duckdb\.dll)$/;

function hostTarget() {
  return `${process.platform}-${process.arch}`;
}

function parseArgs(argv) {
  const targets = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--all') targets.push(...Object.keys(TARGETS));
    else if (a === '--target') targets.push(argv[++i]);
    else if (a.startsWith('--target=')) targets.push(a.slice(9));
    else if (a !== '--no-build') throw new Error(`unknown argument '${a}'. Use --target <t> (one of ${Object.keys(TARGETS).join(', ')}) or --all.`);
  }
  const unknown = targets.filter((t) => !(t in TARGETS));
  if (unknown.length) throw new Error(`no DuckDB binding for target '${unknown.join("', '")}'. Targets: ${Object.keys(TARGETS).join(', ')}.`);
  return { targets: [...new Set(targets.length ? targets : [hostTarget()])], build: !argv.includes('--no-build') };
}

/** The binding package's tarball for `suffix`, from the cache or the npm registry, checked against package-lock.json. */
function bindingTarball(suffix) {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const name = `@duckdb/node-bindings-${suffix}`;
  const locked = lock.packages?.[`node_modules/${name}`];
  if (!locked?.version || !locked.integrity) throw new Error(`package-lock.json pins no version and integrity for ${name}: run npm install`);
  const cache = path.join(root, '.tools', 'bindings');
  const file = path.join(cache, `duckdb-node-bindings-${suffix}-${locked.version}.tgz`);
  const [algorithm, expected] = locked.integrity.split(/-(.*)/s);
  const matches = () => fs.existsSync(file) && crypto.createHash(algorithm).update(fs.readFileSync(file)).digest('base64') === expected;
  if (!matches()) {
    fs.mkdirSync(cache, { recursive: true });
    console.log(`[duckstack] fetching ${name}@${locked.version} from the npm registry`);
    execFileSync('npm', ['pack', `${name}@${locked.version}`, '--pack-destination', cache, '--silent'], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
    if (!matches()) throw new Error(`${path.relative(root, file)} does not match the integrity package-lock.json records for ${name}@${locked.version}`);
  }
  return { name, version: locked.version, file };
}

/**
 * DuckDB ships macOS's libduckdb.dylib as a universal (fat) binary with both architectures;
 * keep only the target's slice, as `lipo -thin` does (each slice is a complete, separately
 * signed Mach-O file). Other files are left as they are.
 */
function thinUniversal(file, cpuType) {
  const data = fs.readFileSync(file);
  if (data.length < 8 || data.readUInt32BE(0) !== 0xcafebabe) return;
  const count = data.readUInt32BE(4);
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 20;
    if (data.readUInt32BE(at) === cpuType) {
      const offset = data.readUInt32BE(at + 8);
      const size = data.readUInt32BE(at + 12);
      fs.writeFileSync(file, data.subarray(offset, offset + size));
      return;
    }
  }
  throw new Error(`${file} is a universal binary without the ${cpuType.toString(16)} slice`);
}
const MACHO_CPU = { 'darwin-x64': 0x01000007, 'darwin-arm64': 0x0100000c };

function stage(target, pkg, binding) {
  const dir = path.join(root, 'out', 'package', target);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of SHIPPED) {
    fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.endsWith('.map') });
  }
  const manifest = { ...pkg, dependencies: { [binding.name]: binding.version } };
  delete manifest.devDependencies;
  delete manifest.scripts;
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The repository's .vscodeignore says what of the staged files stays out of the package.
  fs.copyFileSync(path.join(root, '.vscodeignore'), path.join(dir, '.vscodeignore'));
  const into = path.join(dir, 'node_modules', ...binding.name.split('/'));
  fs.mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', binding.file, '-C', into, '--strip-components=1'], { stdio: 'inherit' });
  for (const f of fs.readdirSync(into)) {
    if (!BINDING_FILE.test(f)) fs.rmSync(path.join(into, f), { recursive: true, force: true });
    else if (MACHO_CPU[target]) thinUniversal(path.join(into, f), MACHO_CPU[target]);
  }
  return dir;
}

function packageTarget(target, pkg) {
  const binding = bindingTarball(TARGETS[target]);
  const dir = stage(target, pkg, binding);
  const out = path.join(root, 'out', `${pkg.name}-${pkg.version}-${target}.vsix`);
  fs.rmSync(out, { force: true });
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--target', target, '--out', out], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) throw new Error(`vsce failed for ${target}:\n${log}${r.error?.message ?? ''}`);
  if (/WARNING/i.test(log)) throw new Error(`vsce warned while packaging ${target}:\n${log}`);
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`[duckstack] packaged ${path.relative(root, out)} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB, ${binding.name}@${binding.version})`);
  return out;
}

try {
  const { targets, build } = parseArgs(process.argv.slice(2));
  if (build) execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const t of targets) packageTarget(t, pkg);
} catch (e) {
  console.error(`[duckstack] packaging failed: ${e.message}`);
  process.exit(1);
}
