// Finds the platform's DuckDB files: DUCKDB_*_PATH variables (.env, .env.example, compose service
// environments), dbt profiles, the duckstack.databases setting, and *.duckdb files in the workspace.
// Paths written for containers (/app/02_duck_db/...) are translated to host paths through the
// compose bind mounts. Reading never throws: unreadable files simply contribute nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { containerToHostPath, hostPathKey } from '../fs/paths';
import { parseDocument } from 'yaml';
import { parseDotEnv } from '../compose/env';
import { loadComposeProject, type ComposeProject, type ComposeService, type ComposeVolume } from '../compose/project';
import { readRegularFile } from '../files';
import { walkWorkspace } from '../workspace/walk';
import type { DatabaseRole, DatabaseSource, DatabaseSourceKind, DuckDbDatabase } from './types';

export interface DiscoveryOptions {
  /** Paths from the duckstack.databases setting, absolute or relative to the root. */
  databases?: readonly string[];
  /** Process environment for compose interpolation and env_var() (default: process.env). */
  processEnv?: NodeJS.ProcessEnv;
  /** How deep the workspace walk for *.duckdb and profiles.yml goes (default 4). */
  maxDepth?: number;
  /** Stop the walk after this many directory entries (default 20000), so a huge tree stays cheap. */
  maxEntries?: number;
}

const PATH_VARIABLE = /^DUCKDB_(?:[A-Z0-9_]+_)?PATH$/i;
const SOURCE_ORDER: DatabaseSourceKind[] = ['explicit', 'env', 'compose', 'dbt-profile', 'setting', 'workspace'];
const ROLE_ORDER: DatabaseRole[] = ['raw', 'dev', 'test', 'prod', 'unknown'];

/** A source before its path is resolved on the host, with the mounts that can translate it. */
interface Declaration {
  source: DatabaseSource;
  /** Directory a relative path is resolved against. */
  baseDir: string;
  /** Bind mounts to try, most specific service first. */
  mounts: ComposeVolume[];
  /** Compose services that declare the path and mount it writable: who will create the file. */
  writers: string[];
  /** Role hint from the dbt target name. */
  targetRole?: DatabaseRole;
}

export async function findDatabases(root: string, options: DiscoveryOptions = {}): Promise<DuckDbDatabase[]> {
  const dir = path.resolve(root);
  const processEnv = options.processEnv ?? process.env;
  const dotEnv = await readDotEnv(path.join(dir, '.env'), processEnv);
  const exampleEnv = await readDotEnv(path.join(dir, '.env.example'), processEnv);
  const project = await loadCompose(dir, processEnv);
  const services = project?.services ?? [];
  const allMounts = services.flatMap((s) => s.volumes.filter(isBindMount));
  const walk = findDatabaseFiles(dir, options.maxDepth ?? 4, options.maxEntries ?? 20000);

  const declarations: Declaration[] = [];
  for (const [file, vars] of [[path.join(dir, '.env'), dotEnv], [path.join(dir, '.env.example'), exampleEnv]] as const) {
    for (const [name, value] of vars) {
      if (!PATH_VARIABLE.test(name) || value.trim() === '') continue;
      // .env wins over .env.example for the same variable, as the example only documents it.
      if (file.endsWith('.env.example') && dotEnv.has(name)) continue;
      declarations.push({
        source: { kind: 'env', file, label: `${name} in ${path.basename(file)}`, declaredPath: value, variable: name },
        baseDir: dir,
        mounts: allMounts,
        writers: [],
      });
    }
  }
  if (project) {
    const composeFile = project.files[0] ?? path.join(dir, 'docker-compose.yml');
    for (const service of services) {
      for (const [name, value] of Object.entries(service.environment)) {
        if (!PATH_VARIABLE.test(name) || typeof value !== 'string' || value.trim() === '') continue;
        const mounts = preferServiceMounts(service, allMounts);
        declarations.push({
          source: {
            kind: 'compose',
            file: composeFile,
            label: `${name} of service ${service.name} in ${path.basename(composeFile)}`,
            declaredPath: value,
            variable: name,
            service: service.name,
          },
          baseDir: dir,
          mounts,
          writers: writableMount(value, mounts) ? [service.name] : [],
        });
      }
    }
  }
  const lookup = envLookup(services, dotEnv, exampleEnv, processEnv);
  for (const profilesFile of walk.profiles) {
    declarations.push(...(await profileDeclarations(profilesFile, lookup, allMounts)));
  }
  for (const declared of options.databases ?? []) {
    if (declared.trim() === '') continue;
    declarations.push({
      source: { kind: 'setting', label: 'the duckstack.databases setting', declaredPath: declared },
      baseDir: dir,
      mounts: allMounts,
      writers: [],
    });
  }
  for (const file of walk.databases) {
    declarations.push({
      source: { kind: 'workspace', file, label: `found in the workspace (${path.relative(dir, file)})`, declaredPath: file },
      baseDir: dir,
      mounts: [],
      writers: [],
    });
  }
  return merge(declarations);
}

