// Fault injection for everything DuckStack writes (issue 11, "Writes: all or nothing"): real
// ENOSPC on a small tmpfs for `lint --fix` and `new`, files that are not UTF-8, a BOM, CRLF lines,
// and literal secrets that `--fix` moves to .env. Each test states the bytes before and after;
// each suite prints how many inputs it tried and asserts crashes 0, files lost or changed unasked 0.
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describeBytes, leaveFree, mountTmpfs, runCli, snapshot, Tally, type CliRun } from './writes-support';

const execFileAsync = promisify(execFile);
const PAGE = 4096;
const TEMP = '.duckstack-tmp-';

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `duckstack-faults-${prefix}-`));
}

/** `n` services, each with a fixable host port and a literal password (one variable per service). */
function bigCompose(n: number): string {
  const lines = ['version: "3.8"', 'services:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  svc${i}:`, '    image: busybox:1.36', '    ports:', `      - "${10000 + i}:80"`, '    environment:', `      SVC${i}_PASSWORD: pw-${i}`, '    healthcheck:', '      test: ["CMD", "true"]');
  }
  return `${lines.join('\n')}\n`;
}

function checkCrash(tally: Tally, label: string, run: CliRun): void {
  if (run.crashed !== undefined) tally.crashes.push(`${label}: ${run.crashed instanceof Error ? run.crashed.stack : String(run.crashed)}`);
}

function leftovers(dir: string): string[] {
  return [...snapshot(dir).keys()].filter((p) => p.includes(TEMP));
}

