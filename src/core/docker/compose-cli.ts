// Stack control through the compose CLI: `docker compose` (v2) or `docker-compose` (v1), always
// spawned with argument arrays (never a shell), with -p, -f and --project-directory explicit so
// the CLI acts on exactly the project the model shows.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFileSync } from '../files';
import { explainComposeFailure, type ComposeFailure } from './compose-failure';
import type { StackProject } from './services';

export interface ComposeCli {
  version: 'v2' | 'v1';
  /** Executable and the arguments that precede compose's own: ['docker', ['compose']] or ['docker-compose', []]. */
  command: string;
  prefix: string[];
  /** e.g. "2.26.1". */
  release: string;
}

export type DetectResult = { ok: true; cli: ComposeCli } | { ok: false; message: string };

export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface RunOptions {
  /** Each line of output as it comes (compose writes its progress to stderr). */
  onLine?: (line: OutputLine) => void;
  /** Aborting kills the child process. */
  signal?: AbortSignal;
}

export type ComposeResult =
  | { ok: true; args: string[] }
  | {
      ok: false;
      args: string[];
      /** null when killed by a signal or when it could not start. */
      exitCode: number | null;
      cancelled: boolean;
      /** One sentence for a notification: why it failed. */
      reason: string;
      /** The last lines compose wrote to stderr, the usual place of its error. */
      stderrTail: string[];
      /** The failure in plain words: cause, remedy and actions (absent when cancelled). */
      failure?: ComposeFailure;
    };

export interface RunnerHooks {
  /** Called with each command line before it runs, so its echo precedes its output. */
  onCommand?: (shown: string[]) => void;
}

const STDERR_TAIL = 20;
/** SIGTERMs sent to a cancelled child, one a second, before SIGKILL. */
const ABORT_TERM_TRIES = 10;
const OUTPUT_TAIL = 60;

interface Spawned {
  exitCode: number | null;
  spawnError?: string;
  stderrTail: string[];
  /** The last lines of both streams in order (a build writes its steps to stdout, its error to stderr). */
  outputTail: string[];
  stdout: string;
  cancelled: boolean;
}

/** Runs a program without a shell, splitting its output into lines as they arrive. */
function runProgram(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined, options: RunOptions, keepStdout = false): Promise<Spawned> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve({ exitCode: null, stderrTail: [], outputTail: [], stdout: '', cancelled: true });
      return;
    }
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stderrTail: string[] = [];
    const outputTail: string[] = [];
    let stdout = '';
    let spawnError: string | undefined;
    let cancelled = false;
    // The docker CLI ignores a SIGTERM that comes while it is still starting its compose plugin:
    // it is sent again each second until the child exits, and SIGKILL ends it after 10 s.
    let resend: NodeJS.Timeout | undefined;
    const onAbort = (): void => {
      cancelled = true;
      child.kill('SIGTERM');
      let sent = 1;
      resend = setInterval(() => {
        child.kill(++sent > ABORT_TERM_TRIES ? 'SIGKILL' : 'SIGTERM');
        if (sent > ABORT_TERM_TRIES) clearInterval(resend);
      }, 1000);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const lineSplitter = (stream: 'stdout' | 'stderr') => {
      let partial = '';
      const emit = (text: string): void => {
        outputTail.push(text);
        if (outputTail.length > OUTPUT_TAIL) outputTail.shift();
        if (stream === 'stderr') {
          stderrTail.push(text);
          if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
        }
        options.onLine?.({ stream, text });
      };
      return {
        data: (chunk: Buffer) => {
          const text = chunk.toString('utf8');
          if (keepStdout && stream === 'stdout') stdout += text;
          partial += text;
          const lines = partial.split(/\r?\n|\r/);
          partial = lines.pop() ?? '';
          for (const line of lines) if (line !== '') emit(line);
        },
        flush: () => {
          if (partial !== '') emit(partial);
          partial = '';
        },
      };
    };
    const out = lineSplitter('stdout');
    const err = lineSplitter('stderr');
    child.stdout.on('data', out.data);
    child.stderr.on('data', err.data);
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.code === 'ENOENT' ? `${command} is not installed or not on PATH` : e.message;
    });
    child.on('close', (code) => {
      clearInterval(resend);
      options.signal?.removeEventListener('abort', onAbort);
      out.flush();
      err.flush();
      resolve({ exitCode: code, spawnError, stderrTail, outputTail, stdout, cancelled });
    });
  });
}

