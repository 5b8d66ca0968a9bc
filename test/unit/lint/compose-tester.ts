// valid / invalid tables for compose rules, in the manner of ESLint's RuleTester, run through the
// engine (lintText) with a project whose .env, .env.example and golden table each case can set.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { golden } from '../rules/context';
import { lintText, type ProjectContext } from '../../../src/core/lint/engine';
import { applyFixes } from '../../../src/core/lint/fix';
import type { Finding, GoldenVersions, Rule } from '../../../src/core/lint/types';

const ROOT = path.resolve('/project');

export interface CaseOptions {
  env?: Record<string, string>;
  envExample?: string[];
  golden?: GoldenVersions;
}

export interface ValidCase extends CaseOptions {
  code: string;
  name?: string;
}

export interface InvalidCase extends ValidCase {
  /** messageId, 0-based line and column of each finding, in order; optionally the reported text. */
  errors: Array<{ messageId: string; line: number; column: number; text?: string }>;
  /** The text after fixing until no fix is left; null when no finding has a fix. */
  output: string | null;
}

/** Golden rows shaped like the repo's golden_versions.md (the rule tests' own builder). */
export const goldenTable = golden;

const noGolden = goldenTable([]);

function project(c: CaseOptions): ProjectContext {
  return {
    root: ROOT,
    golden: c.golden ?? noGolden,
    composeFiles: new Set(),
    project: { dockerfiles: [] },
    envFor: () => ({ env: new Map(Object.entries(c.env ?? {})), envExample: new Set(c.envExample ?? []) }),
  };
}

export function lintCompose(rule: Rule, code: string, c: CaseOptions = {}): Finding[] {
  return lintText({ file: path.join(ROOT, 'compose.yaml'), text: code }, project(c), { ruleSet: [rule] });
}

export function composeRuleTests(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  suite(rule.id, () => {
    test('meta: compose kind, one-line description, declared messages', () => {
      assert.ok(rule.meta.kinds.includes('compose'));
      assert.ok(rule.meta.description.length > 10 && !rule.meta.description.includes('\n'));
      assert.ok(Object.keys(rule.meta.messages).length > 0);
    });
    cases.valid.forEach((c, i) => {
      test(`valid ${i + 1}: ${c.name ?? c.code.split('\n').slice(0, 4).join(' ').slice(0, 70)}`, () => {
        assert.deepEqual(lintCompose(rule, c.code, c).map((f) => `${f.line}:${f.column} ${f.message}`), []);
      });
    });
    cases.invalid.forEach((c, i) => {
      test(`invalid ${i + 1}: ${c.name ?? c.code.split('\n').slice(0, 4).join(' ').slice(0, 70)}`, () => {
        const findings = lintCompose(rule, c.code, c);
        assert.ok(findings.every((f) => f.ruleId === rule.id), findings.map((f) => f.message).join('\n'));
        assert.ok(findings.every((f) => !/\{\{\s*\w+\s*\}\}/.test(f.message)), 'a message placeholder was left unfilled');
        const withText = c.errors.some((e) => e.text !== undefined);
        assert.deepEqual(
          findings.map((f) => ({ messageId: f.messageId, line: f.line, column: f.column, ...(withText ? { text: c.code.slice(f.start, f.end) } : {}) })),
          c.errors.map((e) => ({ messageId: e.messageId, line: e.line, column: e.column, ...(withText ? { text: e.text } : {}) })),
        );
        assert.ok(findings.every((f) => f.severity === rule.meta.defaultSeverity));
        if (c.output === null) {
          assert.ok(findings.every((f) => f.fix === undefined), 'a finding has a fix but the case expects none');
          return;
        }
        let text = c.code;
        for (let pass = 0; pass < 10; pass++) {
          const fixes = lintCompose(rule, text, c).flatMap((f) => (f.fix ? [f.fix] : []));
          if (fixes.length === 0) break;
          text = applyFixes(text, fixes);
        }
        assert.equal(text, c.output);
        const remaining = lintCompose(rule, text, c);
        assert.equal(remaining.length, findings.filter((f) => !f.fix).length, `findings after fixing:\n${remaining.map((f) => f.message).join('\n')}`);
        assert.ok(remaining.every((f) => !f.fix));
      });
    });
  });
}