suite('faults: writes are all or nothing (ENOSPC on a real tmpfs)', () => {
  const tally = new Tally('writes on a full disk');
  suiteTeardown(() => console.log(`      ${tally.summary()}`));

  test('lint --fix on a full disk: compose.yaml is the original or the fixed file, never a part; no temp file remains', async () => {
    const original = Buffer.from(bigCompose(120));
    // The results with room to spare: every fix, and every fix but the secrets (when .env cannot be written).
    const roomy = tempDir('roomy');
    fs.writeFileSync(path.join(roomy, 'compose.yaml'), original);
    assert.equal((await runCli(roomy, ['lint', '--fix'])).code, 0);
    const fixed = fs.readFileSync(path.join(roomy, 'compose.yaml'));
    const fixedEnv = fs.readFileSync(path.join(roomy, '.env'));
    const fixedGitignore = fs.readFileSync(path.join(roomy, '.gitignore'));
    fs.rmSync(roomy, { recursive: true });
    const noEnv = tempDir('no-env');
    fs.writeFileSync(path.join(noEnv, 'compose.yaml'), original);
    fs.mkdirSync(path.join(noEnv, '.env')); // not a file: the secrets cannot be moved, so they stay
    await runCli(noEnv, ['lint', '--fix']);
    const fixedButSecrets = fs.readFileSync(path.join(noEnv, 'compose.yaml'));
    fs.rmSync(noEnv, { recursive: true });
    assert.ok(!fixed.equals(original) && !fixedButSecrets.equals(original) && !fixed.equals(fixedButSecrets));
    console.log(`      before: ${describeBytes(original)}`);
    console.log(`      after, fixed: ${describeBytes(fixed)}; .env ${describeBytes(fixedEnv)}`);

    const disk = mountTmpfs(512 * 1024);
    const work = path.join(disk.dir, 'work');
    const filler = path.join(disk.dir, 'filler');
    const outcomes = { unchanged: 0, fixed: 0, fixedButSecrets: 0 };
    try {
      for (let pages = 0; pages <= 24; pages++) {
        fs.rmSync(filler, { force: true });
        fs.rmSync(work, { recursive: true, force: true });
        fs.mkdirSync(work);
        fs.writeFileSync(path.join(work, 'compose.yaml'), original);
        const free = leaveFree(filler, pages * PAGE);
        const label = `${free} bytes free`;
        tally.tried++;
        const run = await runCli(work, ['lint', '--fix', '--format', 'json']);
        checkCrash(tally, label, run);
        const after = fs.readFileSync(path.join(work, 'compose.yaml'));
        const envFile = path.join(work, '.env');
        if (after.equals(original)) {
          outcomes.unchanged++;
          assert.equal(run.code, 2, `${label}: a fix that could not be written is an I/O error`);
          assert.match(run.err, /compose\.yaml: not fixed, the file is unchanged: no space left on the device/, label);
        } else if (after.equals(fixed)) {
          outcomes.fixed++;
          assert.ok(fs.readFileSync(envFile).equals(fixedEnv), `${label}: .env holds every moved secret`);
        } else if (after.equals(fixedButSecrets)) {
          outcomes.fixedButSecrets++;
          assert.match(run.err, /SVC0_PASSWORD was left in place: .*no space left on the device/, label);
        } else {
          tally.lost.push(`${label}: compose.yaml is neither the original nor a fixed file: ${describeBytes(after)}`);
        }
        // .env is all there or not there; .gitignore too.
        if (fs.existsSync(envFile) && !fs.readFileSync(envFile).equals(fixedEnv)) tally.lost.push(`${label}: .env is partly written: ${describeBytes(fs.readFileSync(envFile))}`);
        const gitignore = path.join(work, '.gitignore');
        if (fs.existsSync(gitignore) && !fs.readFileSync(gitignore).equals(fixedGitignore)) tally.changedUnasked.push(`${label}: .gitignore is partly written`);
        for (const temp of leftovers(work)) tally.changedUnasked.push(`${label}: a temporary file was left: ${temp}`);
      }
    } finally {
      fs.rmSync(filler, { force: true });
      disk.unmount();
    }
    console.log(`      outcomes by free space: ${JSON.stringify(outcomes)}`);
    assert.ok(outcomes.unchanged > 0 && outcomes.fixed > 0, `the sweep must cover both a full and a roomy disk: ${JSON.stringify(outcomes)}`);
    assert.deepEqual(tally.crashes, []);
    assert.deepEqual(tally.lost, []);
    assert.deepEqual(tally.changedUnasked, []);
  });

  test('new on a full disk: nothing at all remains (no temporary file, no folder), then a roomy disk gets every file', async () => {
    const disk = mountTmpfs(1024 * 1024);
    const parent = path.join(disk.dir, 'projects');
    const filler = path.join(disk.dir, 'filler');
    let failures = 0;
    let written: string[] | undefined;
    try {
      for (let pages = 0; pages < 200 && written === undefined; pages++) {
        // Two targets per amount of space: a folder to create, and an existing empty one.
        for (const target of ['fork', 'existing']) {
          fs.rmSync(filler, { force: true });
          fs.rmSync(parent, { recursive: true, force: true });
          fs.mkdirSync(path.join(parent, 'existing'), { recursive: true });
          const before = snapshot(parent);
          const free = leaveFree(filler, pages * PAGE);
          const label = `new ${target} with ${free} bytes free`;
          tally.tried++;
          const run = await runCli(parent, ['new', target, '--name', 'full-disk']);
          checkCrash(tally, label, run);
          if (run.code === 0) {
            written = [...snapshot(path.join(parent, target)).keys()].filter((p) => !p.endsWith('/'));
            continue;
          }
          failures++;
          assert.match(run.err, /Nothing was written to .*: no space left on the device\./, label);
          const after = snapshot(parent);
          const added = [...after.keys()].filter((p) => !before.has(p));
          if (added.length > 0) tally.changedUnasked.push(`${label}: left behind ${added.join(', ')}`);
          if (!before.has('existing/') || !after.has('existing/')) tally.lost.push(`${label}: the existing target folder is gone`);
        }
      }
    } finally {
      fs.rmSync(filler, { force: true });
      disk.unmount();
    }
    console.log(`      new: ${failures} runs on a full disk left nothing; the first roomy one wrote ${written?.length} files`);
    assert.ok(failures >= 40, `the sweep must fail at many points of the write (${failures})`);
    assert.ok(written && written.length >= 40 && written.includes('docker-compose.yml'), 'with room, the fork is written');
    assert.deepEqual(tally.crashes, []);
    assert.deepEqual(tally.lost, []);
    assert.deepEqual(tally.changedUnasked, []);
  });
});

