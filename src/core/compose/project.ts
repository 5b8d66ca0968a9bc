// The compose model: which files make a project, their merged services after interpolation, and
// the project name and environment, derived the way `docker compose config` derives them.
// Errors are collected as text, never thrown.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { readRegularFile, readRegularFileSync } from '../files';
import { isAbsoluteHostPath, resolveHostPath } from '../fs/paths';
import { LineIndex } from '../text/positions';
import { duplicateKeys } from '../yaml/ast';
import { parseDotEnv } from './env';
import { uniqueErrors, type ComposeError } from './errors';
import { interpolate } from './interpolate';

export interface ComposePort {
  hostIp?: string;
  /** The published host port after interpolation, e.g. "3000" or a range "8000-8010". */
  published?: string;
  target: string;
  protocol: string;
}

export interface ComposeVolume {
  type: 'bind' | 'volume' | 'tmpfs';
  /** bind: absolute host path resolved against the project dir; volume: the volume name. */
  source?: string;
  target: string;
  readOnly: boolean;
}

export interface ComposeService {
  name: string;
  image?: string;
  build?: { context: string; dockerfile?: string };
  ports: ComposePort[];
  volumes: ComposeVolume[];
  environment: Record<string, string>;
  healthcheck: boolean;
  dependsOn: Record<string, { condition: string }>;
  profiles: string[];
  containerName?: string;
  restart?: string;
  /** `user:` as written ("1000", "1000:1000", "superset"); the image's user when absent. */
  user?: string;
  labels: Record<string, string>;
}

export interface ComposeProject {
  /** As compose derives it: -p, COMPOSE_PROJECT_NAME, top-level `name:`, else the dir basename normalised. */
  name: string;
  dir: string;
  files: string[];
  /** .env merged with the process environment; the process environment wins, as in compose. */
  env: Map<string, string>;
  /** All services, whatever their profiles. */
  services: ComposeService[];
  /** Every profile the services name, in file order. */
  profiles: string[];
  /** The profiles compose enables: `--profile` (the option), else COMPOSE_PROFILES (environment or .env). */
  activeProfiles: string[];
  /** Where activeProfiles come from. */
  profilesFrom: 'option' | 'COMPOSE_PROFILES';
  /** What could not be read as written: parse, interpolation, include and extends errors, each with its code. */
  errors: ComposeError[];
}

export interface LoadOptions {
  /** Compose files (relative to dir or absolute); default: findComposeFiles. */
  files?: string[];
  processEnv?: NodeJS.ProcessEnv;
  /** Like `docker compose -p`. */
  projectName?: string;
  /** Like `--profile`; default: COMPOSE_PROFILES. */
  profiles?: string[];
}

export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];
export const COMPOSE_OVERRIDE_FILE_NAMES = [
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
];

/** COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR) if set, else the first default file and the first override file present. */
export function findComposeFiles(dir: string, env?: ReadonlyMap<string, string>): string[] {
  const composeFile = env?.get('COMPOSE_FILE');
  if (composeFile) {
    const separator = env?.get('COMPOSE_PATH_SEPARATOR') || path.delimiter;
    return composeFile
      .split(separator)
      .filter((f) => f !== '')
      .map((f) => path.resolve(dir, f));
  }
  const first = (names: string[]): string | undefined =>
    names.map((n) => path.join(dir, n)).find((f) => isFile(f));
  const main = first(COMPOSE_FILE_NAMES);
  if (!main) return [];
  const override = first(COMPOSE_OVERRIDE_FILE_NAMES);
  return override ? [main, override] : [main];
}

/** Whether compose starts `service` with these profiles active: it has no profile, or one of them is active. */
export function isServiceActive(service: Pick<ComposeService, 'profiles'>, activeProfiles: readonly string[]): boolean {
  return service.profiles.length === 0 || service.profiles.some((p) => activeProfiles.includes(p));
}

/** compose-go's NormalizeProjectName: lower-case, keep [a-z0-9_-], no leading - or _. */
export function normalizeProjectName(name: string): string {
  return (name.toLowerCase().match(/[a-z0-9_-]/g) ?? []).join('').replace(/^[-_]+/, '');
}

