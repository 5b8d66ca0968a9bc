import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort, spawnGroup, waitForHttp } from './processes';

export const CODE_SERVER_VERSION = process.env.DUCKSTACK_CODE_SERVER_VERSION ?? '4.100.3';

/** Where scripts/ensure-code-server.sh installs code-server. */
export function codeServerBin(): string {
  // scripts/ensure-code-server.sh installs into the checkout's .tools/ (git-ignored), never $HOME.
  const tools = process.env.DUCKSTACK_TOOLS_DIR ?? path.resolve(__dirname, '..', '..', '..', '.tools');
  return path.join(tools, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
}

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  /** Private folder holding its HOME, user data and extensions. */
  readonly stateDir: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface CodeServerOptions {
  /** Folder the workbench opens. */
  folder: string;
  /** A .vsix to install before starting (the packaged extension, as users get it). */
  vsix?: string;
  /** Extra environment for the server and its extension host (e.g. DOCKER_HOST). */
  env?: NodeJS.ProcessEnv;
  /** Fixed port (npm start); tests take a free one. */
  port?: number;
  settings?: Record<string, unknown>;
  /** False opens the folder in Restricted Mode (workspace trust on, the folder not trusted). */
  trusted?: boolean;
}

function requireBin(): string {
  const bin = codeServerBin();
  if (!fs.existsSync(bin)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not installed at ${bin}. Run scripts/ensure-code-server.sh (npm test does this).`);
  }
  return bin;
}

/**
 * Starts a private code-server: its own HOME, XDG folders, user data and extensions under a
 * temp folder, so nothing is written into the real $HOME. stop() ends it by PID.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const bin = requireBin();
  const trusted = options.trusted ?? true;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-code-server-'));
  const home = path.join(stateDir, 'home');
  const userData = path.join(stateDir, 'user-data');
  const extensions = path.join(stateDir, 'extensions');
  for (const dir of [home, path.join(userData, 'User'), extensions]) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'config.yaml'), 'auth: none\n');
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'telemetry.telemetryLevel': 'off',
        'git.openRepositoryInParentFolders': 'never',
        'security.workspace.trust.enabled': trusted === false,
        'security.workspace.trust.startupPrompt': 'never',
        ...options.settings,
      },
      null,
      2,
    ),
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
  };
  const common = ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', userData, '--extensions-dir', extensions];
  if (options.vsix) {
    execFileSync(bin, [...common, '--install-extension', options.vsix, '--force'], { env, stdio: 'pipe' });
  }
  const port = options.port ?? (await freePort());
  const logFile = path.join(stateDir, 'code-server.log');
  const log = fs.openSync(logFile, 'a');
  const { child, stop } = spawnGroup(
    bin,
    [
      ...common,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      ...(trusted ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      options.folder,
    ],
    { env, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, 30_000, () => child.exitCode === null);
  } catch (e) {
    await stop();
    throw new Error(`code-server did not start: ${(e as Error).message}\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
  }
  return {
    url,
    port,
    stateDir,
    logFile,
    stop: async () => {
      await stop();
      if (!process.env.DUCKSTACK_KEEP_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
