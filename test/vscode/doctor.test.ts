import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DuckStackApi } from '../../src/extension';
import type { DoctorReport } from '../../src/core/doctor';
import { poll } from './poll';

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
}

suite('Diagnose Service (extension host, real Docker engine)', () => {
  let api: DuckStackApi;
  let dir: string;

  suiteSetup(async () => {
    assert.ok(process.env.DOCKER_HOST, 'DOCKER_HOST is not set: the test runner (npm test) starts a Docker engine and exports it');
    const extension = vscode.extensions.getExtension<DuckStackApi>('duckstack.duckstack');
    assert.ok(extension);
    api = await extension.activate();
    // A project of its own, outside the workspace, never started: nothing to clean up in Docker.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-diagnose-'));
    fs.writeFileSync(
      path.join(dir, 'compose.yaml'),
      `name: dsdiag${process.pid}\nservices:\n  app:\n    image: local/busybox:404\n    environment:\n      API_TOKEN: "\${DIAGNOSE_TEST_TOKEN}"\n`,
    );
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a service named by folder: the report finds the unset variable and the image that cannot be pulled, and opens', async () => {
    const report = await vscode.commands.executeCommand<DoctorReport>('duckstack.service.diagnose', { projectDir: dir, service: 'app' });
    assert.ok(report, 'the command returned no report');
    assert.equal(api.doctor.shown, report);
    assert.deepEqual(report.services.map((s) => [s.service, s.state, s.problem]), [['app', 'not created', true]]);
    const byArea = new Map(report.services[0].findings.map((f) => [f.area, f]));
    assert.deepEqual(byArea.get('environment'), {
      area: 'environment',
      status: 'found',
      reason: 'A variable it uses is not set: DIAGNOSE_TEST_TOKEN.',
      evidence: ['DIAGNOSE_TEST_TOKEN: unset'],
      action: 'Set DIAGNOSE_TEST_TOKEN in .env (or in the environment compose runs in).',
    });
    assert.equal(byArea.get('image')?.status, 'found');
    assert.match(byArea.get('image')?.reason ?? '', /^local\/busybox:404 is not present locally, and its registry registry-1\.docker\.io cannot be reached/);
    const tab = await poll(() => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Diagnosis: app'));
    assert.ok(tab, `the report panel did not open; tabs: ${tabLabels().join(', ')}`);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
    const html = api.doctor.html ?? '';
    assert.match(html, /<h2 data-service="app">app — not created<\/h2>/);
    assert.match(html, /<tr class="found" data-area="environment">/);
  });

  test('a failing build: the report links its Dockerfile at the failing line', async () => {
    // Its own project; the build fails, so no image is left behind.
    const built = fs.mkdtempSync(path.join(os.tmpdir(), 'duckstack-diagnose-build-'));
    try {
      fs.writeFileSync(path.join(built, 'compose.yaml'), `name: dsdiagbuild${process.pid}\nservices:\n  app:\n    build: .\n`);
      const dockerfile = path.join(built, 'Dockerfile');
      fs.writeFileSync(dockerfile, 'FROM local/busybox:1\nRUN exit 3\n');
      const report = await vscode.commands.executeCommand<DoctorReport>('duckstack.service.diagnose', { projectDir: built, service: 'app' });
      assert.ok(report, 'the command returned no report');
      const image = report.services[0]?.findings.find((f) => f.area === 'image');
      assert.deepEqual(image?.build, { step: 'RUN exit 3', dockerfile, line: 2 });
      // openFileAt's line is 0-based.
      const href = `command:duckstack.openFileAt?${encodeURIComponent(JSON.stringify([{ file: dockerfile, line: 1 }]))}`;
      assert.ok((api.doctor.html ?? '').includes(`<a href="${href}">Open Dockerfile line 2</a>`), api.doctor.html);
    } finally {
      fs.rmSync(built, { recursive: true, force: true });
    }
  });

  test('from the Platform Services tree: a service node of the workspace project is diagnosed by name', async () => {
    const [project] = await api.services.getProjects();
    assert.ok(project, 'no compose project in the workspace');
    const node = await api.services.revealService(project.dir, 'web');
    assert.ok(node, 'the tree has no node for web');
    const report = await vscode.commands.executeCommand<DoctorReport>('duckstack.service.diagnose', node);
    assert.ok(report);
    assert.deepEqual(report.services.map((s) => s.service), ['web']);
    assert.deepEqual(report.services[0].findings.map((f) => f.area), ['state', 'health', 'logs', 'dependencies', 'ports', 'environment', 'image', 'duckdb', 'versions']);
    assert.equal(api.doctor.shown, report);
    assert.ok(await poll(() => tabLabels().find((l) => l === 'Diagnosis: web')), `tabs: ${tabLabels().join(', ')}`);
  });
});