export function loadComposeProject(dir: string, options: LoadOptions = {}): Promise<ComposeProject> {
  return loadProject(dir, options, 0);
}

async function loadProject(dir: string, options: LoadOptions, includeDepth: number): Promise<ComposeProject> {
  const projectDir = path.resolve(dir);
  const errors: ComposeError[] = [];
  const processEnv = options.processEnv ?? process.env;
  const env = new Map<string, string>();
  const dotEnvText = await readText(path.join(projectDir, '.env'), errors);
  if (dotEnvText !== undefined) {
    for (const [k, v] of parseDotEnv(dotEnvText, (name) => processEnv[name])) env.set(k, v);
  }
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env.set(k, v);

  const files = options.files
    ? options.files.map((f) => path.resolve(projectDir, f))
    : findComposeFiles(projectDir, env);
  if (files.length === 0) errors.push({ code: 'no-compose-file', message: `no compose file in ${projectDir}` });

  let merged: Raw = {};
  for (const file of files) {
    const read = await readRegularFile(file);
    if (!read.ok) {
      errors.push({ code: 'unreadable-file', message: `${file}: ${read.missing ? 'cannot read the file: no such file' : read.message}` });
      continue;
    }
    const text = read.text;
    const raw = parseComposeText(text, file, env, errors);
    // compose resolves `extends` within each file before merging the files.
    if (raw && isMap(raw.services)) raw.services = await resolveExtends(raw.services, path.dirname(file), env, errors, true);
    if (raw) merged = mergeFiles(merged, raw);
  }

  const topName = typeof merged.name === 'string' ? merged.name : undefined;
  const name = normalizeProjectName(
    options.projectName || env.get('COMPOSE_PROJECT_NAME') || topName || path.basename(projectDir),
  );
  const activeProfiles =
    options.profiles ?? (env.get('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');

  // What is left extends a service of another file of the project (an override extending the base).
  if (isMap(merged.services)) merged.services = await resolveExtends(merged.services, projectDir, env, errors, false);

  const services: ComposeService[] = [];
  const rawServices = merged.services;
  if (rawServices !== undefined && rawServices !== null) {
    if (!isMap(rawServices)) errors.push({ code: 'not-a-mapping', message: '`services` must be a mapping of service names to definitions' });
    else {
      for (const [serviceName, def] of Object.entries(rawServices)) {
        services.push(normalizeService(serviceName, isMap(def) ? def : {}, projectDir, env, errors));
      }
    }
  }
  services.push(...(await includedServices(merged.include, projectDir, env, includeDepth, services, errors)));
  // A missing required variable used in several places is one problem, said once.
  const profiles = [...new Set(services.flatMap((s) => s.profiles))];
  return { name, dir: projectDir, files, env, services, profiles, activeProfiles, profilesFrom: options.profiles ? 'option' : 'COMPOSE_PROFILES', errors: uniqueErrors(errors) };
}

type Raw = Record<string, unknown>;

function isMap(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isFile(f: string): boolean {
  try {
    return fs.statSync(f).isFile();
  } catch {
    return false;
  }
}

/** A regular file's text; a missing file is undefined, one that cannot be read is also an error. */
async function readText(file: string, errors: ComposeError[]): Promise<string | undefined> {
  const read = await readRegularFile(file);
  if (read.ok) return read.text;
  if (!read.missing) errors.push({ code: 'unreadable-file', message: `${file}: ${read.message}` });
  return undefined;
}

/** Parses one compose file and interpolates every string value (keys are not interpolated, as in compose). */
function parseComposeText(text: string, file: string, env: ReadonlyMap<string, string>, errors: ComposeError[]): Raw | undefined {
  const doc = parseDocument(text, { merge: true, prettyErrors: false, uniqueKeys: false });
  for (const d of duplicateKeys(doc)) errors.push({ code: 'yaml-syntax', message: `${file}: duplicate key "${d.key}"` });
  if (doc.errors.length > 0) {
    // With prettyErrors off the parser gives offsets only: lines and columns come from them.
    const lines = new LineIndex(text);
    for (const e of doc.errors) {
      const at = lines.position(e.pos[0]);
      errors.push({ code: 'yaml-syntax', message: `${file}:${at.line + 1}:${at.column + 1}: ${e.message.split('\n')[0]}` });
    }
    return undefined;
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 10_000 });
  } catch (e) {
    errors.push({ code: 'yaml-syntax', message: `${file}: ${e instanceof Error ? e.message : String(e)}` });
    return undefined;
  }
  if (js === null || js === undefined) return {};
  if (!isMap(js)) {
    errors.push({ code: 'not-a-mapping', message: `${file}: the top level must be a mapping` });
    return undefined;
  }
  const lookup = (name: string): string | undefined => env.get(name);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = interpolate(v, lookup);
      for (const err of r.errors) errors.push({ ...err, message: `${file}: ${err.message}` });
      return r.value;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (isMap(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const interpolated = walk(js) as Raw;
  if (isMap(interpolated.services)) {
    for (const def of Object.values(interpolated.services)) if (isMap(def)) listsToMappings(def);
  }
  return interpolated;
}

// environment, labels and depends_on may be written as lists; merging needs them as mappings.
function listsToMappings(service: Raw): void {
  for (const key of ['environment', 'labels', 'annotations']) {
    const v = service[key];
    if (Array.isArray(v)) {
      service[key] = Object.fromEntries(
        v.map((item) => {
          const s = String(item);
          const eq = s.indexOf('=');
          return eq < 0 ? [s, null] : [s.slice(0, eq), s.slice(eq + 1)];
        }),
      );
    }
  }
  if (Array.isArray(service.depends_on)) {
    service.depends_on = Object.fromEntries(service.depends_on.map((d) => [String(d), { condition: 'service_started' }]));
  }
}

/** Compose's merge rules, reduced to what the model reads: mappings merge, scalars and command-like lists override. */
function mergeFiles(base: Raw, override: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (key === 'services' && isMap(value) && isMap(base.services)) {
      const services: Raw = { ...base.services };
      for (const [name, def] of Object.entries(value)) {
        const prev = services[name];
        services[name] = isMap(prev) && isMap(def) ? mergeService(prev, def) : def;
      }
      out.services = services;
    } else {
      out[key] = isMap(value) && isMap(base[key]) ? deepMerge(base[key] as Raw, value) : value;
    }
  }
  return out;
}

// `include`: other compose files loaded as their own models (paths relative to their own folder,
// variables from the including project), their services added; a name defined twice is an error.
async function includedServices(
  include: unknown,
  projectDir: string,
  env: ReadonlyMap<string, string>,
  depth: number,
  existing: readonly ComposeService[],
  errors: ComposeError[],
): Promise<ComposeService[]> {
  const entries = typeof include === 'string' ? [include] : asArray(include);
  if (entries.length === 0) return [];
  if (depth >= 5) {
    errors.push({ code: 'include', message: 'include: nested too deeply (a cycle?)' });
    return [];
  }
  const names = new Set(existing.map((s) => s.name));
  const out: ComposeService[] = [];
  for (const entry of entries) {
    const paths = typeof entry === 'string' ? [entry] : isMap(entry) ? (typeof entry.path === 'string' ? [entry.path] : asArray(entry.path).map(String)) : [];
    if (paths.length === 0) continue;
    const files = paths.map((p) => path.resolve(projectDir, p));
    const dir = isMap(entry) && typeof entry.project_directory === 'string' ? path.resolve(projectDir, entry.project_directory) : path.dirname(files[0]);
    const processEnv = Object.fromEntries(env);
    const included = await loadProject(dir, { files, processEnv }, depth + 1);
    for (const error of included.errors) errors.push({ ...error, message: `include ${paths.join(', ')}: ${error.message}` });
    for (const service of included.services) {
      if (names.has(service.name)) errors.push({ code: 'include', message: `include ${paths.join(', ')}: service ${service.name} is already defined` });
      else {
        names.add(service.name);
        out.push(service);
      }
    }
  }
  return out;
}

// `extends`: a service starts from another one (of this file, or of `file:`), merged with the
// same rules as an override file. Paths of a service taken from a file in another folder are
// rebased onto this project, as compose does.
async function resolveExtends(
  services: Raw,
  fileDir: string,
  env: ReadonlyMap<string, string>,
  errors: ComposeError[],
  /** Leave a service whose base is not in `services` for the pass over the merged files. */
  deferMissing: boolean,
): Promise<Raw> {
  const fileServices = new Map<string, Raw | undefined>();
  const servicesOf = async (file: string): Promise<Raw | undefined> => {
    if (!fileServices.has(file)) {
      const read = await readRegularFile(file);
      const text = read.ok ? read.text : undefined;
      if (!read.ok) errors.push({ code: read.missing ? 'extends' : 'unreadable-file', message: `extends: cannot read ${file}${read.missing ? '' : `: ${read.message}`}` });
      const raw = text === undefined ? undefined : parseComposeText(text, file, env, errors);
      fileServices.set(file, raw && isMap(raw.services) ? raw.services : undefined);
    }
    return fileServices.get(file);
  };
  const resolveOne = async (name: string, pool: Raw, dir: string, seen: string[]): Promise<Raw | undefined> => {
    const def = pool[name];
    if (!isMap(def)) return undefined;
    const spec = def.extends;
    if (spec === undefined) return def;
    const { extends: _, ...own } = def;
    const baseName = typeof spec === 'string' ? spec : isMap(spec) && typeof spec.service === 'string' ? spec.service : undefined;
    const baseFile = isMap(spec) && typeof spec.file === 'string' ? path.resolve(dir, spec.file) : undefined;
    const key = `${baseFile ?? dir}#${baseName}`;
    if (baseName === undefined || seen.includes(key)) {
      errors.push({ code: 'extends', message: baseName === undefined ? `service ${name}: extends needs a service name` : `service ${name}: extends forms a cycle` });
      return own;
    }
    const basePool = baseFile ? await servicesOf(baseFile) : pool;
    const baseDir = baseFile ? path.dirname(baseFile) : dir;
    if (deferMissing && !baseFile && !isMap(pool[baseName])) return def;
    const base = basePool ? await resolveOne(baseName, basePool, baseDir, [...seen, key]) : undefined;
    if (!base) {
      errors.push({ code: 'extends', message: `service ${name}: extends ${baseName}${baseFile ? ` in ${baseFile}` : ''}, which does not exist` });
      return own;
    }
    return mergeService(baseDir === dir ? base : rebasePaths(base, baseDir, dir), own);
  };
  const out: Raw = {};
  for (const name of Object.keys(services)) out[name] = (await resolveOne(name, services, fileDir, [`${fileDir}#${name}`])) ?? services[name];
  return out;
}

/** Relative paths of a service (build context, env files, bind sources) made relative to `to`. */
function rebasePaths(service: Raw, from: string, to: string): Raw {
  const rebase = (p: string): string => (path.isAbsolute(p) ? p : path.relative(to, path.resolve(from, p)) || '.');
  const dotted = (p: string): string => (path.isAbsolute(p) || p.startsWith('.') ? p : `./${p}`);
  const out: Raw = { ...service };
  if (typeof out.build === 'string') out.build = dotted(rebase(out.build));
  else if (isMap(out.build) && typeof out.build.context === 'string') out.build = { ...out.build, context: dotted(rebase(out.build.context)) };
  if (typeof out.env_file === 'string') out.env_file = dotted(rebase(out.env_file));
  else if (Array.isArray(out.env_file)) out.env_file = out.env_file.map((e) => (typeof e === 'string' ? dotted(rebase(e)) : isMap(e) && typeof e.path === 'string' ? { ...e, path: dotted(rebase(e.path)) } : e));
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v) => {
      if (isMap(v)) return v.type === 'bind' && typeof v.source === 'string' ? { ...v, source: dotted(rebase(v.source)) } : v;
      const spec = String(v);
      const colon = spec.indexOf(':');
      return colon > 0 && spec.startsWith('.') ? `${dotted(rebase(spec.slice(0, colon)))}${spec.slice(colon)}` : v;
    });
  }
  return out;
}