suite('faults: bytes DuckStack must not change (invalid UTF-8, BOM, CRLF)', () => {
  const tally = new Tally('encodings and line ends');
  suiteTeardown(() => console.log(`      ${tally.summary()}`));
  let dir: string;
  setup(() => {
    dir = tempDir('bytes');
  });
  teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  const INVALID: Array<[string, number[]]> = [
    ['a lone 0xFF', [0xff]],
    ['Latin-1 é (0xE9)', [0x63, 0x61, 0x66, 0xe9]],
    ['an overlong slash (0xC0 0xAF)', [0xc0, 0xaf]],
    ['a UTF-16 surrogate (0xED 0xA0 0x80)', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF (0xF4 0x90 0x80 0x80)', [0xf4, 0x90, 0x80, 0x80]],
    ['a lone continuation byte (0x80)', [0x80]],
    ['a five-byte form (0xF8 0x88 0x80 0x80 0x80)', [0xf8, 0x88, 0x80, 0x80, 0x80]],
    ['a sequence cut short (0xE2 0x82) at the end', [0xe2, 0x82]],
  ];
  for (const [label, bad] of INVALID) {
    test(`lint --fix never rewrites a file that is not UTF-8: ${label}; a finding says why`, async () => {
      const atEnd = label.includes('at the end');
      const head = Buffer.from('services:\n  db:\n    image: postgres:16\n    ports:\n      - "5432:5432"\n');
      const comment = Buffer.concat([Buffer.from('# note: '), Buffer.from(bad), Buffer.from(atEnd ? '' : '\n')]);
      const before = atEnd ? Buffer.concat([head, comment]) : Buffer.concat([head.subarray(0, 10), comment, head.subarray(10)]);
      fs.writeFileSync(path.join(dir, 'compose.yaml'), before);
      tally.tried++;
      const run = await runCli(dir, ['lint', '--fix', '--format', 'json']);
      checkCrash(tally, label, run);
      const after = fs.readFileSync(path.join(dir, 'compose.yaml'));
      console.log(`      ${label}: before ${describeBytes(before)}; after ${after.equals(before) ? 'the same bytes' : describeBytes(after)}`);
      if (!after.equals(before)) tally.changedUnasked.push(`${label}: rewritten as ${describeBytes(after)}`);
      const findings = JSON.parse(run.out) as Array<{ ruleId: string; line: number; message: string; fixable: boolean }>;
      const why = findings.find((f) => f.ruleId === 'file-not-utf8');
      assert.ok(why, `a file-not-utf8 finding: ${run.out}`);
      assert.equal(why.line, atEnd ? 6 : 2);
      assert.match(why.message, /not valid UTF-8 \(byte 0x[0-9a-f]{2} at offset \d+ is not UTF-8\): DuckStack does not rewrite it/);
      assert.ok(findings.some((f) => f.ruleId === 'compose-host-port-variable' && !f.fixable), 'findings are still reported, without a fix');
      assert.deepEqual(fs.readdirSync(dir), ['compose.yaml'], 'no .env, no temporary file');
      assert.deepEqual(tally.crashes, []);
      assert.deepEqual(tally.changedUnasked, []);
    });
  }

  test('a BOM and CRLF lines are kept; inserted lines end with CRLF (exact bytes)', async () => {
    const before = Buffer.from('\uFEFFservices:\r\n  db:\r\n    image: postgres:16\r\n    ports:\r\n      - "5432:5432"\r\n    volumes:\r\n      - /var/lib/postgresql/data\r\n    healthcheck:\r\n      test: ["CMD", "pg_isready"]\r\n');
    const expected = Buffer.from('\uFEFFservices:\r\n  db:\r\n    image: postgres:16\r\n    ports:\r\n      - "${DB_PORT:-5432}:5432"\r\n    volumes:\r\n      - "db_data:/var/lib/postgresql/data"\r\n    healthcheck:\r\n      test: ["CMD", "pg_isready"]\r\nvolumes:\r\n  db_data:\r\n');
    fs.writeFileSync(path.join(dir, 'compose.yaml'), before);
    tally.tried++;
    const run = await runCli(dir, ['lint', '--fix']);
    checkCrash(tally, 'BOM + CRLF', run);
    const after = fs.readFileSync(path.join(dir, 'compose.yaml'));
    console.log(`      before ${describeBytes(before)}\n      after  ${describeBytes(after)}`);
    assert.equal(after.toString('latin1'), expected.toString('latin1'));
    assert.equal(run.code, 0, run.out + run.err);
  });

  // Every fixable compose rule, each file in four byte forms: the fix is the same, the form stays.
  const DOCS = [
    'version: "3.8"\nservices:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "true"]\n',
    'services:\n  dagster:\n    image: busybox:1\n    ports:\n      - "3000:3000"\n      - "127.0.0.1:4000:4000"\n    healthcheck:\n      test: ["CMD", "true"]\n',
    'services:\n  pg:\n    image: postgres:16\n    volumes:\n      - /var/lib/postgresql/data\n    healthcheck:\n      test: ["CMD", "true"]\n# end\n',
    'services:\n  app:\n    image: busybox:1\n    depends_on:\n      - db\n    healthcheck:\n      test: ["CMD", "true"]\n  db:\n    image: postgres:16\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n',
    'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: changeme\n',
    'services:\n  superset:\n    image: apache/superset:5.0.0\n    environment:\n      - SUPERSET_SECRET_KEY=${SUPERSET_SECRET:-not-secret}\n      - ADMIN_PASSWORD=admin\n    healthcheck:\n      test: ["CMD", "true"]\n',
    'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: changeme\n    healthcheck:\n      test: ["CMD", "true"]\n',
    'services:\n  web:\n    image: nginx\n    ports: ["8080:80"]\n    healthcheck: { test: ["CMD", "true"] }\n',
  ];
  const FORMS: Array<[string, (lf: string) => Buffer]> = [
    ['LF', (t) => Buffer.from(t)],
    ['CRLF', (t) => Buffer.from(t.replace(/\n/g, '\r\n'))],
    ['BOM + LF', (t) => Buffer.from(`\uFEFF${t}`)],
    ['BOM + CRLF', (t) => Buffer.from(`\uFEFF${t.replace(/\n/g, '\r\n')}`)],
  ];
  test(`${DOCS.length} compose files × ${FORMS.length} byte forms: the same fixes, the BOM and line ends kept, no mixed lines`, async () => {
    let changedForms = 0;
    for (const [i, doc] of DOCS.entries()) {
      const reference = tempDir('reference');
      fs.writeFileSync(path.join(reference, 'compose.yaml'), doc);
      await runCli(reference, ['lint', '--fix']);
      const fixedLf = fs.readFileSync(path.join(reference, 'compose.yaml'), 'utf8');
      fs.rmSync(reference, { recursive: true });
      if (fixedLf !== doc) changedForms++;
      for (const [form, encode] of FORMS) {
        const label = `doc ${i} as ${form}`;
        const work = fs.mkdtempSync(path.join(dir, 'form-'));
        fs.writeFileSync(path.join(work, 'compose.yaml'), encode(doc));
        tally.tried++;
        const run = await runCli(work, ['lint', '--fix']);
        checkCrash(tally, label, run);
        const after = fs.readFileSync(path.join(work, 'compose.yaml'));
        const expected = encode(fixedLf);
        if (!after.equals(expected)) tally.changedUnasked.push(`${label}: expected ${describeBytes(expected)}, got ${describeBytes(after)}`);
        const text = after.toString('utf8');
        if (form.includes('CRLF') && /(^|[^\r])\n/.test(text)) tally.changedUnasked.push(`${label}: a bare LF in a CRLF file`);
        for (const temp of leftovers(work)) tally.changedUnasked.push(`${label}: temporary file left: ${temp}`);
      }
    }
    assert.ok(changedForms >= DOCS.length - 1, 'the documents have fixes to apply');
    assert.deepEqual(tally.crashes, []);
    assert.deepEqual(tally.changedUnasked, []);
  });

  test('a replaced file keeps its mode, and a symbolic link stays a link to the fixed file', async () => {
    const real = path.join(dir, 'real.yaml');
    fs.writeFileSync(real, 'services:\n  web:\n    image: nginx:1\n    ports: ["8080:80"]\n    healthcheck: { test: ["CMD", "true"] }\n');
    fs.chmodSync(real, 0o640);
    fs.symlinkSync('real.yaml', path.join(dir, 'compose.yaml'));
    tally.tried++;
    const run = await runCli(dir, ['lint', '--fix', 'compose.yaml']);
    checkCrash(tally, 'mode and link', run);
    assert.equal(fs.statSync(real).mode & 0o7777, 0o640);
    assert.ok(fs.lstatSync(path.join(dir, 'compose.yaml')).isSymbolicLink());
    assert.match(fs.readFileSync(real, 'utf8'), /"\$\{WEB_PORT:-8080\}:80"/);
    assert.deepEqual(tally.crashes, []);
  });
});

suite('faults: --fix moves literal secrets to .env before removing them', () => {
  const tally = new Tally('secrets moved to .env');
  suiteTeardown(() => console.log(`      ${tally.summary()}`));
  let dir: string;
  setup(() => {
    dir = tempDir('secrets');
  });
  teardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string): string => path.join(dir, name);
  const read = (name: string): string => fs.readFileSync(file(name), 'utf8');
  const git = (...args: string[]): number | null => spawnSync('git', args, { cwd: dir, stdio: 'ignore' }).status;

  /** What each service's container gets, as docker compose itself reads the files. */
  async function environments(): Promise<Record<string, Record<string, string>>> {
    const version = await execFileAsync('docker', ['compose', 'version'], { cwd: dir }).catch((e: Error) => e);
    assert.ok(!(version instanceof Error), `docker compose v2 is needed: run \`eval "$(scripts/ensure-docker.sh)"\` first (${version instanceof Error ? version.message : ''})`);
    const { stdout } = await execFileAsync('docker', ['compose', 'config', '--format', 'json'], { cwd: dir });
    const config = JSON.parse(stdout) as { services: Record<string, { environment?: Record<string, string> }> };
    return Object.fromEntries(Object.entries(config.services).map(([name, s]) => [name, s.environment ?? {}]));
  }

  const SECRETS = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    environment:',
    '      POSTGRES_PASSWORD: "it\'s a $$ecret"',
    '      API_TOKEN: tok-123',
    '    healthcheck:',
    '      test: ["CMD", "true"]',
    '  superset:',
    '    image: apache/superset:5.0.0',
    '    environment:',
    '      - ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}',
    '    healthcheck:',
    '      test: ["CMD", "true"]',
    '',
  ].join('\n');

  test('every literal goes to a new .env (mode 600, git-ignored): the containers get the same values (docker compose config)', async () => {
    // A literal `$$` in compose is one `$`: the rule leaves values with `$` alone, so this one stays.
    fs.writeFileSync(file('compose.yaml'), SECRETS);
    const before = await environments();
    tally.tried++;
    const run = await runCli(dir, ['lint', '--fix']);
    checkCrash(tally, 'new .env', run);
    console.log(`      .env after: ${JSON.stringify(read('.env'))}`);
    assert.equal(read('.env'), "# Moved from compose.yaml by DuckStack\nAPI_TOKEN='tok-123'\nADMIN_PASSWORD='admin'\n");
    assert.equal(fs.statSync(file('.env')).mode & 0o777, 0o600);
    assert.equal(read('.gitignore'), '/.env\n');
    assert.match(read('compose.yaml'), /API_TOKEN: "\$\{API_TOKEN:\?set API_TOKEN in \.env\}"/);
    assert.match(read('compose.yaml'), /- "ADMIN_PASSWORD=\$\{ADMIN_PASSWORD:\?set ADMIN_PASSWORD in \.env\}"/);
    assert.deepEqual(await environments(), before, 'every container gets the value it had');
    assert.doesNotMatch(run.err + run.out, /tok-123|'admin'/, 'values are never printed');
    assert.deepEqual(tally.crashes, []);
  });

  test('an existing .env: a variable with the same value is reused, another value is never overwritten and that literal stays', async () => {
    const envBefore = Buffer.from('# mine\r\nAPI_TOKEN=tok-123\r\nADMIN_PASSWORD=s3cret'); // CRLF, no final line end
    fs.writeFileSync(file('.env'), envBefore);
    fs.writeFileSync(file('compose.yaml'), SECRETS);
    const composeBefore = read('compose.yaml');
    tally.tried++;
    const run = await runCli(dir, ['lint', '--fix']);
    checkCrash(tally, 'existing .env', run);
    const envAfter = fs.readFileSync(file('.env'));
    console.log(`      .env before: ${describeBytes(envBefore)}\n      .env after:  ${describeBytes(envAfter)}`);
    assert.ok(envAfter.equals(envBefore), '.env is unchanged: API_TOKEN was there with the same value, ADMIN_PASSWORD with another');
    assert.match(run.err, /ADMIN_PASSWORD was left in place: \.env already sets ADMIN_PASSWORD to another value/);
    assert.doesNotMatch(run.err, /s3cret|admin'/);
    const after = read('compose.yaml');
    assert.match(after, /API_TOKEN: "\$\{API_TOKEN:\?set API_TOKEN in \.env\}"/);
    assert.ok(after.includes('ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}'), 'the default that .env would contradict stays as typed');
    assert.notEqual(after, composeBefore);
    assert.equal(run.code, 1, 'the literal left in place is still an error finding');
    if (!envAfter.equals(envBefore)) tally.changedUnasked.push('.env');
    assert.deepEqual(tally.crashes, []);
  });

  test('.env gets lines in its own line ends and keeps every byte it had', async () => {
    const envBefore = Buffer.from('\uFEFFOTHER=1\r\nLAST=x'); // BOM, CRLF, no final line end
    fs.writeFileSync(file('.env'), envBefore);
    fs.writeFileSync(file('compose.yaml'), 'services:\n  db:\n    image: postgres:16\n    environment:\n      DB_PASSWORD: pw\n    healthcheck:\n      test: ["CMD", "true"]\n');
    tally.tried++;
    checkCrash(tally, 'CRLF .env', await runCli(dir, ['lint', '--fix']));
    const envAfter = fs.readFileSync(file('.env'));
    assert.equal(envAfter.toString('latin1'), Buffer.from("\uFEFFOTHER=1\r\nLAST=x\r\n# Moved from compose.yaml by DuckStack\r\nDB_PASSWORD='pw'\r\n").toString('latin1'));
    assert.deepEqual(tally.crashes, []);
  });

  test('a .env that is not UTF-8 is never rewritten, so the literal stays in compose', async () => {
    const envBefore = Buffer.from([0x4e, 0x41, 0x4d, 0x45, 0x3d, 0x63, 0x61, 0x66, 0xe9, 0x0a]); // NAME=café in Latin-1
    fs.writeFileSync(file('.env'), envBefore);
    const composeBefore = 'services:\n  db:\n    image: postgres:16\n    environment:\n      DB_PASSWORD: pw\n    healthcheck:\n      test: ["CMD", "true"]\n';
    fs.writeFileSync(file('compose.yaml'), composeBefore);
    tally.tried++;
    const run = await runCli(dir, ['lint', '--fix']);
    checkCrash(tally, 'latin-1 .env', run);
    assert.ok(fs.readFileSync(file('.env')).equals(envBefore));
    assert.equal(read('compose.yaml'), composeBefore);
    assert.match(run.err, /DB_PASSWORD was left in place: .*\.env is not valid UTF-8/);
    assert.deepEqual(tally.crashes, []);
  });

  test('in a git work tree: .env already ignored leaves .gitignore alone; otherwise /.env is added and git then ignores it', async () => {
    assert.equal(git('init', '-q'), 0, 'git init');
    fs.writeFileSync(file('.gitignore'), '*.env\n.env\n');
    fs.mkdirSync(file('sub'));
    fs.writeFileSync(file('sub/compose.yaml'), 'services:\n  db:\n    image: postgres:16\n    environment:\n      DB_PASSWORD: pw\n    healthcheck:\n      test: ["CMD", "true"]\n');
    tally.tried++;
    checkCrash(tally, 'git ignored', await runCli(dir, ['lint', '--fix']));
    assert.equal(read('sub/.env'), "# Moved from compose.yaml by DuckStack\nDB_PASSWORD='pw'\n");
    assert.ok(!fs.existsSync(file('sub/.gitignore')), 'the root .gitignore already ignores sub/.env');

    fs.writeFileSync(file('.gitignore'), 'node_modules/');
    fs.rmSync(file('sub/.env'));
    fs.writeFileSync(file('sub/compose.yaml'), 'services:\n  db:\n    image: postgres:16\n    environment:\n      DB_PASSWORD: pw\n    healthcheck:\n      test: ["CMD", "true"]\n');
    assert.equal(git('check-ignore', '-q', 'sub/.env'), 1, 'not ignored before');
    tally.tried++;
    checkCrash(tally, 'git not ignored', await runCli(dir, ['lint', '--fix']));
    assert.equal(read('sub/.gitignore'), '/.env\n');
    assert.equal(git('check-ignore', '-q', 'sub/.env'), 0, 'ignored after');
    assert.equal(read('.gitignore'), 'node_modules/', 'the root .gitignore is not touched');
    assert.deepEqual(tally.crashes, []);
  });
});