/**
 * Finds the compose CLI: `docker compose` (v2 plugin) first, then the standalone
 * `docker-compose` (v1 or a v2 binary installed under the old name).
 */
export async function detectComposeCli(env: NodeJS.ProcessEnv = process.env): Promise<DetectResult> {
  const candidates: [string, string[]][] = [
    ['docker', ['compose']],
    ['docker-compose', []],
  ];
  for (const [command, prefix] of candidates) {
    const run = await runProgram(command, [...prefix, 'version', '--short'], env, undefined, {}, true);
    if (run.exitCode !== 0) continue;
    const release = run.stdout.trim().replace(/^v/, '');
    const major = Number.parseInt(release, 10);
    return { ok: true, cli: { version: prefix.length > 0 || major >= 2 ? 'v2' : 'v1', command, prefix, release } };
  }
  return {
    ok: false,
    message:
      'Neither `docker compose` (v2) nor `docker-compose` was found. Install Docker Desktop, or the Docker Engine with the compose plugin (package docker-compose-plugin), and make sure `docker` is on PATH.',
  };
}

export interface LogsOptions extends RunOptions {
  /** One service, or all when absent. */
  service?: string;
  follow?: boolean;
  /** Lines of history to show per container (default 200, or every line after `since`). */
  tail?: number;
  /** Only lines from this moment on: an RFC 3339 time or Unix seconds ("1764554400.250"). */
  since?: string;
  timestamps?: boolean;
}

function logsArgs(options: Pick<LogsOptions, 'service' | 'follow' | 'tail' | 'since' | 'timestamps'>): string[] {
  // Plain lines: each goes to a callback (the editor's log terminals, the doctor, validate).
  const args = ['logs', '--no-color'];
  if (options.follow) args.push('--follow');
  if (options.since !== undefined) args.push('--since', options.since);
  if (options.since === undefined || options.tail !== undefined) args.push('--tail', String(options.tail ?? 200));
  if (options.timestamps) args.push('--timestamps');
  if (options.service) args.push(options.service);
  return args;
}

/** Compose commands on one project. */
export class ComposeRunner {
  constructor(
    readonly cli: ComposeCli,
    private readonly project: StackProject,
    /** Environment of the child (DOCKER_HOST, DOCKER_CONTEXT, variables for interpolation). */
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly hooks: RunnerHooks = {},
  ) {}

  /** The arguments that pin the project: -p, every -f, --project-directory, active profiles. */
  projectArgs(): string[] {
    const args = ['-p', this.project.name];
    for (const file of this.project.files) args.push('-f', file);
    args.push('--project-directory', this.project.dir);
    for (const profile of this.project.activeProfiles) args.push('--profile', profile);
    return args;
  }

  /** Runs `compose <project args> <args>`; `profiles` are enabled for this run besides the active ones. */
  async run(args: string[], options: RunOptions = {}, profiles: readonly string[] = []): Promise<ComposeResult> {
    const extra = profiles.filter((p) => !this.project.activeProfiles.includes(p)).flatMap((p) => ['--profile', p]);
    const full = [...this.cli.prefix, ...this.projectArgs(), ...extra, ...args];
    const shown = [this.cli.command, ...full];
    try {
      this.hooks.onCommand?.(shown);
    } catch {
      // A listener's failure must not stop the command.
    }
    const result = await runProgram(this.cli.command, full, this.env, this.project.dir, options);
    if (result.exitCode === 0 && !result.cancelled) return { ok: true, args: shown };
    const last = result.stderrTail.filter((l) => l.trim() !== '').at(-1);
    const reason = result.cancelled
      ? `${args[0]} was cancelled`
      : result.spawnError
        ? result.spawnError
        : `\`${this.cli.command} ${[...this.cli.prefix, args[0]].join(' ')}\` failed with exit code ${result.exitCode}${last ? `: ${last.trim()}` : ''}`;
    const failure = result.cancelled ? undefined : this.explain(result.spawnError ? [result.spawnError] : result.outputTail, args);
    return { ok: false, args: shown, exitCode: result.exitCode, cancelled: result.cancelled, reason, stderrTail: result.stderrTail, ...(failure ? { failure } : {}) };
  }

