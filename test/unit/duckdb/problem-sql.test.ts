import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { problemFromError } from '../../../src/core/duckdb/problem';
import { qualifiedName, quoteIdentifier, selectSnippet } from '../../../src/core/duckdb/sql';

const lockMessage = (pid: number): string =>
  `IO Error: Could not set lock on file "/w/02_duck_db/02_dev/dev.duckdb": Conflicting lock is held in /usr/local/bin/python3.11 (PID ${pid}) by user root. See also https://duckdb.org/docs/stable/connect/concurrency`;

suite('duckdb problems and SQL snippets', () => {
  test('a lock holder running dbt is named dbt, from its command line', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '/usr/local/bin/dbt', 'run'], { stdio: 'ignore' });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', () => resolve());
        child.once('error', reject);
      });
      const pid = child.pid ?? -1;
      const problem = problemFromError(new Error(lockMessage(pid)), '/w/02_duck_db/02_dev/dev.duckdb');
      assert.equal(problem.kind, 'locked');
      assert.equal(problem.holder, 'dbt');
      assert.equal(problem.pid, pid);
      assert.equal(problem.cause, `dev.duckdb is locked by dbt (PID ${pid}).`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a holder not visible here (another PID namespace, or gone) falls back to the program in the message', () => {
    const problem = problemFromError(new Error(lockMessage(4194303)), '/w/dev.duckdb');
    assert.equal(problem.holder, 'python3.11');
    assert.equal(problem.pid, 4194303);
  });

  test('identifiers are quoted only when DuckDB needs it', () => {
    assert.equal(quoteIdentifier('orders'), 'orders');
    assert.equal(quoteIdentifier('Full Name'), '"Full Name"');
    assert.equal(quoteIdentifier('Orders'), '"Orders"');
    assert.equal(quoteIdentifier('select'), '"select"');
    assert.equal(quoteIdentifier('order'), '"order"');
    assert.equal(quoteIdentifier('say "hi"'), '"say ""hi"""');
    assert.equal(quoteIdentifier('2024_sales'), '"2024_sales"');
    assert.equal(qualifiedName('main_marts', 'Customer Revenue'), 'main_marts."Customer Revenue"');
    assert.equal(selectSnippet('raw', 'orders'), 'SELECT * FROM raw.orders\nLIMIT 100;\n');
    assert.equal(selectSnippet('raw', 'customers', ['customer_id', 'Full Name'], 10), 'SELECT\n  customer_id,\n  "Full Name"\nFROM raw.customers\nLIMIT 10;\n');
  });

  test('loading the explorer core does not load the DuckDB native module', () => {
    const core = path.resolve(__dirname, '../../../src/core/duckdb');
    const loaded = execFileSync(process.execPath, [
      '-e',
      `for (const m of ['service', 'discovery', 'reader', 'sql', 'problem']) require(${JSON.stringify(core)} + '/' + m + '.js');
       process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@duckdb'))));`,
    ]).toString();
    assert.deepEqual(JSON.parse(loaded), []);
  });
});
