// The demo fork `npm start` opens: the full platform from templates/ with its .env (each secret a
// generated value, through the core's create-env, as `duckstack new --env` does), and raw.duckdb
// and dev.duckdb built from the sample data; and what to try first once it is open.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** Scaffolds the demo fork into folder with the bundled CLI (dist/cli.js); its output goes to the terminal unless quiet. */
export function createDemoFork(root, folder, { env = process.env, quiet = false } = {}) {
  execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'new', folder, '--name', 'duckstack-demo', '--demo-data', '--env'], { stdio: quiet ? 'pipe' : 'inherit', env });
}

/** The last lines of the start log: the first things to try in the demo, each a command or a click in VS Code. */
export function tryFirst(url) {
  return [
    `open ${url}`,
    'Try first:',
    '  1. The DuckStack icon (the duck) in the activity bar: Platform Services lists the demo\'s services; DuckDB shows',
    '     raw.duckdb and dev.duckdb with their tables. Right-click a table: Preview Table.',
    '  2. Open docker-compose.yml, change a port to "3000:3000": a warning, and Ctrl+. for its quick fix.',
    '  3. F1 → "DuckStack: Validate Platform": the platform guide\'s checklist for this fork.',
    '  4. F1 → "DuckStack: Start Platform": docker compose up with live states in the tree (the images come from',
    '     your registry; .env is already there, with generated secrets).',
    '  5. Help → Welcome → "Get started with DuckStack": the walkthrough ticks each step as you do it.',
  ];
}
