// A failing `docker compose` call (or an engine error text) in plain words: what went wrong, what
// to do, and the actions an editor or terminal can offer. One table of patterns over the lines
// compose wrote, tried in order; the first that matches explains the failure.
import * as path from 'node:path';
import { shellQuote } from '../terminal';

export type ComposeFailureKind =
  | 'missing-variable'
  | 'registry-unreachable'
  | 'image-not-found'
  | 'access-denied'
  | 'port-allocated'
  | 'port-in-use'
  | 'build-failed'
  | 'no-space'
  | 'socket-permission'
  | 'engine-not-running'
  | 'compose-missing'
  | 'command-not-found'
  | 'unhealthy'
  | 'unknown';

/** What the user can do next, as data: the editor makes buttons of them, the CLI prints them. */
export type ComposeAction =
  | { kind: 'create-env' }
  | { kind: 'open-env'; variable: string }
  | { kind: 'diagnose'; service?: string }
  | { kind: 'open-file'; file: string; line?: number }
  | { kind: 'show-output' };

/** An action as a terminal says it: the command to run, or what to edit; undefined for the editor-only ones. */
export function actionLine(action: ComposeAction, dir: string): string | undefined {
  switch (action.kind) {
    case 'diagnose':
      return `duckstack doctor${action.service ? ` ${shellQuote(action.service)}` : ''} ${shellQuote(dir)}`;
    case 'create-env':
      return `duckstack env create ${shellQuote(dir)}`;
    case 'open-env':
      return `set ${action.variable} in ${path.join(dir, '.env')}`;
    case 'open-file':
      return `open ${action.file}${action.line ? `:${action.line}` : ''}`;
    case 'show-output':
      return undefined;
  }
}

export interface ComposeFailure {
  kind: ComposeFailureKind;
  /** One sentence: what went wrong. */
  cause: string;
  /** One sentence: what to do. */
  remedy: string;
  actions: ComposeAction[];
  /** The lines of compose's output that say so. */
  evidence: string[];
  /** Details read from the output. */
  variable?: string;
  image?: string;
  registry?: string;
  port?: number;
  service?: string;
  /** A failed `up --wait`: every service that failed to become healthy or exited, with its state. */
  services?: Array<{ name: string; state: string }>;
  /** Build failures: the failing step and where it is in the Dockerfile. */
  step?: string;
  dockerfile?: string;
  line?: number;
}

export interface ExplainContext {
  /** The project folder: relative Dockerfile paths resolve against it. */
  dir?: string;
  /** Whether the project has a .env file (a missing variable then means: create it). */
  hasDotEnv?: boolean;
  /** The service the command was about, when one. */
  service?: string;
  /** A service's Dockerfile and its text, to find the line of a failed build step. */
  dockerfileOf?: (service: string) => { file: string; text: string } | undefined;
}

