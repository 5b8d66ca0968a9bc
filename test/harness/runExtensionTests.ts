// Runs the extension-host suite (out/test/vscode/index.js) inside a real VS Code and exits with
// its result. Host: code-server in headless Chromium (default; works offline), or desktop VS Code
// through @vscode/test-electron with `--host electron` (needs the internet to download VS Code).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { startCodeServer } from './codeServer';
import { BrowserSession, launchBrowser } from './browser';
import { useRunFixtureProject } from './fixture';

const extensionRoot = path.resolve(__dirname, '..', '..', '..');
const testsPath = path.join(extensionRoot, 'out', 'test', 'vscode', 'index.js');
const workspace = process.env.DUCKSTACK_TEST_WORKSPACE ?? path.join(extensionRoot, 'test', 'fixtures', 'workspace');
// A multi-root workspace (its one folder is `workspace`), so tests can add and remove workspace
// folders: in a single-folder window, adding one would reload the window.
const workspaceFile = path.join(extensionRoot, 'test', 'fixtures', 'extension-tests.code-workspace');

/**
 * What the window opens: the folder DUCKSTACK_TEST_WORKSPACE names, or a copy of the multi-root
 * workspace in a temp folder (its folder paths made absolute). VS Code writes a folder a test adds
 * into the .code-workspace file itself, so the checked-in file is never opened: a run stopped
 * before its teardown would leave the folder there for every later run.
 */
function openedWorkspace(): { param: 'folder' | 'workspace'; path: string; dispose(): void } {
  if (process.env.DUCKSTACK_TEST_WORKSPACE) return { param: 'folder', path: workspace, dispose: () => undefined };
  const config = JSON.parse(fs.readFileSync(workspaceFile, 'utf8')) as { folders: Array<{ path: string }> };
  for (const folder of config.folders) folder.path = path.resolve(path.dirname(workspaceFile), folder.path);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-workspace-'));
  const file = path.join(dir, path.basename(workspaceFile));
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return { param: 'workspace', path: file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
type Opened = ReturnType<typeof openedWorkspace>;

async function viaCodeServer(opened: Opened): Promise<number> {
  const server = await startCodeServer({ folder: workspace });
  let browser: BrowserSession | undefined;
  try {
    browser = await launchBrowser();
    const page = browser.page;
    const authority = `127.0.0.1:${server.port}`;
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionRoot}`],
      ['extensionTestsPath', `vscode-remote://${authority}${testsPath}`],
      ['skipWelcome', 'true'],
    ];
    const result = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...args);
      (type === 'error' ? process.stderr : process.stdout).write(`${line}\n`);
    });
    const url = `${server.url}/?${opened.param}=${encodeURIComponent(opened.path)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeoutMs = Number(process.env.DUCKSTACK_EXTENSION_TESTS_TIMEOUT ?? 20 * 60_000);
    const timeout = new Promise<number>((resolve) => setTimeout(() => {
      process.stderr.write(`extension-host tests gave no result within ${timeoutMs} ms; server log: ${server.logFile}\n`);
      resolve(1);
    }, timeoutMs).unref());
    return await Promise.race([result, timeout]);
  } finally {
    await browser?.close();
    await server.stop();
  }
}

async function viaElectron(opened: Opened): Promise<number> {
  const { runTests } = await import('@vscode/test-electron');
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-vscode-'));
  try {
    await runTests({
      extensionDevelopmentPath: extensionRoot,
      extensionTestsPath: testsPath,
      launchArgs: [opened.path, '--disable-extensions', `--user-data-dir=${userData}`, '--disable-workspace-trust'],
    });
    return 0;
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    fs.rmSync(userData, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const hostArg = process.argv.find((a) => a.startsWith('--host='))?.slice('--host='.length) ?? process.env.DUCKSTACK_VSCODE_HOST ?? 'code-server';
  if (hostArg !== 'code-server' && hostArg !== 'electron') {
    process.stderr.write(`unknown --host=${hostArg}; use code-server or electron\n`);
    process.exitCode = 2;
    return;
  }
  const fixture = await useRunFixtureProject();
  process.stdout.write(`[duckstack] extension-host tests in ${hostArg}; fixture compose project ${fixture.name} on port ${fixture.port}\n`);
  const opened = openedWorkspace();
  try {
    process.exitCode = hostArg === 'electron' ? await viaElectron(opened) : await viaCodeServer(opened);
  } finally {
    opened.dispose();
  }
}

void main();