/** The database record for a path given directly (a command-line argument), resolved against `cwd`. */
export function databaseAt(file: string, cwd: string, label = 'given on the command line'): DuckDbDatabase {
  return merge([{ source: { kind: 'explicit', label, declaredPath: file }, baseDir: cwd, mounts: [], writers: [] }])[0];
}

function isBindMount(v: ComposeVolume): boolean {
  return v.type === 'bind' && v.source !== undefined;
}

function preferServiceMounts(service: ComposeService, allMounts: ComposeVolume[]): ComposeVolume[] {
  const own = service.volumes.filter(isBindMount);
  return [...own, ...allMounts.filter((m) => !own.includes(m))];
}

async function readDotEnv(file: string, processEnv: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const read = await readRegularFile(file);
  return read.ok ? parseDotEnv(read.text, (name) => processEnv[name]) : new Map();
}

async function loadCompose(dir: string, processEnv: NodeJS.ProcessEnv): Promise<ComposeProject | undefined> {
  try {
    const project = await loadComposeProject(dir, { processEnv });
    return project.files.length > 0 ? project : undefined;
  } catch {
    return undefined;
  }
}

/** The mount that maps a container path, longest target first (compose allows nested mounts). */
function mountFor(containerPath: string, mounts: ComposeVolume[]): ComposeVolume | undefined {
  let best: ComposeVolume | undefined;
  for (const m of mounts) {
    if (!isBindMount(m)) continue;
    const target = m.target.replace(/\/+$/, '');
    if (containerPath === target || containerPath.startsWith(`${target}/`)) {
      if (!best || target.length > best.target.replace(/\/+$/, '').length) best = m;
    }
  }
  return best;
}

function writableMount(containerPath: string, mounts: ComposeVolume[]): boolean {
  const m = mountFor(containerPath, mounts);
  return m !== undefined && !m.readOnly;
}

/**
 * Host path for a declared path: relative paths against the base directory; an absolute path that
 * exists on the host as itself; otherwise the container path translated through a bind mount.
 */
export function toHostPath(declared: string, baseDir: string, mounts: ComposeVolume[]): string {
  if (!path.isAbsolute(declared) && !declared.startsWith('/')) return path.resolve(baseDir, declared);
  if (fs.existsSync(declared)) return declared;
  const mount = mountFor(declared, mounts);
  if (!mount?.source) return declared;
  return containerToHostPath(declared, { source: mount.source, target: mount.target }) ?? declared;
}

type Lookup = (name: string) => { value: string; service?: ComposeService } | undefined;

/** env_var() as the dbt container would see it: its compose environment, then .env, then the example. */
function envLookup(
  services: ComposeService[],
  dotEnv: Map<string, string>,
  exampleEnv: Map<string, string>,
  processEnv: NodeJS.ProcessEnv,
): Lookup {
  return (name) => {
    const service =
      services.find((s) => name in s.environment && 'DBT_PROFILES_DIR' in s.environment) ??
      services.find((s) => name in s.environment);
    if (service) return { value: service.environment[name], service };
    const value = dotEnv.get(name) ?? exampleEnv.get(name) ?? processEnv[name];
    return value === undefined ? undefined : { value };
  };
}