const REGISTRY_URL = /Get "?https?:\/\/([^/"\s]+)\/v2\/[^"\s]*"?: (.*)$/;

/** What to do when a registry refuses an image: check its name, or log in to its registry (Docker Hub's needs no name). */
export function accessDeniedRemedy(image: string | undefined): string {
  const registry = image ? registryOf(image) : 'registry-1.docker.io';
  return `Check the image name; for a private image run \`docker login${registry === 'registry-1.docker.io' ? '' : ` ${registry}`}\` first.`;
}

/** The registry an image reference names (Docker Hub when it names none). */
export function registryOf(image: string): string {
  const first = image.split('/')[0];
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'registry-1.docker.io';
}

function firstMatch(lines: readonly string[], re: RegExp): { line: string; m: RegExpExecArray } | undefined {
  for (const line of lines) {
    const m = re.exec(line);
    if (m) return { line, m };
  }
  return undefined;
}

/** The service a compose progress or error line names ("Container p-web-1  Error", "web Error …"). */
function serviceInLines(lines: readonly string[], project?: string): string | undefined {
  for (const line of lines) {
    const pulled = /^\s*(\S+) Error\b/.exec(line);
    if (pulled && !pulled[1].startsWith('Container')) return pulled[1];
    const container = /Container (\S+?)-(\S+)-\d+\s+Error/.exec(line);
    if (container && (!project || container[1] === project)) return container[2];
  }
  return undefined;
}

/** Translates compose's output (stderr lines, last included) into a failure in plain words. */
export function explainComposeFailure(output: readonly string[], context: ExplainContext = {}): ComposeFailure {
  const lines = output.map((l) => l.replace(/\s+$/, '')).filter((l) => l.trim() !== '');
  const service = context.service ?? serviceInLines(lines);
  const withService = (f: ComposeFailure): ComposeFailure => (service && f.service === undefined ? { ...f, service } : f);

  const variable = firstMatch(lines, /required variable (\w+) is missing a value(?::\s*(.*))?/);
  if (variable) {
    const name = variable.m[1];
    return {
      kind: 'missing-variable',
      cause: `The compose file requires ${name}, which is not set${context.hasDotEnv === false ? ' (there is no .env file)' : ''}.`,
      remedy: context.hasDotEnv === false ? 'Create .env from .env.example, then fill in the values it asks for.' : `Set ${name} in .env (or in the environment compose runs in).`,
      actions: context.hasDotEnv === false ? [{ kind: 'create-env' }, { kind: 'open-env', variable: name }] : [{ kind: 'open-env', variable: name }],
      evidence: [variable.line],
      variable: name,
    };
  }

  const notCommand = firstMatch(lines, /'compose' is not a docker command|unknown command: docker compose|unknown shorthand flag: 'p' in -p|unknown (?:shorthand flag|command):? .*compose|docker-compose(?:: command)? not found|Neither `docker compose`|is not installed or not on PATH/);
  if (notCommand) {
    return {
      kind: 'compose-missing',
      cause: 'The Docker Compose v2 plugin is not installed (or `docker` itself is not on PATH).',
      remedy: 'Install Docker Desktop, or the Docker Engine with the compose plugin (package docker-compose-plugin); `docker compose version` must answer.',
      actions: [{ kind: 'show-output' }],
      evidence: [notCommand.line],
    };
  }

  const socket = firstMatch(lines, /permission denied while trying to connect to the Docker daemon socket(?: at (\S+))?/i);
  if (socket) {
    return {
      kind: 'socket-permission',
      cause: `This user may not use the Docker socket${socket.m[1] ? ` (${socket.m[1].replace(/:$/, '')})` : ''}.`,
      remedy: 'Add your user to the `docker` group (`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker.',
      actions: [{ kind: 'show-output' }],
      evidence: [socket.line],
    };
  }

  const engine = firstMatch(lines, /Cannot connect to the Docker daemon at (\S+?)\.? Is the docker daemon running\?|error during connect: .*(?:no such file or directory|connection refused|The system cannot find the file specified)/i);
  if (engine) {
    return {
      kind: 'engine-not-running',
      cause: `No Docker engine answers${engine.m[1] ? ` at ${engine.m[1]}` : ''}.`,
      remedy: 'Start Docker (Docker Desktop, or `sudo systemctl start docker`), or point DOCKER_HOST / the docker context at a running engine.',
      actions: [{ kind: 'show-output' }],
      evidence: [engine.line],
    };
  }

  const space = firstMatch(lines, /no space left on device/i);
  if (space) {
    return withService({
      kind: 'no-space',
      cause: 'The disk that holds Docker’s images and containers is full.',
      remedy: 'Free space: `docker system df` shows what takes it; remove unused images (`docker image prune`) and build cache (`docker builder prune`), or grow the disk.',
      actions: [{ kind: 'show-output' }],
      evidence: [space.line],
    });
  }

  const allocated = firstMatch(lines, /Bind for (\S+?):(\d+) failed: port is already allocated/);
  if (allocated) {
    const port = Number(allocated.m[2]);
    return withService({
      kind: 'port-allocated',
      cause: `Host port ${port} is already published by another container.`,
      remedy: `Stop the container that publishes port ${port}, or change this service's host port (a variable in .env).`,
      actions: [{ kind: 'diagnose', service }],
      evidence: [allocated.line],
      port,
    });
  }

  const inUse = firstMatch(lines, /listen (?:tcp|udp)[46]? (\S+?):(\d+): bind: address already in use/);
  if (inUse) {
    const port = Number(inUse.m[2]);
    return withService({
      kind: 'port-in-use',
      cause: `Host port ${port} is held by a process outside Docker.`,
      remedy: `Stop the process that listens on port ${port} (Diagnose names it), or change this service's host port (a variable in .env).`,
      actions: [{ kind: 'diagnose', service }],
      evidence: [inUse.line],
      port,
    });
  }

  const build = explainBuild(lines, context);
  if (build) return withService(build);

  const notFound = firstMatch(lines, /manifest for (\S+) not found|manifest unknown|(?:repository|image) (\S+) not found|not found: manifest unknown/i);
  if (notFound) {
    const image = notFound.m[1] ?? notFound.m[2];
    return withService({
      kind: 'image-not-found',
      cause: `The registry does not have ${image ? `the image ${image}` : 'that image tag'}.`,
      remedy: 'Check the image name and tag against golden_versions.md (a typo, or a tag that was never published).',
      actions: [{ kind: 'diagnose', service }],
      evidence: [notFound.line],
      ...(image ? { image, registry: registryOf(image) } : {}),
    });
  }

  const denied = firstMatch(lines, /pull access denied for ([^,\s]+)|unauthorized: (?:authentication required|incorrect username or password)|denied: requested access to the resource is denied|no basic auth credentials/i);
  if (denied) {
    const image = denied.m[1];
    return withService({
      kind: 'access-denied',
      cause: `The registry refused access to ${image ? `the image ${image}` : 'the image'}: it does not exist, or it is private and you are not logged in.`,
      remedy: accessDeniedRemedy(image),
      actions: [{ kind: 'diagnose', service }],
      evidence: [denied.line],
      ...(image ? { image, registry: registryOf(image) } : {}),
    });
  }

  const registry = firstMatch(lines, new RegExp(`${REGISTRY_URL.source.slice(0, -1)}|(?:dial tcp|lookup) .*(?:no such host|i/o timeout|connection refused|network is unreachable)|TLS handshake timeout`));
  if (registry) {
    const url = REGISTRY_URL.exec(registry.line);
    const host = url?.[1];
    return withService({
      kind: 'registry-unreachable',
      cause: `The image registry${host ? ` ${host}` : ''} cannot be reached from the Docker engine, so an image that is not present locally cannot be pulled.`,
      remedy: 'Connect to the network (or set the engine’s proxy), or make the image available locally: build it, or `docker load` it from a file.',
      actions: [{ kind: 'diagnose', service }],
      evidence: [registry.line],
      ...(host ? { registry: host } : {}),
    });
  }

  const command = firstMatch(lines, /exec: "([^"]+)": executable file not found in \$PATH|exec: "([^"]+)": permission denied/);
  if (command) {
    const program = command.m[1] ?? command.m[2];
    const missing = command.m[1] !== undefined;
    return withService({
      kind: 'command-not-found',
      cause: missing ? `The container's command ${program} does not exist in the image.` : `The container's command ${program} is not executable.`,
      remedy: missing ? 'Fix the service’s command or entrypoint, or install the program in the image.' : 'Make the file executable in the image (`chmod +x` in the Dockerfile).',
      actions: [{ kind: 'diagnose', service }],
      evidence: [command.line],
    });
  }

  const unhealthy = firstMatch(lines, /(?:dependency failed to start: )?container (\S+) (?:is unhealthy|exited \(\d+\))/);
  if (unhealthy) {
    const name = /^(?:.+?)-(.+)-\d+$/.exec(unhealthy.m[1])?.[1] ?? unhealthy.m[1];
    return {
      kind: 'unhealthy',
      cause: `The container ${unhealthy.m[1]} did not become healthy, so compose stopped waiting.`,
      remedy: `Diagnose ${name}: its healthcheck output and logs say why.`,
      actions: [{ kind: 'diagnose', service: name }],
      evidence: [unhealthy.line],
      service: name,
    };
  }

  return withService({
    kind: 'unknown',
    cause: lines.length > 0 ? `docker compose failed: ${lines[lines.length - 1].trim()}` : 'docker compose failed without a message.',
    remedy: 'Read the compose output; Diagnose runs the troubleshooting checks of the platform guide.',
    actions: [{ kind: 'diagnose', service }, { kind: 'show-output' }],
    evidence: lines.slice(-5),
  });
}

/**
 * A failed image build: BuildKit prints the failing step (`> [web 2/3] RUN false:`), the
 * Dockerfile line (`Dockerfile:3`) and `failed to solve: …`; the classic builder prints
 * `Step 2/3 : RUN false` and `The command '/bin/sh -c false' returned a non-zero code: 1`.
 */
function explainBuild(lines: readonly string[], context: ExplainContext): ComposeFailure | undefined {
  const solve = firstMatch(lines, /failed to solve:|failed to build|returned a non-zero code:|did not complete successfully|executor failed running/);
  if (!solve) return undefined;
  let step: string | undefined;
  let stepService: string | undefined;
  for (const line of lines) {
    const kit = /^\s*>\s*\[(?:([\w.-]+) )?\d+\/\d+\]\s+(.*?):?\s*$/.exec(line);
    if (kit) {
      stepService = kit[1];
      step = kit[2];
    }
    const classic = /^Step \d+\/\d+ : (.*)$/.exec(line);
    if (classic) step = classic[1];
  }
  if (!step) {
    const quoted = /process "(?:\/bin\/sh -c )?(.*?)" did not complete|The command '(?:\/bin\/sh -c )?(.*?)' returned|executor failed running \[(?:\/bin\/sh -c )?(.*?)\]/.exec(solve.line);
    if (quoted) step = `RUN ${quoted[1] ?? quoted[2] ?? quoted[3]}`;
  }
  const service = stepService ?? context.service;
  // Newer BuildKit names the line ("Dockerfile:3"); older ones only the step, found in the file.
  const where = firstMatch(lines, /^\s*(\S*Dockerfile[\w.-]*):(\d+)\s*$/);
  let dockerfile = where ? resolveIn(context.dir, where.m[1]) : undefined;
  let line = where ? Number(where.m[2]) : undefined;
  const own = service ? context.dockerfileOf?.(service) : undefined;
  if (own && (!dockerfile || dockerfile === own.file)) {
    dockerfile = own.file;
    if (line === undefined && step) line = lineOfStep(own.text, step);
  }
  const evidence = [...new Set([...(where ? [where.line.trim()] : []), solve.line])];
  const shownFile = where ? where.m[1] : dockerfile ? dockerfile.split(/[\\/]/).pop() : undefined;
  return {
    kind: 'build-failed',
    cause: `The image build${service ? ` of ${service}` : ''} failed${step ? ` at ${step}` : ''}${shownFile && line ? ` (${shownFile} line ${line})` : ''}.`,
    remedy: 'Fix that Dockerfile step (its output is just above the error), then rebuild the service.',
    actions: dockerfile ? [{ kind: 'open-file', file: dockerfile, ...(line ? { line } : {}) }, { kind: 'show-output' }] : [{ kind: 'show-output' }],
    evidence,
    ...(service ? { service } : {}),
    ...(step ? { step } : {}),
    ...(dockerfile ? { dockerfile } : {}),
    ...(line ? { line } : {}),
  };
}

/** The 1-based line of the Dockerfile instruction a build step names (whitespace-insensitive). */
function lineOfStep(text: string, step: string): number | undefined {
  const norm = (s: string): string => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const wanted = norm(step);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    // An instruction continued with backslashes is one step.
    let joined = lines[i];
    let j = i;
    while (/\\\s*$/.test(joined) && j + 1 < lines.length) joined = joined.replace(/\\\s*$/, ' ') + lines[++j];
    if (norm(joined) === wanted) return i + 1;
  }
  return undefined;
}

function resolveIn(dir: string | undefined, file: string): string {
  if (!dir || file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)) return file;
  return `${dir.replace(/[\\/]+$/, '')}/${file}`;
}
