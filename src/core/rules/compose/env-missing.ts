// The compose file needs variables that .env.example documents, and the working copy has no .env
// beside it: compose refuses to start ("required variable … is missing a value") or starts with
// empty values. A .env is never committed, so this describes the working copy, not the
// repository: the rule is `workingCopy` (the editor and a local `duckstack lint` run it, CI does
// not) and a warning, not an error. Its fix creates .env from the example (core/env/create).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isScalar, visit } from 'yaml';
import { EXAMPLE_NAMES } from '../../env/create';
import type { Report, Rule } from '../../lint/types';
import { requiredVariables } from './undocumented-variable';

export const composeEnvMissing: Rule = {
  id: 'compose-env-missing',
  meta: {
    description: 'The compose file needs variables that .env.example documents, but this working copy has no .env beside it, so compose cannot start the project.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['compose'],
    workingCopy: true,
    messages: {
      missing: 'There is no .env beside this compose file, and it needs {{names}} (documented in {{example}}); create .env from {{example}}.',
    },
  },
  check(ctx) {
    const doc = ctx.yaml;
    if (!doc) return [];
    const dir = path.dirname(ctx.file);
    if (fs.existsSync(path.join(dir, '.env'))) return [];
    const example = EXAMPLE_NAMES.find((n) => fs.existsSync(path.join(dir, n)));
    if (!example) return [];
    // The variables with no default that .env.example documents: compose needs them from .env.
    const needed: Array<{ name: string; start: number; end: number }> = [];
    visit(doc, {
      Scalar(key, node) {
        if (key === 'key' || !isScalar(node) || typeof node.value !== 'string' || !node.value.includes('$') || !node.range) return;
        const source = ctx.text.slice(node.range[0], node.range[1]);
        for (const ref of requiredVariables(source)) {
          if (ctx.envExample.has(ref.name)) needed.push({ name: ref.name, start: node.range[0] + ref.start, end: node.range[0] + ref.start + ref.length });
        }
      },
    });
    if (needed.length === 0) return [];
    needed.sort((a, b) => a.start - b.start);
    const names = [...new Set(needed.map((n) => n.name))];
    const shown = names.length > 5 ? `${names.slice(0, 5).join(', ')} and ${names.length - 5} more` : names.join(', ');
    const report: Report = {
      messageId: 'missing',
      data: { names: shown, example },
      start: needed[0].start,
      end: needed[0].end,
      fix: { title: `Create .env from ${example}`, edits: [], createEnv: true },
    };
    return [report];
  },
};
