// The rule registry: every rule the engine runs, one line each.
import { goldenVersionsUnreadableRow } from '../golden/rule';
import type { Rule } from '../lint/types';

export const allRules: Rule[] = [
  goldenVersionsUnreadableRow,
];
