// Bundles the extension and the CLI with esbuild. `vscode` is provided by the host; the
// DuckDB native package and dockerode stay outside the bundle and are loaded only when first needed.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  external: ['vscode', '@duckdb/node-api', '@duckdb/node-bindings', 'dockerode', 'cpu-features', 'ssh2'],
  logLevel: 'info',
};
const entries = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
