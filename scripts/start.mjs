// `npm start`: DuckStack for real on a demo platform. Installs what is missing (Debian packages,
// code-server, a Docker engine), builds and packages the extension, installs the .vsix into a
// private code-server, scaffolds a fresh demo fork (its .env included) with DuckDB files built
// from its sample data, opens it, and prints the URL, whether the platform's services can start
// here (their images on the Docker engine, or what Start Platform must pull and build, and why it
// cannot when the engine reaches no registry) and what to try first. Ctrl-C stops everything it
// started.
//   npm start                  demo fork in a new temp folder
//   npm start -- <folder>      open an existing folder instead
//   DUCKSTACK_PORT=8123        the port to serve on (default 8123)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoFork, madeLines, tryFirst } from './demo-fork.mjs';

const root = path.resolve(import.meta.dirname, '..');
const say = (m) => console.log(`[duckstack] ${m}`);
const sh = (script) => execFileSync('bash', [path.join(root, 'scripts', script)], { stdio: ['ignore', 'pipe', 'inherit'] }).toString();

sh('ensure-host-packages.sh');
sh('ensure-code-server.sh');
const hadPrivateDocker = fs.existsSync('/tmp/duckstack-docker/started-by-duckstack');
const env = { ...process.env };
for (const m of sh('ensure-docker.sh').matchAll(/^export (\w+)=(.*)$/gm)) env[m[1]] = m[2];
const startedDocker = !hadPrivateDocker && fs.existsSync('/tmp/duckstack-docker/started-by-duckstack');

say('building and packaging the extension');
execFileSync(process.execPath, [path.join(root, 'scripts', 'package.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: root, stdio: 'inherit' });

let folder = process.argv[2] ? path.resolve(process.argv[2]) : undefined;
if (!folder) {
  folder = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-demo-')), 'demo-platform');
  say(`scaffolding a demo platform fork in ${folder}`);
  for (const line of madeLines(createDemoFork(root, folder, { env, quiet: true }))) say(line);
}

// Whether the platform's services can start here: their images on the engine, or what up must pull
// and build, and whether the engine reaches the registry (nothing is pulled or built now).
const { loadComposeProject } = await import(path.join(root, 'out', 'src', 'core', 'compose', 'project.js'));
const { openDockerEngine } = await import(path.join(root, 'out', 'src', 'core', 'docker', 'engine.js'));
const { readImageNeeds, describeImageNeeds } = await import(path.join(root, 'out', 'src', 'core', 'doctor', 'images.js'));
const project = await loadComposeProject(folder, { processEnv: env });
let images;
if (project.files.length > 0) {
  const opened = await openDockerEngine(env);
  images = describeImageNeeds(opened.ok ? await readImageNeeds(opened.engine, project) : { reachable: false, problem: opened.problem });
}

const { startCodeServer } = await import(path.join(root, 'out', 'test', 'harness', 'codeServer.js'));
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = `duckstack-${version}-${process.platform}-${process.arch}.vsix`;
const port = Number(process.env.DUCKSTACK_PORT ?? 8123);
const server = await startCodeServer({ folder, vsix: path.join(root, 'out', vsix), env, port });
say(`DuckStack is running in VS Code (code-server) on ${folder}; press Ctrl-C to stop`);
for (const line of tryFirst(`${server.url}/?folder=${encodeURIComponent(folder)}`, images)) say(line);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  say('stopping code-server');
  await server.stop();
  if (startedDocker) execFileSync('bash', [path.join(root, 'scripts', 'stop-docker.sh')], { stdio: 'inherit' });
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
