// valid / invalid tables for compose rules: the rule tests' runner (test/unit/rules/tester.ts),
// with cases that can set the project's .env, .env.example and golden table.
import { golden } from '../rules/context';
import { runRuleTests } from '../rules/tester';
import type { Rule } from '../../../src/core/lint/types';
import type { GoldenVersions } from '../../../src/core/golden/types';

export interface CaseOptions {
  env?: Record<string, string>;
  envExample?: string[];
  envExampleValues?: Record<string, string>;
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

/** Compose cases run without golden versions unless they give a table. */
const noGolden = goldenTable([]);

function options(c: CaseOptions): CaseOptions & { golden: GoldenVersions } {
  return { golden: c.golden ?? noGolden, env: c.env, envExample: c.envExample, envExampleValues: c.envExampleValues };
}

export function composeRuleTests(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  runRuleTests(rule, 'compose', {
    valid: cases.valid.map((c) => ({ code: c.code, name: c.name, options: options(c) })),
    invalid: cases.invalid.map((c) => ({ code: c.code, name: c.name, options: options(c), errors: c.errors, output: c.output ?? undefined })),
  });
}
