// Names with control characters: a table, a column comment, a service, a folder. What DuckStack
// prints to a terminal (catalog, status, stylish lint, validate) shows them escaped, never raw, and
// `new` prints "Next steps" whose paths paste into a shell as one argument.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { escapeControl, printableLog, shellQuote, terminalJson } from '../../../src/core/terminal';
import { createDatabase } from '../duckdb/support';
import { compareSnapshots, GOLDEN, newTally, reportTally, runCli, snapshot, tempProject } from './robust-support';

/** Clears the screen, retitles the window, rings the bell, flips text direction. */
const NASTY = '\u001b[2J\u001b]0;pwned\u0007\u202e\u0085x';
const ESCAPED = '\\x1b[2J\\x1b]0;pwned\\x07\\u202e\\x85x';
/** Any byte a terminal would act on (ESC, BEL, other C0, C1, bidi overrides), but newlines and tabs of the layout. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const tally = newTally();

suite('terminal output escapes control characters', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  const project = (prefix: string): string => {
    const dir = tempProject(`duckstack-term-${prefix}-`);
    dirs.push(dir);
    return dir;
  };
  suiteTeardown(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the core helpers: escapes for the terminal, colour codes dropped from logs, arguments quoted for the shell', () => {
    assert.equal(escapeControl(`a${NASTY}b\tc\nd`), `a${ESCAPED}b\\tc\\nd`);
    assert.equal(escapeControl('plain ü 🦆 text'), 'plain ü 🦆 text');
    assert.equal(printableLog('\u001b[31mERROR\u001b[0m boom\u001b[2J'), 'ERROR boom\\x1b[2J');
    assert.equal(shellQuote('fork', 'linux'), 'fork');
    assert.equal(shellQuote('../forks/a-b_c.d', 'linux'), '../forks/a-b_c.d');
    assert.equal(shellQuote("my fork's; rm -rf ~", 'linux'), "'my fork'\\''s; rm -rf ~'");
    assert.equal(shellQuote('a\u001bb', 'linux'), "$'a\\x1bb'");
    assert.equal(shellQuote('C:\\Users\\me\\my fork', 'win32'), '"C:\\Users\\me\\my fork"');
    const json = terminalJson({ name: `t${NASTY}` });
    assert.doesNotMatch(json, RAW_CONTROL);
    assert.deepEqual(JSON.parse(json), { name: `t${NASTY}` });
  });

  test('stylish lint: a folder and a service named with control characters', () => {
    const dir = project('lint');
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
    const sub = path.join(dir, `stack${NASTY}`);
    fs.mkdirSync(sub);
    fs.writeFileSync(path.join(sub, 'compose.yaml'), `services:\n  "web\\e[2J\\a":\n    image: postgres:16\n    ports: ["8080:80"]\n`);
    const before = snapshot(dir);
    for (const format of ['stylish', 'json', 'sarif']) {
      const run = runCli(tally, `lint ${format}`, dir, ['lint', '--format', format]);
      assert.equal(run.code, 0, run.err);
      assert.doesNotMatch(run.out, RAW_CONTROL, format);
      if (format === 'stylish') {
        assert.ok(run.out.includes(`stack${ESCAPED}/compose.yaml\n`), run.out);
        assert.match(run.out, /Host port 8080 of web\\x1b\[2J\\x07 is hardcoded/);
      }
    }
    compareSnapshots(tally, 'lint', before, snapshot(dir));
  });

  test('catalog: a table, a column and comments named with control characters', async () => {
    const dir = project('catalog');
    await createDatabase(
      path.join(dir, 'warehouse.duckdb'),
      `CREATE TABLE "orders${NASTY}" ("amount${NASTY}" INTEGER);
       COMMENT ON TABLE "orders${NASTY}" IS 'loaded ${NASTY} nightly';
       COMMENT ON COLUMN "orders${NASTY}"."amount${NASTY}" IS 'in EUR ${NASTY}';`,
    );
    const before = snapshot(dir);
    const run = runCli(tally, 'catalog', dir, ['catalog', 'warehouse.duckdb'], { timeoutMs: 120_000 });
    compareSnapshots(tally, 'catalog', before, snapshot(dir));
    assert.equal(run.code, 0, run.err);
    assert.doesNotMatch(run.out, RAW_CONTROL);
    assert.ok(run.out.includes(`table orders${ESCAPED}`), run.out);
    assert.ok(run.out.includes(`-- loaded ${ESCAPED} nightly`), run.out);
    assert.ok(run.out.includes(`amount${ESCAPED}`), run.out);
    assert.ok(run.out.includes(`-- in EUR ${ESCAPED}`), run.out);
    // JSON stays JSON: the names as they are, escaped by JSON itself.
    const json = runCli(tally, 'catalog --json', dir, ['catalog', 'warehouse.duckdb', '--json'], { timeoutMs: 120_000 });
    assert.ok(json.out.includes('orders\\u001b[2J'), json.out.slice(0, 400));
  });

  test('status: a service named with control characters (needs the Docker engine on DOCKER_HOST)', () => {
    const dir = project('status');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `name: duckstack-term-status\nservices:\n  "web\\e]0;pwned\\a":\n    image: busybox\n`);
    const before = snapshot(dir);
    const run = runCli(tally, 'status', dir, ['status'], { timeoutMs: 120_000 });
    compareSnapshots(tally, 'status', before, snapshot(dir));
    assert.notEqual(run.code, 2, `Docker must be reachable for this test (eval "$(scripts/ensure-docker.sh)"): ${run.err}`);
    assert.doesNotMatch(run.out + run.err, RAW_CONTROL);
    assert.ok(run.out.includes('web\\x1b]0;pwned\\x07'), run.out);
  });

  test('validate: evidence quoting a service named with control characters', () => {
    const dir = project('validate');
    fs.writeFileSync(path.join(dir, 'golden_versions.md'), GOLDEN);
    fs.writeFileSync(path.join(dir, 'compose.yaml'), `services:\n  "web\\e[2J":\n    image: postgres:16\n    ports: ["8080:80"]\n`);
    const before = snapshot(dir);
    const run = runCli(tally, 'validate', dir, ['validate'], { timeoutMs: 180_000 });
    compareSnapshots(tally, 'validate', before, snapshot(dir));
    assert.equal(run.code, 1, run.err);
    assert.doesNotMatch(run.out, RAW_CONTROL);
    assert.match(run.out, /Host port 8080 of web\\x1b\[2J is hardcoded/);
  });

  test('new: "Next steps" quote the folder for the shell, and the quoted line reaches the folder', () => {
    const parent = project('new');
    for (const name of ["my fork's; echo pwned", `fork${'\u001b'}[2J`]) {
      const run = runCli(tally, `new ${JSON.stringify(name)}`, parent, ['new', name, '--name', 'termtest'], { timeoutMs: 120_000 });
      assert.equal(run.code, 0, run.err);
      assert.doesNotMatch(run.out, RAW_CONTROL);
      const cd = /^ {2}cd (.+)$/m.exec(run.out);
      assert.ok(cd, run.out);
      assert.equal(cd[1], shellQuote(name, 'linux'));
      // Pasted into a shell, the line enters the new folder and runs nothing else.
      const shell = spawnSync('bash', ['-c', `cd ${cd[1]} && pwd`], { cwd: parent, encoding: 'utf8' });
      assert.equal(shell.stdout, `${path.join(parent, name)}\n`, shell.stderr);
    }
  });

  test('no input crashed, hung, or changed a file', () => {
    reportTally('terminal output', tally);
  });
});
