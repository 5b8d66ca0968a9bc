// valid / invalid tables for rules, in the manner of ESLint's RuleTester. Each case runs the rule
// on a context built like the engine's, and again through the engine itself (lintText), so
// positions, severities and fixes are what users see.
import * as assert from 'node:assert/strict';
import { lintText, makeProjectContext } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fix';
import type { FileKind, Finding, Rule } from '../../../src/core/lint/types';
import { check, fileFor, platformGolden, position, projectRoot, type ContextOptions } from './context';

export interface ValidCase {
  code: string;
  options?: ContextOptions;
  name?: string;
}

export interface ExpectedReport {
  messageId: string;
  /** 0-based line and column of the report's start. */
  line: number;
  column: number;
  /** The reported text, text.slice(start, end). */
  text?: string;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedReport[];
  /** The text after applying the first fix again and again until none is left; omit when no report has a fix. */
  output?: string;
}

const MAX_FIX_PASSES = 10;

function label(c: ValidCase): string {
  return c.name ?? c.code.split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 60) ?? '(empty)';
}

function lintWithEngine(rule: Rule, kind: FileKind, c: ValidCase): Finding[] {
  const root = projectRoot();
  const project = makeProjectContext(root, c.options?.golden ?? platformGolden, new Set(), { dockerfiles: c.options?.dockerfiles ?? [] });
  return lintText({ file: fileFor(kind, c.options), text: c.code, kind }, project, { ruleSet: [rule] }).filter((f) => f.ruleId === rule.id);
}

export function runRuleTests(rule: Rule, kind: FileKind, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  suite(`${rule.id} (${kind})`, () => {
    test('meta: id is kebab-case and the kind is listed', () => {
      assert.ok(rule.meta.kinds.includes(kind));
      assert.match(rule.id, /^[a-z]+(?:-[a-z0-9]+)+$/);
    });
    for (const c of cases.valid) {
      test(`valid: ${label(c)}`, () => {
        assert.deepEqual(check(rule, kind, c.code, c.options), []);
        assert.deepEqual(lintWithEngine(rule, kind, c), []);
      });
    }
    for (const c of cases.invalid) {
      test(`invalid: ${label(c)}`, () => {
        const withText = c.errors.some((e) => e.text !== undefined);
        const reports = check(rule, kind, c.code, c.options);
        const actual = reports.map((r) => {
          assert.ok(r.messageId in rule.meta.messages, `undeclared messageId ${r.messageId}`);
          assert.ok(r.start <= r.end && r.end <= c.code.length);
          const [line, column] = position(c.code, r.start);
          const got: ExpectedReport = { messageId: r.messageId, line, column };
          if (withText) got.text = c.code.slice(r.start, r.end);
          return got;
        });
        assert.deepEqual(actual, c.errors.map((e) => (withText ? e : { messageId: e.messageId, line: e.line, column: e.column })));
        const findings = lintWithEngine(rule, kind, c);
        assert.deepEqual(
          findings.map((f) => [f.line, f.column, f.severity]),
          c.errors.map((e) => [e.line, e.column, rule.meta.defaultSeverity]).sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1])),
        );
        assert.ok(findings.every((f) => !/\{\{\s*\w+\s*\}\}/.test(f.message)), 'a message placeholder was left unfilled');
        if (c.output === undefined) {
          assert.ok(reports.every((r) => r.fix === undefined), 'a report has a fix but the case has no output');
          return;
        }
        assert.ok(rule.meta.fixable);
        let text = c.code;
        for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
          const fix = check(rule, kind, text, c.options).find((r) => r.fix)?.fix;
          if (!fix) break;
          text = applyFixes(text, [fix]);
        }
        assert.equal(text, c.output);
        // Only the findings that had no fix may remain.
        const remaining = check(rule, kind, text, c.options);
        assert.ok(remaining.every((r) => r.fix === undefined), 'a fixable finding remains after fixing');
        assert.equal(remaining.length, reports.filter((r) => r.fix === undefined).length, 'the fixed text has new findings of this rule');
      });
    }
  });
}
