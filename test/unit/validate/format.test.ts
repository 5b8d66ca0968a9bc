// The report formats: JSON that round-trips, JUnit XML that a strict reader accepts with counts that
// match, and text with one mark per check; the CLI's usage errors.
import * as assert from 'node:assert/strict';
import { cli } from '../../../src/cli';
import type { CliIo } from '../../../src/cli/io';
import { formatJson, formatJunit, formatText, summarize, type Check, type ValidationReport } from '../../../src/core/validate';
import { xmlEscape } from '../../../src/core/validate/format';
import { parseXml, type XmlElement } from './support';

const NASTY = 'a & b < c > d "q" \'s\' \u001b[31mred\u001b[0m \u0007bell 🦆';

function report(checks: Check[]): ValidationReport {
  const summary = summarize(checks);
  return { dir: '/fork', project: 'fork', startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1234, restarted: false, checks, summary, ok: summary.failed === 0 };
}

const CHECKS: Check[] = [
  { id: 'service:web', title: 'web is running and healthy', group: 'services', status: 'pass', reason: 'healthy.', evidence: [], service: 'web' },
  { id: 'logs:dagster', title: 'No error lines in dagster’s recent logs', group: 'services', status: 'fail', reason: `1 error line (${NASTY})`, evidence: [`ERROR ${NASTY}`, 'second </failure> line'], service: 'dagster' },
  { id: 'cube-meta', title: 'Cube lists its cubes', group: 'services', status: 'not-checked', reason: 'Cube is not in the stack.', evidence: [] },
  { id: 'data:marts', title: 'marts holds tables with rows', group: 'data', status: 'pass', reason: '2 tables.', evidence: ['dev.duckdb marts.fct_orders: 40 rows'] },
  { id: 'readme', title: 'The README names setup steps and the URLs', group: 'docs', status: 'fail', reason: 'No README in the fork.', evidence: [], file: '/fork/README.md', line: 3 },
];

function elements(root: XmlElement, name: string): XmlElement[] {
  return [root, ...root.children.flatMap((c) => elements(c, name))].filter((e) => e.name === name);
}

function io(): CliIo & { stdout: string; stderr: string } {
  const state = {
    cwd: process.cwd(),
    env: process.env,
    stdout: '',
    stderr: '',
    out(t: string) {
      state.stdout += t;
    },
    err(t: string) {
      state.stderr += t;
    },
  };
  return state;
}

suite('validate: report formats', () => {
  test('JSON parses back to the same report', () => {
    const r = report(CHECKS);
    assert.deepEqual(JSON.parse(formatJson(r)), r);
  });

  test('JUnit XML is well-formed, its counts match its elements, and nasty text is escaped', () => {
    const xml = formatJunit(report(CHECKS));
    const root = parseXml(xml);
    assert.equal(root.name, 'testsuites');
    const suites = elements(root, 'testsuite');
    assert.deepEqual(suites.map((s) => s.attributes.name), ['Services', 'Data flow', 'Documentation']);
    for (const s of [root, ...suites]) {
      const cases = elements(s, 'testcase');
      assert.equal(Number(s.attributes.tests), cases.length, s.attributes.name);
      assert.equal(Number(s.attributes.failures), cases.filter((c) => elements(c, 'failure').length === 1).length);
      assert.equal(Number(s.attributes.skipped), cases.filter((c) => elements(c, 'skipped').length === 1).length);
      assert.equal(s.attributes.errors, '0');
    }
    assert.equal(root.attributes.tests, '5');
    assert.equal(root.attributes.failures, '2');
    assert.equal(root.attributes.skipped, '1');
    const failure = elements(root, 'failure')[0];
    // Colour codes are dropped, the bell is written out as \x07; everything else comes back as written.
    assert.equal(failure.attributes.message, '1 error line (a & b < c > d "q" \'s\' red \\x07bell 🦆)');
    assert.equal(failure.text, 'ERROR a & b < c > d "q" \'s\' red \\x07bell 🦆\nsecond </failure> line');
    assert.equal(elements(root, 'testcase')[1].attributes.name, 'logs:dagster: No error lines in dagster’s recent logs');
  });

  test('the strict reader rejects what is not well-formed XML', () => {
    assert.throws(() => parseXml('<a><b></a></b>'), /closes/);
    assert.throws(() => parseXml('<a x="1 & 2"/>'), /unescaped &/);
    assert.throws(() => parseXml('<a>\u0007</a>'), /control character/);
    assert.throws(() => parseXml('<a/><b/>'), /more than one root/);
    assert.throws(() => parseXml('<a>'), /unclosed/);
  });

  test('xmlEscape keeps surrogate pairs and drops lone halves', () => {
    assert.equal(xmlEscape('🦆'), '🦆');
    assert.equal(xmlEscape('a\ud800b'), 'ab');
  });

  test('text has a ✓ ✗ – mark per check, evidence and place under failures, and the summary', () => {
    const text = formatText(report(CHECKS));
    const marks = text.split('\n').filter((l) => /^ {2}[✓✗–] {2}/.test(l)).map((l) => l.trim()[0]);
    assert.deepEqual(marks, ['✓', '✗', '–', '✓', '✗']);
    assert.match(text, /\n {7}ERROR a & b < c > d "q" 's' red \\x07bell 🦆\n/);
    assert.match(text, /\n {7}at README\.md:4\n/);
    assert.doesNotMatch(text, /\u001b/);
    assert.match(text, /2 passed, 2 failed, 1 not checked \(1\.2 s\)\n$/);
  });

  test('CLI usage errors exit 2 with the usage line', async () => {
    for (const args of [['--format', 'xml'], ['--bogus'], ['a', 'b'], ['--format']]) {
      const out = io();
      assert.equal(await cli(['validate', ...args], out), 2, args.join(' '));
      assert.match(out.stderr, /Usage: duckstack validate \[dir\] \[--restart\] \[--format text\|json\|junit\]/);
    }
    const missing = io();
    assert.equal(await cli(['validate', '/nonexistent/duckstack-fork'], missing), 2);
    assert.match(missing.stderr, /is not a folder/);
  });
});
