// What a fork depends on, read from a snapshot as written (before interpolation, since what
// matters to a fork is which variable holds a port and what its default is): services with
// image, build, ports, volumes and environment; named volumes; variables with their defaults and
// where they are used; golden versions; Dockerfile base images; dbt targets and database paths;
// Dagster's run coordinator and executor.
import { parseDocument } from 'yaml';
import { parseGoldenVersions } from '../golden/golden';
import type { GoldenEntry } from '../golden/types';
import { parseFroms } from '../rules/dockerfile/from';
import type { Snapshot } from './snapshot';

export interface PortModel {
  /** The host part as written: "${DAGSTER_PORT:-3000}", "3000", "" when unpublished. */
  published: string;
  variable?: string;
  /** The default or literal host port. */
  hostDefault?: string;
  target: string;
}

export interface VolumeModel {
  type: 'bind' | 'volume' | 'tmpfs';
  /** A bind's host path as written ("./02_duck_db") or a volume's name. */
  source?: string;
  target: string;
}

export interface ServiceModel {
  name: string;
  image?: string;
  build?: string;
  ports: PortModel[];
  volumes: VolumeModel[];
  /** environment as written: KEY → value. */
  environment: Record<string, string>;
  file: string;
}

export interface VariableUse {
  /** Where: "compose.yaml: services.dagster.ports[0]". */
  site: string;
  default?: string;
  /** `${VAR:?msg}` or `${VAR}` without default. */
  required: boolean;
}

export interface VariableModel {
  name: string;
  uses: VariableUse[];
  /** The value in .env.example, if documented there. */
  example?: string;
}

export interface PlatformModel {
  /** The compose file's top-level `name:`, the prefix of its named volumes. */
  projectName?: string;
  services: Map<string, ServiceModel>;
  namedVolumes: Set<string>;
  variables: Map<string, VariableModel>;
  golden: GoldenEntry[];
  goldenFile?: string;
  /** Dockerfile path → its base images (stages excluded). */
  baseImages: Map<string, string[]>;
  /** dbt profiles: "profile.target" → the path expression of its database. */
  dbtTargets: Map<string, string>;
  dbtFile?: string;
  /** dagster.yaml's run_coordinator and executor as JSON text. */
  dagsterExecution?: string;
  dagsterFile?: string;
  problems: string[];
}

const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
const OVERRIDE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yml', 'docker-compose.override.yaml'];

/** `${VAR}`, `${VAR:-d}`, `${VAR-d}`, `${VAR:?e}`, `${VAR?e}`, `$VAR`; `$$` is a literal dollar. */
export function variableUses(text: string): Array<{ name: string; default?: string; required: boolean }> {
  const out: Array<{ name: string; default?: string; required: boolean }> = [];
  const pattern = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;
  for (const m of text.matchAll(pattern)) {
    if (m[0] === '$$') continue;
    const name = m[1] ?? m[4];
    const op = m[2];
    if (op === ':-' || op === '-') out.push({ name, default: m[3], required: false });
    else if (op === ':+' || op === '+') out.push({ name, required: false });
    else out.push({ name, required: true });
  }
  return out;
}

function hostPort(published: string): { variable?: string; hostDefault?: string } {
  const uses = variableUses(published);
  if (uses.length > 0) return { variable: uses[0].name, ...(uses[0].default !== undefined ? { hostDefault: uses[0].default } : {}) };
  const literal = /(\d+)(?:-\d+)?$/.exec(published)?.[1];
  return literal ? { hostDefault: literal } : {};
}

function parsePortModel(item: unknown): PortModel | undefined {
  if (typeof item === 'number') return { published: '', target: String(item) };
  if (typeof item === 'string') {
    const raw = item.replace(/\/\w+$/, '');
    // The container port is after the last ':' outside ${...}.
    let depth = 0;
    let split = -1;
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] === '{') depth++;
      else if (raw[i] === '}') depth--;
      else if (raw[i] === ':' && depth === 0) split = i;
    }
    const published = split < 0 ? '' : raw.slice(0, split).replace(/^\d+\.\d+\.\d+\.\d+:/, '');
    return { published, target: split < 0 ? raw : raw.slice(split + 1), ...hostPort(published) };
  }
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    const published = o.published === undefined ? '' : String(o.published);
    return { published, target: String(o.target ?? ''), ...hostPort(published) };
  }
  return undefined;
}

