// Bundles the extension and the CLI with esbuild: all JavaScript, dependencies included, so the
// packaged extension carries no node_modules JavaScript. The heavy libraries that are loaded
// only when first needed, dockerode (with docker-modem and gRPC), ssh2 and @duckdb/node-api (shared
// by both entry points) and zod (the extension's assistant tools), are bundled on their own into
// dist/vendor/, so activating the extension does not parse them. Left outside every bundle:
// `vscode` (provided by the host), DuckDB's per-platform native package
// (`@duckdb/node-bindings-<os>-<cpu>[-musl]`, staged into each .vsix by scripts/package.mjs), and
// ssh2's optional native parts (`cpu-features` and `sshcrypto.node`), which ssh2 loads in
// try/catch and replaces with pure JavaScript when absent.
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
/** Lazily imported libraries → their bundle in dist/vendor/. */
const vendor = { dockerode: 'vendor/dockerode', '@duckdb/node-api': 'vendor/duckdb-node-api', ssh2: 'vendor/ssh2', zod: 'vendor/zod' };
// zod is loaded lazily only by the extension (its assistant tools' schemas, on first tool use); the
// CLI keeps it inline, where the MCP SDK imports zod's own subpaths (zod/v4) and needs one copy.
const cliVendor = Object.keys(vendor).filter((name) => name !== 'zod');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  external: ['vscode', '@duckdb/node-bindings-*', 'cpu-features', '*.node'],
  // jsonc-parser's UMD main hides its own requires from a bundler; its ES module build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
  logLevel: 'info',
};
// In the entry bundles, `import('dockerode')` becomes a `require('./vendor/dockerode.js')` run on
// first use (the same CommonJS interop as before bundling), relative to dist/.
const toVendor = (libraries) => ({
  name: 'duckstack-vendor',
  setup(build) {
    const names = new RegExp(`^(${libraries.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter: names }, (args) => ({ path: args.path, namespace: 'duckstack-vendor' }));
    build.onLoad({ filter: /.*/, namespace: 'duckstack-vendor' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(`./${vendor[args.path]}.js`)});`, loader: 'js' }));
    build.onResolve({ filter: /^\.\/vendor\//, namespace: 'duckstack-vendor' }, (args) => ({ path: args.path, external: true }));
  },
});
// ssh2 is bundled once, in dist/vendor/ssh2.js: docker-modem's copy inside dist/vendor/dockerode.js
// requires that file (DuckStack's own ssh:// agent, src/core/docker/ssh.ts, loads it too).
const sharedSsh2 = {
  name: 'duckstack-shared-ssh2',
  setup(build) {
    build.onResolve({ filter: /^ssh2$/ }, () => ({ path: './ssh2.js', external: true }));
  },
};
const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [toVendor(Object.keys(vendor))] },
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [toVendor(cliVendor)] },
  { entryPoints: Object.fromEntries(Object.entries(vendor).map(([name, out]) => [out, require.resolve(name)])), outdir: 'dist', plugins: [sharedSsh2] },
];
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