const REPLACED_LISTS = new Set(['command', 'entrypoint', 'test']);

function mergeService(base: Raw, override: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prev = base[key];
    if (key === 'volumes' && Array.isArray(prev) && Array.isArray(value)) {
      // Volumes are merged by their container target.
      const byTarget = new Map<string, unknown>();
      for (const v of [...prev, ...value]) byTarget.set(volumeTarget(v), v);
      out[key] = [...byTarget.values()];
    } else if (key === 'build' && isMap(value) && typeof prev === 'string') {
      out[key] = { context: prev, ...value };
    } else {
      out[key] = mergeValue(key, prev, value);
    }
  }
  return out;
}

function mergeValue(key: string, prev: unknown, value: unknown): unknown {
  if (isMap(prev) && isMap(value)) return deepMerge(prev, value);
  if (Array.isArray(prev) && Array.isArray(value) && !REPLACED_LISTS.has(key)) {
    const seen = new Set(prev.map((p) => JSON.stringify(p)));
    return [...prev, ...value.filter((v) => !seen.has(JSON.stringify(v)))];
  }
  return value;
}

function deepMerge(base: Raw, override: Raw): Raw {
  const out: Raw = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeValue(key, base[key], value);
  return out;
}

function volumeTarget(v: unknown): string {
  if (isMap(v)) return String(v.target ?? '');
  return parseVolumeShort(String(v)).target;
}