function parseVolumeModel(item: unknown): VolumeModel | undefined {
  if (typeof item === 'string') {
    const parts = item.split(':');
    if (parts.length === 1) return { type: 'volume', target: parts[0] };
    const source = parts[0];
    const bind = /^[./~]/.test(source) || source.includes('/') || source.startsWith('$');
    return { type: bind ? 'bind' : 'volume', source, target: parts[1] };
  }
  if (item && typeof item === 'object') {
    const o = item as Record<string, unknown>;
    const type = o.type === 'bind' || o.type === 'tmpfs' ? o.type : 'volume';
    return { type, ...(typeof o.source === 'string' ? { source: o.source } : {}), target: String(o.target ?? '') };
  }
  return undefined;
}

function environmentOf(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(env)) {
    for (const item of env) {
      const s = String(item);
      const eq = s.indexOf('=');
      if (eq > 0) out[s.slice(0, eq)] = s.slice(eq + 1);
    }
  } else if (env && typeof env === 'object') {
    for (const [k, v] of Object.entries(env)) out[k] = v === null ? '' : String(v);
  }
  return out;
}

function readYaml(text: string, file: string, problems: string[]): unknown {
  try {
    const doc = parseDocument(text, { uniqueKeys: false, merge: true });
    if (doc.errors.length > 0) {
      problems.push(`${file}: ${doc.errors[0].message.split('\n')[0]}`);
      return undefined;
    }
    return doc.toJS({ maxAliasCount: 10_000 });
  } catch (e) {
    problems.push(`${file}: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

function addUse(variables: Map<string, VariableModel>, name: string, use: VariableUse): void {
  const v = variables.get(name) ?? { name, uses: [] };
  v.uses.push(use);
  variables.set(name, v);
}

/** Every string in a parsed YAML value with its path, for variable uses. */
function strings(value: unknown, at: string, out: Array<[string, string]>): void {
  if (typeof value === 'string') out.push([at, value]);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, `${at}[${i}]`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) strings(v, at === '' ? k : `${at}.${k}`, out);
}

function composeFiles(snapshot: Snapshot): string[] {
  const main = COMPOSE_NAMES.find((n) => snapshot.files.has(n));
  const override = OVERRIDE_NAMES.find((n) => snapshot.files.has(n));
  return [main, override].filter((f): f is string => f !== undefined);
}

/** "{{ env_var('DUCKDB_DEV_PATH', '/app/dev.duckdb') }}" → "DUCKDB_DEV_PATH (default /app/dev.duckdb)". */
function dbtPath(expression: string): string {
  const m = /env_var\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]*)['"])?\s*\)/.exec(expression);
  return m ? `${m[1]}${m[2] !== undefined ? ` (default ${m[2]})` : ''}` : expression;
}

export function buildModel(snapshot: Snapshot): PlatformModel {
  const model: PlatformModel = {
    services: new Map(),
    namedVolumes: new Set(),
    variables: new Map(),
    golden: [],
    baseImages: new Map(),
    dbtTargets: new Map(),
    problems: [],
  };
  for (const file of composeFiles(snapshot)) {
    const doc = readYaml(snapshot.files.get(file) ?? '', file, model.problems) as Record<string, unknown> | undefined;
    if (!doc || typeof doc !== 'object') continue;
    if (typeof doc.name === 'string' && !doc.name.includes('$')) model.projectName = doc.name;
    const services = doc.services && typeof doc.services === 'object' ? (doc.services as Record<string, unknown>) : {};
    for (const [name, raw] of Object.entries(services)) {
      if (!raw || typeof raw !== 'object') continue;
      const s = raw as Record<string, unknown>;
      const previous = model.services.get(name);
      const service: ServiceModel = previous ?? { name, ports: [], volumes: [], environment: {}, file };
      if (typeof s.image === 'string') service.image = s.image;
      if (typeof s.build === 'string') service.build = s.build;
      else if (s.build && typeof s.build === 'object') {
        const b = s.build as Record<string, unknown>;
        service.build = `${String(b.context ?? '.')}${b.dockerfile ? ` (${String(b.dockerfile)})` : ''}`;
      }
      if (Array.isArray(s.ports)) service.ports.push(...s.ports.map(parsePortModel).filter((p): p is PortModel => p !== undefined));
      if (Array.isArray(s.volumes)) service.volumes.push(...s.volumes.map(parseVolumeModel).filter((v): v is VolumeModel => v !== undefined));
      Object.assign(service.environment, environmentOf(s.environment));
      model.services.set(name, service);
      const found: Array<[string, string]> = [];
      strings(s, `services.${name}`, found);
      for (const [at, value] of found) {
        for (const use of variableUses(value)) {
          addUse(model.variables, use.name, { site: `${file}: ${at}`, required: use.required, ...(use.default !== undefined ? { default: use.default } : {}) });
        }
      }
    }
    if (doc.volumes && typeof doc.volumes === 'object') {
      for (const [name, spec] of Object.entries(doc.volumes as Record<string, unknown>)) {
        const external = spec && typeof spec === 'object' && typeof (spec as Record<string, unknown>).name === 'string' ? String((spec as Record<string, unknown>).name) : undefined;
        model.namedVolumes.add(external ? `${name} (name: ${external})` : name);
      }
    }
  }
  const example = snapshot.files.get('.env.example');
  if (example !== undefined) {
    for (const line of example.split('\n')) {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
      if (!m) continue;
      const v = model.variables.get(m[1]) ?? { name: m[1], uses: [] };
      v.example = m[2].replace(/^(["'])(.*)\1$/, '$2');
      model.variables.set(m[1], v);
    }
  }
  const goldenFile = [...snapshot.files.keys()].filter((f) => /(^|\/)golden_versions[^/]*\.md$/i.test(f)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b))[0];
  if (goldenFile) {
    model.goldenFile = goldenFile;
    model.golden = parseGoldenVersions(snapshot.files.get(goldenFile) ?? '', goldenFile).golden.entries;
  }
  for (const [file, text] of snapshot.files) {
    const base = (file.split('/').pop() ?? '').toLowerCase();
    if (base === 'dockerfile' || base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) {
      model.baseImages.set(file, parseFroms(text).filter((f) => !f.isStage).map((f) => f.image.resolved ?? f.image.raw));
    } else if (base === 'profiles.yml' || base === 'profiles.yaml') {
      const doc = readYaml(text, file, model.problems);
      if (!doc || typeof doc !== 'object') continue;
      model.dbtFile = file;
      for (const [profile, spec] of Object.entries(doc as Record<string, unknown>)) {
        const outputs = spec && typeof spec === 'object' ? (spec as Record<string, unknown>).outputs : undefined;
        if (!outputs || typeof outputs !== 'object') continue;
        for (const [target, out] of Object.entries(outputs as Record<string, unknown>)) {
          const p = out && typeof out === 'object' ? (out as Record<string, unknown>).path : undefined;
          model.dbtTargets.set(`${profile}.${target}`, typeof p === 'string' ? dbtPath(p) : '');
        }
      }
    } else if (base === 'dagster.yaml' || base === 'dagster.yml') {
      const doc = readYaml(text, file, model.problems);
      if (!doc || typeof doc !== 'object') continue;
      const d = doc as Record<string, unknown>;
      model.dagsterFile = file;
      model.dagsterExecution = JSON.stringify({ run_coordinator: d.run_coordinator ?? null, executor: d.execution ?? d.executor ?? null });
    }
  }
  return model;
}
