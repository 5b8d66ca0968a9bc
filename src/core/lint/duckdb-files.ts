// Where a project's dbt profiles put their DuckDB files, for rules that must know where the
// warehouse lives (a BI service mounting that folder read-write). Paths stay as written: a path
// for a container (/shared/db/warehouse.duckdb) is mapped to the host by the compose rules.
import { parseDocument } from 'yaml';
import { renderEnvVars } from '../duckdb/discovery';
import type { DuckdbFile } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The DuckDB files (main and attached) of every duckdb target of a profiles.yml; none when it cannot be read. */
export function duckdbFilesOfProfiles(file: string, text: string, env: ReadonlyMap<string, string>): DuckdbFile[] {
  let doc: unknown;
  try {
    const parsed = parseDocument(text);
    if (parsed.errors.length > 0) return [];
    doc = parsed.toJS({ maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (!isRecord(doc)) return [];
  const out: DuckdbFile[] = [];
  for (const [profile, def] of Object.entries(doc)) {
    if (profile === 'config' || !isRecord(def) || !isRecord(def.outputs)) continue;
    for (const output of Object.values(def.outputs)) {
      if (!isRecord(output) || output.type !== 'duckdb') continue;
      const attached = Array.isArray(output.attach) ? output.attach.filter(isRecord).map((a) => a.path) : [];
      for (const template of [output.path, ...attached]) {
        if (typeof template !== 'string') continue;
        const rendered = renderEnvVars(template, (name) => {
          const value = env.get(name);
          return value === undefined ? undefined : { value };
        });
        const value = rendered?.value.trim();
        if (!value || value.startsWith(':memory:') || /^(md|motherduck):/i.test(value) || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
        out.push({ file, path: value });
      }
    }
  }
  return out;
}
