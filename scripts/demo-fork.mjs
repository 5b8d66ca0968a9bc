// The demo fork `npm start` opens: the full platform from templates/ with its .env (each secret a
// generated value, through the core's create-env, as `duckstack new --env` does), and raw.duckdb
// and dev.duckdb built from the sample data; and what to try first once it is open.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/**
 * Scaffolds the demo fork into folder with the bundled CLI (dist/cli.js) and returns what it
 * printed; it goes to the terminal too unless quiet. Tests give it a compose project name of their
 * own.
 */
export function createDemoFork(root, folder, { env = process.env, quiet = false, name = 'duckstack-demo' } = {}) {
  const printed = execFileSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'new', folder, '--name', name, '--demo-data', '--env'], { stdio: ['ignore', 'pipe', 'inherit'], env }).toString();
  if (!quiet) process.stdout.write(printed);
  return printed;
}

/**
 * What `new` printed about the fork it made, without its "Next steps" (a terminal user's commands:
 * `npm start` says instead whether the platform can start here and what to try first in VS Code).
 */
export function madeLines(printed) {
  const lines = printed.split('\n');
  const next = lines.findIndex((l) => l.startsWith('Next steps'));
  return (next < 0 ? lines : lines.slice(0, next)).filter((l) => l.trim() !== '');
}

/**
 * The last lines of the start log: whether the platform's services can start here (`images`, from
 * the core's describeImageNeeds; absent for a folder without compose file), then the first things
 * to try, each a command or a click in VS Code. Starting the platform is offered only where it can
 * start.
 */
export function tryFirst(url, images) {
  const start = images?.canStart === false
    ? ['  4. F1 → "DuckStack: Start Platform" fails here, for the reason said above; once that is mended, it runs',
       '     docker compose up with live states in the tree (.env is already there, with generated secrets).']
    : ['  4. F1 → "DuckStack: Start Platform": docker compose up with live states in the tree and in the status bar',
       '     (.env is already there, with generated secrets).'];
  return [
    ...(images ? images.lines : []),
    `open ${url}`,
    'Try first:',
    '  1. The DuckStack icon (the duck) in the activity bar: Platform Services lists the demo\'s services; DuckDB shows',
    '     raw.duckdb and dev.duckdb with their tables. Right-click a table: Preview Table.',
    '  2. Open docker-compose.yml, change a port to "3000:3000": a warning, and Ctrl+. for its quick fix.',
    '  3. F1 → "DuckStack: Validate Platform": the platform guide\'s checklist for this fork.',
    ...start,
    '  5. Help → Welcome → "Get started with DuckStack": the walkthrough ticks each step as you do it.',
  ];
}