  /** The failure in plain words, with the project's .env and Dockerfiles as context. */
  explain(lines: readonly string[], args: readonly string[] = []): ComposeFailure {
    const services = new Set(this.project.services.map((s) => s.name));
    const named = [...args].reverse().find((a) => services.has(a));
    return explainComposeFailure(lines, {
      dir: this.project.dir,
      hasDotEnv: fs.existsSync(path.join(this.project.dir, '.env')),
      ...(named ? { service: named } : {}),
      dockerfileOf: (name) => {
        const build = this.project.services.find((s) => s.name === name)?.build;
        if (!build) return undefined;
        const file = path.resolve(build.context, build.dockerfile ?? 'Dockerfile');
        const read = readRegularFileSync(file);
        return read.ok ? { file, text: read.text } : undefined;
      },
    });
  }

  /** `up -d --wait` (v1 has no --wait): the whole stack, or the given services and their dependencies. */
  up(options: RunOptions & { services?: string[] } = {}): Promise<ComposeResult> {
    return this.run(['up', '-d', ...this.waitFlag(), ...(options.services ?? [])], options);
  }

  /** `down`: stops and removes the containers and networks (volumes are kept). */
  down(options: RunOptions & { timeoutSeconds?: number } = {}): Promise<ComposeResult> {
    const timeout = options.timeoutSeconds === undefined ? [] : ['-t', String(options.timeoutSeconds)];
    return this.run(['down', ...timeout], options);
  }

  /** The full restart of the platform guide: `down`, then `up -d --wait`. */
  async restartStack(options: RunOptions & { timeoutSeconds?: number } = {}): Promise<ComposeResult> {
    const down = await this.down(options);
    if (!down.ok) return down;
    return this.up(options);
  }

  /** Starts one service (creating it if needed) with its dependencies. */
  startService(service: string, options: RunOptions = {}): Promise<ComposeResult> {
    return this.run(['up', '-d', ...this.waitFlag(), service], options);
  }

  stopService(service: string, options: RunOptions & { timeoutSeconds?: number } = {}): Promise<ComposeResult> {
    const timeout = options.timeoutSeconds === undefined ? [] : ['-t', String(options.timeoutSeconds)];
    return this.run(['stop', ...timeout, service], options);
  }

  restartService(service: string, options: RunOptions & { timeoutSeconds?: number } = {}): Promise<ComposeResult> {
    const timeout = options.timeoutSeconds === undefined ? [] : ['-t', String(options.timeoutSeconds)];
    return this.run(['restart', ...timeout, service], options);
  }

  /** Rebuilds the service's image (when it has a build section) and recreates only its container. */
  rebuildService(service: string, options: RunOptions = {}): Promise<ComposeResult> {
    return this.run(['up', '-d', '--build', '--force-recreate', '--no-deps', ...this.waitFlag(), service], options);
  }

  /** The services of a profile (those that start only with it). */
  profileServices(profile: string): string[] {
    return this.project.services.filter((s) => s.profiles.includes(profile)).map((s) => s.name);
  }

  /** Start Profile: `--profile <p> up -d --wait` of the profile's services (and what they depend on). */
  startProfile(profile: string, options: RunOptions = {}): Promise<ComposeResult> {
    return this.run(['up', '-d', ...this.waitFlag(), ...this.profileServices(profile)], options, [profile]);
  }

  /** Stop Profile: `--profile <p> stop` of the profile's services; the others keep running. */
  stopProfile(profile: string, options: RunOptions & { timeoutSeconds?: number } = {}): Promise<ComposeResult> {
    const timeout = options.timeoutSeconds === undefined ? [] : ['-t', String(options.timeoutSeconds)];
    return this.run(['stop', ...timeout, ...this.profileServices(profile)], options, [profile]);
  }

  /** Streams logs line by line to onLine; with follow, runs until aborted or the containers stop. */
  logs(options: LogsOptions = {}): Promise<ComposeResult> {
    return this.run(logsArgs(options), options);
  }

  private waitFlag(): string[] {
    return this.cli.version === 'v2' ? ['--wait'] : [];
  }
}