function normalizeService(name: string, def: Raw, dir: string, env: ReadonlyMap<string, string>, errors: ComposeError[]): ComposeService {
  const str = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  const service: ComposeService = {
    name,
    ports: asArray(def.ports).flatMap(parsePort),
    volumes: asArray(def.volumes).flatMap((v) => parseVolume(v, dir)),
    // `environment` wins over `env_file`, as in compose.
    environment: { ...envFileRecord(name, def.env_file, dir, env, errors), ...environmentRecord(def.environment, env) },
    healthcheck: hasHealthcheck(def.healthcheck),
    dependsOn: {},
    profiles: asArray(def.profiles).map(String),
    labels: stringRecord(def.labels),
  };
  const image = str(def.image);
  if (image !== undefined) service.image = image;
  const build = parseBuild(def.build, dir);
  if (build) service.build = build;
  const containerName = str(def.container_name);
  if (containerName !== undefined) service.containerName = containerName;
  const restart = str(def.restart);
  if (restart !== undefined) service.restart = restart;
  const user = str(def.user);
  if (user !== undefined) service.user = user;
  if (isMap(def.depends_on)) {
    for (const [dep, spec] of Object.entries(def.depends_on)) {
      const condition = isMap(spec) && typeof spec.condition === 'string' ? spec.condition : 'service_started';
      service.dependsOn[dep] = { condition };
    }
  }
  return service;
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// `- KEY` takes KEY from the project environment; when it has none the variable is left out
// (`docker compose config` shows it as null and the container does not get it).
function environmentRecord(v: unknown, env: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    const value = x === null || x === undefined ? env.get(k) : String(x);
    if (value !== undefined) out[k] = value;
  }
  return out;
}