// {{ env_var('NAME') }} or {{ env_var("NAME", "default") }}, the forms dbt profiles use for paths.
const ENV_VAR = /\{\{\s*env_var\(\s*(['"])([^'"]+)\1\s*(?:,\s*(['"])([^'"]*)\3\s*)?\)\s*\}\}/g;

interface Rendered {
  value: string;
  variable?: string;
  service?: ComposeService;
}

/** Resolves env_var() calls; undefined when a variable has neither a value nor a default. */
export function renderEnvVars(template: string, lookup: Lookup): Rendered | undefined {
  let variable: string | undefined;
  let service: ComposeService | undefined;
  let unresolved = false;
  const value = template.replace(ENV_VAR, (_whole: string, _q: string, name: string, _q2: string | undefined, fallback: string | undefined) => {
    variable ??= name;
    const found = lookup(name);
    if (found) {
      service ??= found.service;
      return found.value;
    }
    if (fallback === undefined) unresolved = true;
    return fallback ?? '';
  });
  if (unresolved || /\{\{|\{%/.test(value)) return undefined;
  return { value, ...(variable ? { variable } : {}), ...(service ? { service } : {}) };
}

async function profileDeclarations(file: string, lookup: Lookup, allMounts: ComposeVolume[]): Promise<Declaration[]> {
  let doc: unknown;
  try {
    const read = await readRegularFile(file);
    if (!read.ok) return [];
    const parsed = parseDocument(read.text);
    if (parsed.errors.length > 0) return [];
    doc = parsed.toJS();
  } catch {
    return [];
  }
  if (!isRecord(doc)) return [];
  const out: Declaration[] = [];
  // One attach shared by every target is one declaration listing the targets, not one per target.
  const attaches = new Map<string, Declaration & { targets: string[] }>();
  const relFile = path.basename(path.dirname(file)) + '/' + path.basename(file);
  for (const [profile, def] of Object.entries(doc)) {
    if (profile === 'config' || !isRecord(def) || !isRecord(def.outputs)) continue;
    for (const [target, output] of Object.entries(def.outputs)) {
      if (!isRecord(output) || output.type !== 'duckdb') continue;
      const paths: { template: unknown; alias?: string }[] = [{ template: output.path }];
      if (Array.isArray(output.attach)) {
        for (const a of output.attach) if (isRecord(a)) paths.push({ template: a.path, alias: typeof a.alias === 'string' ? a.alias : undefined });
      }
      for (const [index, { template, alias }] of paths.entries()) {
        if (typeof template !== 'string') continue;
        const rendered = renderEnvVars(template, lookup);
        if (!rendered || rendered.value.trim() === '' || rendered.value.startsWith(':memory:') || /^(md|motherduck):/.test(rendered.value)) continue;
        const mounts = rendered.service ? preferServiceMounts(rendered.service, allMounts) : allMounts;
        const variable = rendered.variable ? { variable: rendered.variable } : {};
        // dbt resolves relative paths against where it runs: the project, which holds profiles.yml here.
        const baseDir = path.dirname(file);
        if (index === 0) {
          out.push({
            source: { kind: 'dbt-profile', file, label: `dbt profile ${profile}, target ${target} (${relFile})`, declaredPath: rendered.value, target, ...variable },
            baseDir,
            mounts,
            writers: ['dbt'],
            ...(roleFromText(target) ? { targetRole: roleFromText(target) } : {}),
          });
          continue;
        }
        const key = `${profile}\0${rendered.value}\0${alias ?? ''}`;
        const known = attaches.get(key);
        if (known) {
          known.targets.push(target);
          known.source.label = attachLabel(profile, known.targets, alias, relFile);
          continue;
        }
        const declaration = {
          source: { kind: 'dbt-profile' as const, file, label: attachLabel(profile, [target], alias, relFile), declaredPath: rendered.value, ...variable },
          baseDir,
          mounts,
          writers: [],
          targets: [target],
        };
        attaches.set(key, declaration);
        out.push(declaration);
      }
    }
  }
  return out;
}

function attachLabel(profile: string, targets: string[], alias: string | undefined, relFile: string): string {
  const as = alias !== undefined ? ` as ${alias}` : '';
  return `dbt profile ${profile}, attached${as} by target${targets.length > 1 ? 's' : ''} ${targets.join(', ')} (${relFile})`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface WalkResult {
  databases: string[];
  profiles: string[];
}

/** *.duckdb files (a symbolic link to one counts) and dbt profiles.yml files, from the one workspace walk, bounded. */
function findDatabaseFiles(root: string, maxDepth: number, maxEntries: number): WalkResult {
  const result: WalkResult = { databases: [], profiles: [] };
  for (const entry of walkWorkspace(root, { maxDepth, maxEntries })) {
    if (entry.type === 'other') continue;
    if (entry.name.endsWith('.duckdb')) result.databases.push(entry.path);
    else if (entry.name === 'profiles.yml') result.profiles.push(entry.path);
  }
  return result;
}

const ROLE_WORDS: Record<string, DatabaseRole> = {
  raw: 'raw',
  dev: 'dev',
  development: 'dev',
  test: 'test',
  testing: 'test',
  prod: 'prod',
  production: 'prod',
};

function roleFromText(text: string): DatabaseRole | undefined {
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/)) {
    const role = ROLE_WORDS[word];
    if (role) return role;
  }
  return undefined;
}

/** The role from what declares the file (variable, dbt target), else from its name and folders. */
function guessRole(file: string, declarations: Declaration[]): DatabaseRole {
  for (const d of declarations) {
    const fromVariable = d.source.variable ? roleFromText(d.source.variable) : undefined;
    if (fromVariable) return fromVariable;
  }
  for (const d of declarations) if (d.targetRole) return d.targetRole;
  const stem = path.basename(file).replace(/\.duckdb$/, '');
  const fromName = roleFromText(stem);
  if (fromName) return fromName;
  const parts = path.dirname(file).split(path.sep).reverse().slice(0, 3);
  for (const part of parts) {
    const role = roleFromText(part);
    if (role) return role;
  }
  return 'unknown';
}

/** The real path of a file, or of its nearest existing folder plus the rest, so links dedupe. */
function canonicalPath(file: string): string {
  const resolved = path.resolve(file);
  let dir = resolved;
  const rest: string[] = [];
  while (true) {
    try {
      return path.join(fs.realpathSync.native(dir), ...rest);
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return resolved;
      rest.unshift(path.basename(dir));
      dir = parent;
    }
  }
}

function merge(declarations: Declaration[]): DuckDbDatabase[] {
  // Keyed so that two spellings of one file meet where the file system ignores case (macOS, Windows).
  const byPath = new Map<string, { file: string; list: Declaration[] }>();
  for (const d of declarations) {
    const hostPath = canonicalPath(toHostPath(d.source.declaredPath, d.baseDir, d.mounts));
    const key = hostPathKey(hostPath, process.platform);
    const entry = byPath.get(key) ?? { file: hostPath, list: [] };
    entry.list.push(d);
    byPath.set(key, entry);
  }
  const databases: DuckDbDatabase[] = [];
  for (const { file, list } of byPath.values()) {
    list.sort((a, b) => SOURCE_ORDER.indexOf(a.source.kind) - SOURCE_ORDER.indexOf(b.source.kind));
    let sizeBytes: number | null = null;
    let exists = false;
    try {
      const stat = fs.statSync(file);
      exists = stat.isFile();
      sizeBytes = exists ? stat.size : null;
    } catch {
      // Not created yet.
    }
    const database: DuckDbDatabase = {
      path: file,
      name: path.basename(file),
      role: guessRole(file, list),
      exists,
      sizeBytes,
      sources: dedupeSources(list.map((d) => d.source)),
    };
    if (!exists) database.missingReason = missingReason(list);
    databases.push(database);
  }
  return databases.sort(
    (a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
  );
}

function dedupeSources(sources: DatabaseSource[]): DatabaseSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.kind}\0${s.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function missingReason(list: Declaration[]): string {
  const declared = list.find((d) => d.source.kind !== 'workspace') ?? list[0];
  const writers = [...new Set(list.flatMap((d) => d.writers))];
  // A container path no bind mount covers (a named volume, or a service without mounts).
  const unmapped = declared.source.declaredPath.startsWith('/') && !mountFor(declared.source.declaredPath, declared.mounts)
    && declared.source.kind !== 'setting' && declared.source.kind !== 'explicit';
  const creator = writers.length > 0 ? writers.join('/') : 'dbt/Dagster';
  return (
    `declared by ${declared.source.label}; ` +
    (unmapped
      ? `${declared.source.declaredPath} is not on this machine and no compose bind mount maps it here`
      : `created by ${creator} when it first runs`)
  );
}
