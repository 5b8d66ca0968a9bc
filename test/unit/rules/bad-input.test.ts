// Every rule of this area on input that is not what it expects: no exception, and linear enough
// to finish large files well inside the suite's timeout.
import * as assert from 'node:assert/strict';
import type { FileKind } from '../../../src/core/workspace/classify';
import { allRules } from '../../../src/core/rules/index';
import { isYamlFile } from '../../../src/core/workspace/classify';
import { check, fileFor } from './context';

const AREA_PREFIXES = ['dockerfile-', 'requirements-', 'pyproject-', 'package-json-', 'python-', 'dbt-', 'dagster-', 'cube-'];
const rules = allRules.filter((r) => AREA_PREFIXES.some((p) => r.id.startsWith(p)));

/** Bytes 0-255 in a fixed pseudo-random order, as text. */
function junk(length: number): string {
  let seed = 42;
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode(seed & 0xff);
  }
  return out;
}

const FIVE_MB = 5 * 1024 * 1024;

/**
 * A large file of each text kind, made of lines the rules do look at. YAML kinds are left to the
 * engine's own tests: their rules walk the parsed tree, and the parse is the engine's.
 */
function large(kind: FileKind): string | undefined {
  const line: Partial<Record<FileKind, string>> = {
    dockerfile: 'FROM python:3.9 AS s\nRUN echo "/app/data" \\\n  && true\n',
    requirements: 'dagster[dbt]>=1.0 ; python_version >= "3.9"  # c\n',
    pyproject: '[project]\ndependencies = ["dagster>=1", "duckdb"]\n',
    python: 'DB_PATH = "/app/x.duckdb"; y = os.getenv("A_PASSWORD", "x"); duckdb.connect("/d")\n',
    dbtModel: "{{ config(materialized='incremental') }} select 1\n",
    cube: "module.exports = { apiSecret: 'x', preAggregations: { a: 1 } };\n",
  };
  const unit = line[kind];
  if (unit) return unit.repeat(Math.ceil(FIVE_MB / unit.length));
  if (kind === 'packageJson') return `{"dependencies": {${Array.from({ length: 320_000 }, (_, i) => `"p${i}": "^1.0.0"`).join(', ')}, "duckdb": "1"}}`;
  return undefined;
}

suite('area rules on bad input', () => {
  test('the area has its rules registered', () => {
    assert.equal(rules.length, 18);
  });
  for (const rule of rules) {
    for (const kind of rule.meta.kinds) {
      test(`${rule.id} (${kind}): empty, junk, unterminated and deeply nested input`, function () {
        this.timeout(60_000); // a hang guard, not a timing goal: a loaded machine ran one case 10 s
        // YAML kinds go through the yaml parser first, whose own limits the engine tests; keep it small here.
        const depth = isYamlFile(fileFor(kind), kind) ? 1_000 : 100_000;
        const inputs = [
          '',
          junk(20_000),
          '"unterminated\n\'\'\'never closed',
          '('.repeat(depth),
          '['.repeat(depth) + ']',
          '{"dependencies": {"duckdb": "1.0.0"',
          '[project]\ndependencies = [\n"dagster',
          'FROM \\\n',
          "{{ config(materialized='incremental'",
        ];
        for (const text of inputs) assert.doesNotThrow(() => check(rule, kind, text), text.slice(0, 40));
      });
      const text = large(kind);
      if (text === undefined) continue;
      test(`${rule.id} (${kind}): a 5 MB file`, function () {
        this.timeout(120_000); // a hang guard; linearity is what the size shows
        assert.ok(text.length >= FIVE_MB * 0.9);
        const reports = check(rule, kind, text);
        assert.ok(Array.isArray(reports));
        for (const r of reports) assert.ok(r.start >= 0 && r.end <= text.length && r.start <= r.end);
      });
    }
  }
});