// env_file: a path, or a list of paths or {path, required}; later files win. A missing file is an
// error unless `required: false`, as in compose.
function envFileRecord(service: string, v: unknown, dir: string, env: ReadonlyMap<string, string>, errors: ComposeError[]): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = typeof v === 'string' ? [v] : asArray(v);
  for (const entry of entries) {
    const file = typeof entry === 'string' ? entry : isMap(entry) && typeof entry.path === 'string' ? entry.path : undefined;
    if (file === undefined) continue;
    const required = !(isMap(entry) && entry.required === false);
    const read = readRegularFileSync(path.resolve(dir, file));
    if (!read.ok) {
      if (!read.missing) errors.push({ code: 'unreadable-file', message: `service ${service}: env file ${file}: ${read.message}` });
      else if (required) errors.push({ code: 'env-file-missing', message: `service ${service}: env file ${file} not found` });
      continue;
    }
    const text = read.text;
    for (const [k, value] of parseDotEnv(text, (n) => env.get(n))) out[k] = value;
  }
  return out;
}

function stringRecord(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = String(x);
  return out;
}

function hasHealthcheck(v: unknown): boolean {
  if (!isMap(v)) return false;
  if (v.disable === true) return false;
  const test = v.test;
  if (Array.isArray(test)) return test.length > 0 && test[0] !== 'NONE';
  return typeof test === 'string' ? test !== '' : false;
}

