// The rule severities a project sets in .duckstack.json ({"rules": {"<rule-id>": "off"}}), read the
// same way by `duckstack lint` and `duckstack mcp`.
import * as path from 'node:path';
import { readRegularFileSync } from '../files';
import type { RuleSetting } from './types';

const SETTINGS: readonly string[] = ['off', 'info', 'warning', 'error'];

/** Rule severities from .duckstack.json; a string is an error message. */
export function readRuleConfig(cwd: string): Record<string, RuleSetting> | string {
  const file = path.join(cwd, '.duckstack.json');
  const read = readRegularFileSync(file);
  if (!read.ok) return read.missing ? {} : `${file}: ${read.message}`;
  const text = read.text;
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (e) {
    return `${file}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const rules = typeof config === 'object' && config !== null ? (config as { rules?: unknown }).rules : undefined;
  if (rules === undefined) return {};
  if (typeof rules !== 'object' || rules === null) return `${file}: "rules" must be an object`;
  const out: Record<string, RuleSetting> = {};
  for (const [id, setting] of Object.entries(rules)) {
    if (typeof setting !== 'string' || !SETTINGS.includes(setting)) return `${file}: rule ${id} must be one of ${SETTINGS.join(', ')}`;
    out[id] = setting as RuleSetting;
  }
  return out;
}
