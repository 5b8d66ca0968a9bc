// Fault injection on real files: FIFOs, character devices, unreadable files and folders (as an
// unprivileged user), alias bombs behind include:, huge and deeply nested files. Every run is a
// child process with a timeout; the suite prints how many inputs it tried and asserts crashes 0,
// hangs 0 and files changed unasked 0.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aliasBomb, compareSnapshots, COMPOSE, GOLDEN, mkfifo, newTally, reportTally, runCli, snapshot, tempProject, type Run } from './robust-support';

interface JsonFinding { file: string; ruleId: string; line: number }
interface SarifLog { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }

const tally = newTally();
/** Quick runs: a hang shows within seconds. */
const QUICK = 15_000;

function sarifFiles(out: string): string[] {
  const log = JSON.parse(out) as SarifLog;
  return log.runs.flatMap((r) => r.results.map((x) => `${x.locations[0].physicalLocation.artifactLocation.uri} ${x.ruleId}`)).sort();
}

suite('fault injection: never hang, never hide', function () {
  this.timeout(600_000);
  const dirs: string[] = [];
  const project = (prefix: string): string => {
    const dir = tempProject(`duckstack-fault-${prefix}-`);
    dirs.push(dir);
    return dir;
  };
  /** Runs the CLI and checks the folder is byte for byte what it was. */
  const lint = (label: string, dir: string, args: string[], options: { asNobody?: boolean; timeoutMs?: number } = {}): Run => {
    const before = snapshot(dir);
    const run = runCli(tally, label, dir, args, { timeoutMs: QUICK, ...options });
    compareSnapshots(tally, label, before, snapshot(dir));
    return run;
  };

  suiteTeardown(() => {
    for (const dir of dirs) {
      spawnChmod(dir);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--golden on a character device, a FIFO or a folder is a usage error (exit 2) saying what it is', () => {
    const dir = project('golden');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    mkfifo(path.join(dir, 'golden.fifo'));
    fs.mkdirSync(path.join(dir, 'golden-folder'));
    const cases: Array<[string, RegExp]> = [
      ['/dev/zero', /--golden \/dev\/zero: is a character device, not a regular file/],
      ['golden.fifo', /--golden golden\.fifo: is a FIFO \(named pipe\), not a regular file/],
      ['golden-folder', /--golden golden-folder: is a folder, not a regular file/],
    ];
    for (const [golden, message] of cases) {
      const run = lint(`--golden ${golden}`, dir, ['lint', '--golden', golden]);
      assert.equal(run.code, 2, `${golden}: ${run.err}`);
      assert.match(run.err, message);
      assert.equal(run.out, '');
    }
  });

  test('a FIFO or a device where DuckStack reads a file never blocks: it is named as an I/O error and the rest is linted', () => {
    // Each of these names is read by lint: context files, a compose file, an included file.
    const names = ['.env', '.env.example', 'golden_versions.md', 'docker-compose.override.yml', 'stacks/extra.yml', 'Dockerfile'];
    for (const name of names) {
      const dir = project('fifo');
      fs.mkdirSync(path.join(dir, 'stacks'));
      fs.writeFileSync(path.join(dir, 'docker-compose.yml'), `include:\n  - stacks/extra.yml\n${COMPOSE}`);
      if (name !== 'golden_versions.md') fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
      mkfifo(path.join(dir, name));
      for (const format of ['stylish', 'json', 'sarif']) {
        const run = lint(`FIFO ${name} (${format})`, dir, ['lint', '--format', format]);
        assert.equal(run.code, 2, `${name} ${format}: exit ${run.code}\n${run.err}`);
        assert.ok(run.err.includes(`${name}: is a FIFO (named pipe), not a regular file`), `${name} ${format}: ${run.err}`);
        assert.match(run.out, /docker-compose\.yml/, `${name} ${format}: the other file's finding is reported`);
      }
    }
    // A compose file that is a link to /dev/zero, named on the command line.
    const dir = project('zero');
    fs.symlinkSync('/dev/zero', path.join(dir, 'compose.yaml'));
    const run = lint('compose.yaml -> /dev/zero', dir, ['lint', 'compose.yaml']);
    assert.equal(run.code, 2);
    assert.match(run.err, /compose\.yaml: is a character device, not a regular file/);
    // .duckstack.json as a FIFO: the configuration cannot be read, a usage error.
    const config = project('config');
    fs.writeFileSync(path.join(config, 'compose.yaml'), COMPOSE);
    mkfifo(path.join(config, '.duckstack.json'));
    const configRun = lint('FIFO .duckstack.json', config, ['lint']);
    assert.equal(configRun.code, 2);
    assert.match(configRun.err, /\.duckstack\.json: is a FIFO/);
  });

  test('catalog, status and validate do not block on a FIFO .env or compose file either', () => {
    const dir = project('fifo-other');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    mkfifo(path.join(dir, '.env'));
    for (const args of [['catalog', '--json'], ['validate', '--format', 'json'], ['status', '--json']]) {
      const run = lint(`FIFO .env: ${args[0]}`, dir, args, { timeoutMs: 60_000 });
      assert.ok(run.code !== null, `${args[0]} finished`);
    }
    const validate = lint('FIFO .env: validate text', dir, ['validate'], { timeoutMs: 60_000 });
    assert.match(validate.out + validate.err, /\.env: is a FIFO \(named pipe\), not a regular file/);
  });

  test('an unreadable folder or file (as an unprivileged user) is an I/O error, exit 2; every other file is still reported', () => {
    const dir = project('perm');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), COMPOSE);
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
    fs.mkdirSync(path.join(dir, 'secret'));
    fs.writeFileSync(path.join(dir, 'secret', 'compose.yaml'), COMPOSE);
    fs.mkdirSync(path.join(dir, 'locked'));
    fs.writeFileSync(path.join(dir, 'locked', 'docker-compose.yml'), COMPOSE);
    fs.chmodSync(path.join(dir, 'secret'), 0o000);
    fs.chmodSync(path.join(dir, 'locked', 'docker-compose.yml'), 0o000);
    for (const format of ['stylish', 'json', 'sarif']) {
      const run = lint(`unreadable (${format})`, dir, ['lint', '--format', format], { asNobody: true });
      assert.equal(run.code, 2, `${format}: ${run.err}`);
      assert.match(run.err, /secret: the folder cannot be read: EACCES/);
      assert.match(run.err, /locked\/docker-compose\.yml: permission denied \(EACCES\)/);
      assert.match(run.out, /compose\.yaml/);
    }
    // The folder named on the command line is itself unreadable: still never a silent exit 0.
    const whole = lint('unreadable root', dir, ['lint', 'secret'], { asNobody: true });
    assert.equal(whole.code, 2);
    assert.match(whole.err, /secret: the folder cannot be read/);
    // An unreadable .env is a context file lint needs.
    fs.chmodSync(path.join(dir, 'secret'), 0o755);
    fs.chmodSync(path.join(dir, 'locked', 'docker-compose.yml'), 0o644);
    fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
    fs.chmodSync(path.join(dir, '.env'), 0o000);
    const env = lint('unreadable .env', dir, ['lint'], { asNobody: true });
    assert.equal(env.code, 2);
    assert.match(env.err, /\.env: permission denied \(EACCES\)/);
  });

  test('an alias bomb reached through include: is a finding on that file; the other files are linted, in text, JSON and SARIF', () => {
    const dir = project('bomb');
    fs.mkdirSync(path.join(dir, 'stacks'));
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `include:\n  - stacks/bomb.yml\n  - stacks/other.yml\n${COMPOSE}`);
    fs.writeFileSync(path.join(dir, 'stacks', 'bomb.yml'), aliasBomb());
    fs.writeFileSync(path.join(dir, 'stacks', 'other.yml'), 'services:\n  other:\n    image: postgres:15\n');
    const expected = ['compose.yaml compose-healthcheck', 'stacks/bomb.yml yaml-syntax', 'stacks/other.yml compose-healthcheck', 'stacks/other.yml compose-image-golden'];
    const text = lint('bomb behind include (stylish)', dir, ['lint']);
    assert.equal(text.code, 1, text.err);
    assert.match(text.out, /stacks\/bomb\.yml\n {2}\d+:\d+ +error +Too many alias expansions/);
    assert.match(text.out, /stacks\/other\.yml\n/);
    const json = lint('bomb behind include (json)', dir, ['lint', '--format', 'json']);
    assert.equal(json.code, 1, json.err);
    assert.deepEqual((JSON.parse(json.out) as JsonFinding[]).map((f) => `${f.file} ${f.ruleId}`).sort(), expected);
    const sarif = lint('bomb behind include (sarif)', dir, ['lint', '--format', 'sarif']);
    assert.equal(sarif.code, 1, sarif.err);
    assert.deepEqual(sarifFiles(sarif.out), expected);

    // The root compose file is the bomb and includes the other: the other is still linted.
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `include:\n  - stacks/other.yml\n${aliasBomb()}`);
    fs.rmSync(path.join(dir, 'stacks', 'bomb.yml'));
    for (const format of ['stylish', 'json', 'sarif']) {
      const run = lint(`bomb including a file (${format})`, dir, ['lint', '--format', format]);
      assert.equal(run.code, 1, `${format}: ${run.err}`);
      assert.equal(run.err, '');
      assert.match(run.out, /stacks\/other\.yml/);
      assert.match(run.out, /yaml-syntax/);
    }
  });

  test('a 10 MB compose file and a 100,000-deep nesting lint without overflowing the stack', () => {
    const dir = project('huge');
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
    const unit = (i: number): string => `  svc${i}:\n    image: postgres:15\n    environment:\n      PASSWORD: changeme\n      URL: "http://svc${i}/\${API_PATH}"\n    ports:\n      - "${10000 + (i % 50000)}:5432"\n    volumes:\n      - /var/lib/data\n`;
    const parts = ['services:\n'];
    let size = parts[0].length;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      parts.push(unit(i));
      size += parts[parts.length - 1].length;
    }
    fs.writeFileSync(path.join(dir, 'compose.yaml'), parts.join(''));
    const run = lint('10 MB compose file (json)', dir, ['lint', '--format', 'json'], { timeoutMs: 400_000 });
    assert.equal(run.code, 1, run.err.slice(0, 500));
    const findings = JSON.parse(run.out) as JsonFinding[];
    assert.ok(findings.length > 120_000, `${findings.length} findings`);
    assert.ok(findings.some((f) => f.ruleId === 'compose-hardcoded-credential'));

    const deep = project('deep');
    fs.writeFileSync(path.join(deep, 'compose.yaml'), `services: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
    fs.writeFileSync(path.join(deep, 'docker-compose.override.yml'), COMPOSE);
    const nested = lint('100,000-deep flow sequence', deep, ['lint', '--format', 'json']);
    assert.equal(nested.code, 1, nested.err);
    assert.deepEqual((JSON.parse(nested.out) as JsonFinding[]).map((f) => `${f.file} ${f.ruleId}`).sort(), ['compose.yaml yaml-syntax', 'docker-compose.override.yml compose-healthcheck']);
  });

  test('no input crashed, hung, or changed a file', () => {
    reportTally('never hang, never hide', tally);
  });
});

/** Gives folders back their permissions so the temp tree can be removed. */
function spawnChmod(dir: string): void {
  const visit = (d: string): void => {
    fs.chmodSync(d, 0o755);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.isFile()) fs.chmodSync(full, 0o644);
    }
  };
  visit(dir);
}