// The Dockerfile defaults to "Dockerfile", as `docker compose config` shows it.
function parseBuild(v: unknown, dir: string): ComposeService['build'] {
  if (typeof v === 'string') return { context: resolveContext(v, dir), dockerfile: 'Dockerfile' };
  if (!isMap(v)) return undefined;
  return {
    context: resolveContext(typeof v.context === 'string' ? v.context : '.', dir),
    dockerfile: typeof v.dockerfile === 'string' ? v.dockerfile : 'Dockerfile',
  };
}

// A git URL or other remote context stays as written.
function resolveContext(context: string, dir: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith('git@') ? context : path.resolve(dir, context);
}

/** Short syntax: [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL], HOST_IP may be [IPv6]; long syntax: a mapping. */
export function parsePort(v: unknown): ComposePort[] {
  if (isMap(v)) {
    if (v.target === undefined) return [];
    const port: ComposePort = { target: String(v.target), protocol: typeof v.protocol === 'string' ? v.protocol : 'tcp' };
    if (v.host_ip !== undefined) port.hostIp = String(v.host_ip);
    if (v.published !== undefined && v.published !== '') port.published = String(v.published);
    return [port];
  }
  if (typeof v !== 'string' && typeof v !== 'number') return [];
  let spec = String(v);
  let protocol = 'tcp';
  const slash = spec.lastIndexOf('/');
  if (slash >= 0) {
    protocol = spec.slice(slash + 1);
    spec = spec.slice(0, slash);
  }
  let hostIp: string | undefined;
  const ipv6 = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  if (ipv6) {
    hostIp = ipv6[1];
    spec = ipv6[2];
  }
  const parts = spec.split(':');
  const target = parts.pop() ?? '';
  const port: ComposePort = { target, protocol };
  if (parts.length === 2 && hostIp === undefined) hostIp = parts.shift();
  if (parts.length === 1 && parts[0] !== '') port.published = parts[0];
  if (hostIp !== undefined && hostIp !== '') port.hostIp = hostIp;
  return [port];
}

/** SRC:DST[:MODE] or DST; a source starting with . / ~, a drive letter or a UNC share is a host path, otherwise a volume name. */
export function parseVolumeShort(spec: string): { source?: string; target: string; mode?: string; bind: boolean } {
  // A Windows drive letter ("C:\\data:/data") keeps its colon.
  const parts = spec.split(':');
  if (parts.length >= 2 && /^[A-Za-z]$/.test(parts[0]) && /^[\\/]/.test(parts[1])) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
  if (parts.length === 1) return { target: parts[0], bind: false };
  const [source, target, mode] = parts;
  const bind = source.startsWith('.') || isAbsoluteHostPath(source);
  return mode === undefined ? { source, target, bind } : { source, target, mode, bind };
}

function parseVolume(v: unknown, dir: string): ComposeVolume[] {
  if (isMap(v)) {
    const type = v.type === 'bind' || v.type === 'tmpfs' ? v.type : 'volume';
    if (typeof v.target !== 'string') return [];
    const volume: ComposeVolume = { type, target: v.target, readOnly: v.read_only === true };
    if (typeof v.source === 'string' && v.source !== '') {
      volume.source = type === 'bind' ? hostPath(v.source, dir) : v.source;
    }
    return [volume];
  }
  if (typeof v !== 'string') return [];
  const short = parseVolumeShort(v);
  const volume: ComposeVolume = {
    type: short.bind ? 'bind' : 'volume',
    target: short.target,
    readOnly: (short.mode ?? '').split(',').includes('ro'),
  };
  if (short.source !== undefined) volume.source = short.bind ? hostPath(short.source, dir) : short.source;
  return [volume];
}

function hostPath(source: string, dir: string): string {
  return resolveHostPath(source, dir, os.homedir());
}
