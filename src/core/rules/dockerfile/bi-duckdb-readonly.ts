import type { Report, Rule } from '../../lint/types';
import { parseFroms } from './from';

/** Images of the platform's BI tools, by the last part of their name ("apache/superset" → superset). */
const BI_IMAGES = new Set(['superset', 'cube', 'cubejs']);
/** A DuckDB SQLAlchemy URI up to its end in a shell word. */
const DUCKDB_URI = /duckdb:\/\/[^\s'"`;)]*/gi;
const READ_ONLY = /[?&]access_mode=read_only\b/i;

export const dockerfileBiDuckdbReadonly: Rule = {
  id: 'dockerfile-bi-duckdb-readonly',
  meta: {
    description: 'A BI image (Superset, Cube) registers its DuckDB connection read-only at build time (`?access_mode=read_only`).',
    defaultSeverity: 'error',
    fixable: true,
    kinds: ['dockerfile'],
    messages: { uri: 'The {{image}} image connects to DuckDB read-write through {{uri}}; BI tools must only read it (add access_mode=read_only).' },
  },
  check(ctx) {
    const froms = parseFroms(ctx.text).filter((f) => !f.isStage);
    const reports: Report[] = [];
    for (const m of ctx.text.matchAll(DUCKDB_URI)) {
      const start = m.index ?? 0;
      const lineStart = ctx.text.lastIndexOf('\n', start - 1) + 1;
      if (ctx.text.slice(lineStart, start).trimStart().startsWith('#')) continue;
      // The stage the URI is in: the last FROM before it.
      const from = froms.filter((f) => f.image.start < start).pop();
      if (!from || !BI_IMAGES.has(from.image.name) || READ_ONLY.test(m[0])) continue;
      const end = start + m[0].length;
      reports.push({
        messageId: 'uri',
        data: { image: from.image.name, uri: m[0] },
        start,
        end,
        fix: { title: 'Open DuckDB read-only', edits: [{ start: end, end, text: `${m[0].includes('?') ? '&' : '?'}access_mode=read_only` }] },
      });
    }
    return reports;
  },
};
