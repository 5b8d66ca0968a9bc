// valid / invalid tables for rules, in the manner of ESLint's RuleTester. Each case runs the rule
// on a context built like the engine's, and again through the engine itself (lintText), so
// positions, severities and fixes are what users see.
import * as assert from 'node:assert/strict';
import { lintText } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fix';
import type { Finding, Rule } from '../../../src/core/lint/types';
import type { FileKind } from '../../../src/core/workspace/classify';
import { check, fileFor, projectContext, type ContextOptions } from './context';

export interface ValidCase {
  code: string;
  options?: ContextOptions;
  name?: string;
  /** The text is deliberately not valid YAML: the engine's own syntax finding is expected. */
  malformed?: boolean;
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

/** The case through the engine, as users get it; the engine itself (YAML syntax, a failing rule) must say nothing. */
function lintWithEngine(rule: Rule, kind: FileKind, c: ValidCase): Finding[] {
  const findings = lintText({ file: fileFor(kind, c.options), text: c.code, kind }, projectContext(c.options), { ruleSet: [rule] });
  const others = findings.filter((f) => f.ruleId !== rule.id && !(c.malformed && f.ruleId === 'yaml-syntax'));
  assert.deepEqual(others.map((f) => `${f.ruleId}: ${f.message}`), [], 'the engine reported more than this rule');
  return findings.filter((f) => f.ruleId === rule.id);
}

export function runRuleTests(rule: Rule, kind: FileKind, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  suite(`${rule.id} (${kind})`, () => {
    test('meta: id is kebab-case, the kind is listed, a one-line description, declared messages', () => {
      assert.ok(rule.meta.kinds.includes(kind));
      assert.match(rule.id, /^[a-z]+(?:-[a-z0-9]+)+$/);
      assert.ok(rule.meta.description.length > 10 && !rule.meta.description.includes('\n'));
      assert.ok(Object.keys(rule.meta.messages).length > 0);
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
        for (const r of reports) {
          assert.ok(r.messageId in rule.meta.messages, `undeclared messageId ${r.messageId}`);
          assert.ok(r.start <= r.end && r.end <= c.code.length);
        }
        // What users see: the engine's findings (suppressions applied, a node shared through an
        // anchor reported once), in position order.
        const findings = lintWithEngine(rule, kind, c);
        const shape = (e: ExpectedReport): ExpectedReport => (withText ? e : { messageId: e.messageId, line: e.line, column: e.column });
        assert.deepEqual(
          findings.map((f) => shape({ messageId: f.messageId ?? '', line: f.line, column: f.column, text: c.code.slice(f.start, f.end) })),
          [...c.errors].sort((a, b) => a.line - b.line || a.column - b.column).map(shape),
        );
        assert.ok(findings.every((f) => f.severity === rule.meta.defaultSeverity), 'a finding does not have the rule\'s default severity');
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
        const remaining = lintWithEngine(rule, kind, { ...c, code: text });
        assert.ok(remaining.every((f) => f.fix === undefined), 'a fixable finding remains after fixing');
        assert.equal(remaining.length, findings.filter((f) => f.fix === undefined).length, 'the fixed text has new findings of this rule');
      });
    }
  });
}
