// @vscode/test-cli (`npx vscode-test`): the extension-host suite in desktop VS Code, on a machine
// that can download it (@vscode/test-cli wants Node 22). The same compiled suite runs here through
// `npm test -- --only=vscode` (scripts/test.mjs, code-server in headless Chromium). Compile first
// with `npx tsc -p .`.
import { defineConfig } from '@vscode/test-cli';

export default defineConfig([
  {
    label: 'extension-host',
    files: 'out/test/vscode/**/*.test.js',
    // The multi-root workspace the code-server run opens too (tests add and remove folders).
    workspaceFolder: 'test/fixtures/extension-tests.code-workspace',
    mocha: { ui: 'tdd', timeout: 120_000 },
    launchArgs: ['--disable-extensions', '--disable-workspace-trust'],
  },
]);