suite('faults: new into a folder that is not empty', () => {
  const tally = new Tally('new into existing folders');
  suiteTeardown(() => console.log(`      ${tally.summary()}`));
  let parent: string;
  setup(() => {
    parent = tempDir('nonempty');
  });
  teardown(() => fs.rmSync(parent, { recursive: true, force: true }));

  test('an unrelated file: refused with the reason and the flag, the folder byte for byte as it was', async () => {
    const dir = path.join(parent, 'notes');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'todo.txt'), 'mine\n');
    const before = snapshot(dir);
    tally.tried++;
    const run = await runCli(parent, ['new', 'notes']);
    checkCrash(tally, 'unrelated file', run);
    assert.equal(run.code, 2);
    assert.match(run.err, /is not empty: it holds todo\.txt, not part of the fork\. A fork is created in a new or empty folder \(one holding only \.git, \.DS_Store, Thumbs\.db, desktop\.ini counts as empty\)\./);
    assert.match(run.err, /--allow-nonempty/);
    assert.deepEqual(snapshot(dir), before);

    tally.tried++;
    const allowed = await runCli(parent, ['new', 'notes', '--allow-nonempty']);
    checkCrash(tally, 'allowed', allowed);
    assert.equal(allowed.code, 0, allowed.err);
    assert.equal(fs.readFileSync(path.join(dir, 'todo.txt'), 'utf8'), 'mine\n', 'kept');
    assert.ok(fs.existsSync(path.join(dir, 'docker-compose.yml')));
    assert.deepEqual(tally.crashes, []);
  });

  test('a folder holding only .git counts as empty', async () => {
    const dir = path.join(parent, 'repo');
    fs.mkdirSync(dir);
    assert.equal(spawnSync('git', ['init', '-q'], { cwd: dir }).status, 0);
    tally.tried++;
    const run = await runCli(parent, ['new', 'repo']);
    checkCrash(tally, '.git only', run);
    assert.equal(run.code, 0, run.err);
    assert.ok(fs.existsSync(path.join(dir, 'docker-compose.yml')));
    assert.deepEqual(tally.crashes, []);
  });
});
