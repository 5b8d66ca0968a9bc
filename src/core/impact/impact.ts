// The impact of a change on a fork: the platform before (a git ref, a pristine rendering) and
// after (the working tree, a merged update), compared as a fork experiences them. Each item says
// how bad it is and what a fork made "before" must do: the platform guide's impact analysis.
import { findPins, goldenEntryOf } from '../rules/pins';
import { classifyFile } from '../workspace/classify';
import { goldenFrom } from '../golden/golden';
import { compareGolden, tagNumbers } from '../versions/compare';
import { buildModel, type PlatformModel, type ServiceModel, type VariableModel, type VolumeModel } from './model';
import type { Snapshot } from './snapshot';

export type ImpactSeverity = 'error' | 'breaking' | 'warning' | 'info';
export type ImpactCategory = 'services' | 'ports' | 'variables' | 'volumes' | 'versions' | 'images' | 'dbt' | 'dagster';

export const CATEGORY_TITLES: Record<ImpactCategory, string> = {
  services: 'Services',
  ports: 'Ports',
  variables: 'Variables',
  volumes: 'Volumes and data',
  versions: 'Golden versions',
  images: 'Python version and base images',
  dbt: 'dbt targets',
  dagster: 'Dagster executor',
};

export interface ImpactItem {
  category: ImpactCategory;
  severity: ImpactSeverity;
  /** What changed, one sentence (markdown code spans allowed). */
  change: string;
  /** What a fork must do, one or more sentences with the commands. */
  migration: string;
  /** Files of the fork that are concerned (relative POSIX paths), for links. */
  files: string[];
}

export interface ImpactReport {
  before: string;
  after: string;
  items: ImpactItem[];
  /** Files that could not be read (YAML syntax errors), named so that silence is not mistaken for "no impact". */
  problems: string[];
}

export const NEVER_DOWNGRADE_QUOTE = 'The platform guide, Upgrading a Service Version: "**NEVER** downgrade to fix issues".';
const SEVERITY_ORDER: Record<ImpactSeverity, number> = { error: 0, breaking: 1, warning: 2, info: 3 };
const CATEGORY_ORDER = Object.keys(CATEGORY_TITLES) as ImpactCategory[];

const code = (s: string): string => `\`${s}\``;

function repository(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const ref = image.split('@')[0];
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
}

function defaultOf(v: VariableModel | undefined): string | undefined {
  return v?.uses.find((u) => u.default !== undefined)?.default;
}

/** A use site without its file ("services.dagster.ports[0]"), so renames across files still pair. */
function sitesOf(v: VariableModel): Set<string> {
  return new Set(v.uses.map((u) => u.site.slice(u.site.indexOf(': ') + 2)));
}

class Collector {
  readonly items: ImpactItem[] = [];
  add(category: ImpactCategory, severity: ImpactSeverity, change: string, migration: string, files: Array<string | undefined> = []): void {
    this.items.push({ category, severity, change, migration, files: [...new Set(files.filter((f): f is string => f !== undefined))].sort() });
  }
}

function services(before: PlatformModel, after: PlatformModel, out: Collector): Map<string, string> {
  const removed = [...before.services.values()].filter((s) => !after.services.has(s.name));
  const added = [...after.services.values()].filter((s) => !before.services.has(s.name));
  const renamed = new Map<string, string>();
  for (const old of removed) {
    const same = (s: ServiceModel): boolean =>
      (old.build !== undefined && s.build === old.build) || (old.image !== undefined && repository(s.image) === repository(old.image) && !/:local$/.test(old.image ?? ''));
    const match = added.find((a) => ![...renamed.values()].includes(a.name) && same(a));
    if (match) renamed.set(old.name, match.name);
  }
  for (const [from, to] of renamed) {
    out.add('services', 'breaking', `Service ${code(from)} is renamed ${code(to)}.`,
      `Run ${code('docker compose up -d --build --remove-orphans')} to replace the old container; change ${code(from)} to ${code(to)} in your own scripts, ${code('docker compose exec')} commands and ${code('depends_on')} entries.`,
      [after.services.get(to)?.file]);
  }
  for (const s of added) {
    if ([...renamed.values()].includes(s.name)) continue;
    const what = s.image ? `image ${code(s.image)}` : `built from ${code(s.build ?? '.')}`;
    const ports = s.ports.filter((p) => p.published !== '').map((p) => (p.variable ? `${code(p.variable)} (default ${p.hostDefault ?? 'none'})` : code(p.published)));
    out.add('services', 'info', `Service ${code(s.name)} is added (${what})${ports.length > 0 ? `, publishing host port ${ports.join(', ')}` : ''}.`,
      `Run ${code(`docker compose up -d --build ${s.name}`)}${ports.length > 0 ? '; pick a free host port in .env if the default is taken' : ''}.`, [s.file]);
  }
  for (const s of removed) {
    if (renamed.has(s.name)) continue;
    const volumes = s.volumes.filter((v) => v.type === 'volume' && v.source).map((v) => code(v.source ?? ''));
    out.add('services', 'warning', `Service ${code(s.name)} is removed.`,
      `Run ${code('docker compose up -d --remove-orphans')} to remove its old container${volumes.length > 0 ? `; its volumes ${volumes.join(', ')} stay until you remove them with ${code('docker volume rm')}` : ''}.`, [s.file]);
  }
  for (const s of after.services.values()) {
    const old = before.services.get(s.name);
    if (!old) continue;
    if (old.image !== s.image && !(old.build !== undefined && s.build !== undefined && old.build === s.build)) {
      out.add('services', 'warning', `Service ${code(s.name)} changes image: ${code(old.image ?? 'none')} → ${code(s.image ?? 'none')}.`,
        s.build ? `Run ${code(`docker compose build ${s.name}`)}, then ${code(`docker compose up -d ${s.name}`)}.` : `Run ${code(`docker compose pull ${s.name}`)}, then ${code(`docker compose up -d ${s.name}`)}.`, [s.file]);
    }
    if (old.build !== s.build) {
      out.add('services', 'warning', `Service ${code(s.name)} changes build: ${code(old.build ?? 'none')} → ${code(s.build ?? 'none')}.`,
        `Run ${code(`docker compose build ${s.name}`)}, then ${code(`docker compose up -d ${s.name}`)}.`, [s.file]);
    }
  }
  return renamed;
}

/** Ports of services on both sides (a renamed service counts under its new name). Returns the variable renames and default changes it reported. */
function ports(before: PlatformModel, after: PlatformModel, renamed: ReadonlyMap<string, string>, out: Collector): { renames: Map<string, string>; defaults: Set<string> } {
  const renames = new Map<string, string>();
  const defaults = new Set<string>();
  const inverse = new Map([...renamed].map(([a, b]) => [b, a]));
  for (const s of after.services.values()) {
    const old = before.services.get(inverse.get(s.name) ?? s.name);
    if (!old) continue;
    const oldPorts = old.ports.filter((p) => p.published !== '');
    const newPorts = s.ports.filter((p) => p.published !== '');
    const unmatchedOld = oldPorts.filter((p) => !newPorts.some((n) => n.target === p.target));
    const unmatchedNew = newPorts.filter((p) => !oldPorts.some((o) => o.target === p.target));
    for (const p of newPorts) {
      const o = oldPorts.find((x) => x.target === p.target) ?? unmatchedOld[unmatchedNew.indexOf(p)];
      if (!o) continue;
      if (o.target !== p.target) {
        out.add('ports', 'warning', `Container port of ${code(s.name)} changes: ${code(o.target)} → ${code(p.target)}.`,
          `Anything that reaches ${code(`${s.name}:${o.target}`)} inside the compose network (other services, your scripts) must use ${code(`${s.name}:${p.target}`)}.`, [s.file]);
      }
      if (o.variable !== p.variable) {
        if (o.variable && p.variable) renames.set(o.variable, p.variable);
        out.add('ports', 'breaking', `Host port of ${code(s.name)} (container ${p.target}) is now set by ${code(p.variable ?? p.published)} instead of ${code(o.variable ?? o.published)}.`,
          o.variable && p.variable
            ? `Rename ${code(o.variable)} to ${code(p.variable)} in .env: the old line silently stops applying${p.hostDefault ? ` and the port falls back to ${p.hostDefault}` : ''}.`
            : `Set the host port again where it is now configured (${code(p.published)}).`, [s.file, '.env.example']);
      } else if (o.hostDefault !== p.hostDefault) {
        if (p.variable) defaults.add(p.variable);
        out.add('ports', 'warning', `Default host port of ${code(s.name)} changes: ${o.hostDefault ?? 'none'} → ${p.hostDefault ?? 'none'}${p.variable ? ` (${code(p.variable)})` : ''}.`,
          p.variable
            ? `A fork whose .env sets ${code(p.variable)} keeps its port; otherwise set ${code(`${p.variable}=${o.hostDefault ?? ''}`)} in .env to keep the old one, or update bookmarks and README links to ${p.hostDefault ?? 'the new port'}.`
            : `Update bookmarks and README links to ${p.hostDefault ?? 'the new port'}.`, [s.file]);
      }
    }
  }
  return { renames, defaults };
}

function variables(before: PlatformModel, after: PlatformModel, reported: { renames: Map<string, string>; defaults: Set<string> }, out: Collector): void {
  const removed = [...before.variables.values()].filter((v) => !after.variables.has(v.name));
  const added = [...after.variables.values()].filter((v) => !before.variables.has(v.name));
  const renames = new Map(reported.renames);
  for (const old of removed) {
    if (renames.has(old.name)) continue;
    const oldSites = sitesOf(old);
    const free = added.filter((a) => ![...renames.values()].includes(a.name));
    // Same place (a port, an environment key), else the same service and the same default.
    const services = (v: VariableModel): Set<string> => new Set([...sitesOf(v)].map((s) => /^services\.[^.[]+/.exec(s)?.[0] ?? s));
    const match =
      free.find((a) => [...sitesOf(a)].some((s) => oldSites.has(s))) ??
      free.find((a) => defaultOf(a) !== undefined && defaultOf(a) === defaultOf(old) && [...services(a)].some((s) => services(old).has(s)));
    if (match) renames.set(old.name, match.name);
  }
  const reportedRenames = new Set(reported.renames.keys());
  for (const [from, to] of renames) {
    if (reportedRenames.has(from)) continue;
    const d = defaultOf(after.variables.get(to));
    out.add('variables', 'breaking', `Variable ${code(from)} is renamed ${code(to)}.`,
      `Rename the ${code(from)} line of .env to ${code(to)}: the old line silently stops applying${d !== undefined ? ` and the default ${code(d)} is used instead` : ''}.`, ['.env.example']);
  }
  for (const v of added) {
    if ([...renames.values()].includes(v.name)) continue;
    const d = defaultOf(v);
    const example = v.example !== undefined ? ` (.env.example: ${code(`${v.name}=${v.example}`)})` : '';
    if (v.uses.length === 0) {
      out.add('variables', 'warning', `Variable ${code(v.name)} is new in .env.example${example}.`, `Add ${code(v.name)} to .env.`, ['.env.example']);
    } else if (d === undefined) {
      out.add('variables', 'breaking', `Variable ${code(v.name)} is new and has no default: every fork's .env must set it${example}.`,
        `Add ${code(`${v.name}=…`)} to .env before ${code('docker compose up')}.`, ['.env.example']);
    } else {
      out.add('variables', 'info', `Variable ${code(v.name)} is new, with default ${code(d)}.`, `Nothing to do; set it in .env only to change the default.`, ['.env.example']);
    }
  }
  for (const v of removed) {
    if (renames.has(v.name)) continue;
    out.add('variables', 'warning', `Variable ${code(v.name)} is no longer read.`, `Remove ${code(v.name)} from .env: its line silently stops applying.`, ['.env.example']);
  }
  for (const v of after.variables.values()) {
    const old = before.variables.get(v.name);
    if (!old || reported.defaults.has(v.name)) continue;
    const a = defaultOf(old);
    const b = defaultOf(v);
    if (a === b || /^DUCKDB_\w*PATH$/.test(v.name)) continue;
    if (b === undefined && v.uses.length > 0) {
      out.add('variables', 'breaking', `Variable ${code(v.name)} loses its default ${code(a ?? '')}: every fork's .env must set it.`, `Add ${code(`${v.name}=${a ?? ''}`)} to .env.`, ['.env.example']);
    } else if (b !== undefined) {
      out.add('variables', 'warning', `Default of ${code(v.name)} changes: ${code(a ?? 'none')} → ${code(b)}.`,
        a !== undefined ? `Set ${code(`${v.name}=${a}`)} in .env to keep the old behaviour.` : 'Nothing to do unless you relied on it being unset.', ['.env.example']);
    }
  }
}

/** The host path of a container path through a service's bind mounts ("/app/02_duck_db/x" → "./02_duck_db/x"). */
function hostPath(containerPath: string, mounts: readonly VolumeModel[]): string | undefined {
  const bind = mounts
    .filter((m) => m.type === 'bind' && m.source && (containerPath === m.target || containerPath.startsWith(`${m.target}/`)))
    .sort((a, b) => b.target.length - a.target.length)[0];
  return bind?.source ? `${bind.source.replace(/\/$/, '')}${containerPath.slice(bind.target.length)}` : undefined;
}

function volumes(before: PlatformModel, after: PlatformModel, renamedServices: ReadonlyMap<string, string>, out: Collector): void {
  const prefix = after.projectName ?? before.projectName ?? '<project>';
  const inverse = new Map([...renamedServices].map(([a, b]) => [b, a]));
  const volumeRenames = new Map<string, string>();
  const binds = new Map<string, { to: string; services: string[]; file: string }>();
  for (const s of after.services.values()) {
    const old = before.services.get(inverse.get(s.name) ?? s.name);
    if (!old) continue;
    for (const m of s.volumes) {
      const o = old.volumes.find((x) => x.target === m.target);
      if (!o || o.source === m.source || !o.source || !m.source) continue;
      if (o.type === 'volume' && m.type === 'volume' && before.namedVolumes.has(o.source) && !after.namedVolumes.has(o.source)) volumeRenames.set(o.source, m.source);
      else if (o.type === 'bind' && m.type === 'bind') {
        const b = binds.get(o.source) ?? { to: m.source, services: [], file: s.file };
        b.services.push(s.name);
        binds.set(o.source, b);
      }
    }
  }
  const copy = (from: string, to: string): string =>
    `${code(`docker volume create ${prefix}_${to}`)} then ${code(`docker run --rm -v ${prefix}_${from}:/from -v ${prefix}_${to}:/to busybox cp -a /from/. /to/`)}`;
  for (const [from, to] of volumeRenames) {
    out.add('volumes', 'breaking', `Named volume ${code(from)} is renamed ${code(to)}: its data would be left behind in ${code(`${prefix}_${from}`)}.`,
      `Before ${code('docker compose up')}: ${code('docker compose down')}, ${copy(from, to)}; remove the old volume once the platform works.`, [after.services.values().next().value?.file]);
  }
  for (const name of before.namedVolumes) {
    if (after.namedVolumes.has(name) || volumeRenames.has(name)) continue;
    out.add('volumes', 'breaking', `Named volume ${code(name)} is no longer used: its data stays in ${code(`${prefix}_${name}`)} but nothing mounts it.`,
      `Copy out what you need (${code(`docker run --rm -v ${prefix}_${name}:/from -v "$PWD":/to busybox cp -a /from/. /to/${name}/`)}) before ${code(`docker volume rm ${prefix}_${name}`)}.`);
  }
  for (const [from, b] of binds) {
    out.add('volumes', 'breaking', `Bind mount of ${b.services.map(code).join(', ')} moves: ${code(from)} → ${code(b.to)}: the data under ${code(from)} would be left behind.`,
      `${code('docker compose down')}, then ${code(`mv ${from} ${b.to}`)}, then ${code('docker compose up -d')}.`, [b.file]);
  }
  // DUCKDB_*_PATH in services' environment and .env.example.
  const moved = new Map<string, { from: string; to: string; services: string[]; hostFrom?: string; hostTo?: string; file?: string }>();
  for (const s of after.services.values()) {
    const old = before.services.get(inverse.get(s.name) ?? s.name);
    if (!old) continue;
    for (const [key, value] of Object.entries(s.environment)) {
      const was = old.environment[key];
      if (!/^DUCKDB_\w*PATH$/.test(key) || was === undefined || was === value) continue;
      const id = `${key}\u0000${was}\u0000${value}`;
      const m = moved.get(id) ?? { from: was, to: value, services: [], file: s.file };
      m.services.push(s.name);
      m.hostFrom ??= hostPath(was, old.volumes);
      m.hostTo ??= hostPath(value, s.volumes);
      moved.set(id, m);
    }
  }
  for (const v of after.variables.values()) {
    const was = before.variables.get(v.name)?.example;
    if (!/^DUCKDB_\w*PATH$/.test(v.name) || was === undefined || v.example === undefined || was === v.example) continue;
    moved.set(`${v.name}\u0000${was}\u0000${v.example}`, { from: was, to: v.example, services: [], file: '.env.example' });
  }
  for (const [id, m] of moved) {
    const key = id.split('\u0000')[0];
    const where = m.services.length > 0 ? ` (${m.services.map(code).join(', ')})` : ' (.env.example)';
    const mv = m.hostFrom && m.hostTo ? code(`mv ${m.hostFrom} ${m.hostTo}`) : `move the file from ${code(m.from)} to ${code(m.to)}`;
    out.add('volumes', 'breaking', `${code(key)} moves: ${code(m.from)} → ${code(m.to)}${where}: the DuckDB database would be left behind.`,
      `Stop writers (${code('docker compose down')}), then ${mv} (with its ${code('.wal')} file if there is one), then start again.`, [m.file]);
  }
  for (const [target, path] of after.dbtTargets) {
    const was = before.dbtTargets.get(target);
    if (was === undefined || was === path) continue;
    out.add('volumes', 'breaking', `dbt target ${code(target)} moves its database: ${code(was)} → ${code(path)}: the data would be left behind.`,
      `Move the database file to the new path (stop Dagster and dbt first), or set the variable in .env to the old path.`, [after.dbtFile]);
  }
}

function pinFiles(after: Snapshot, model: PlatformModel, tool: string): string[] {
  const golden = goldenFrom(model.goldenFile, model.golden);
  const files: string[] = [];
  for (const [file, text] of after.files) {
    const kind = classifyFile(file);
    if (!kind) continue;
    if (findPins(text, kind).some((p) => goldenEntryOf(p, golden)?.tool === tool)) files.push(file);
  }
  return files.sort();
}

function versions(before: PlatformModel, after: PlatformModel, afterSnapshot: Snapshot, out: Collector): void {
  const old = new Map(before.golden.map((e) => [e.tool.toLowerCase(), e]));
  for (const e of after.golden) {
    const o = old.get(e.tool.toLowerCase());
    if (!o) {
      out.add('versions', 'info', `${e.tool} ${e.version} is added to golden_versions.md.`, 'Nothing to do.', [after.goldenFile]);
      continue;
    }
    const order = compareGolden(e.version, o.version);
    if (order === undefined || order === 0) continue;
    const files = pinFiles(afterSnapshot, after, e.tool);
    if (order < 0) {
      out.add('versions', 'error', `${e.tool} goes down: ${o.version} → ${e.version}. ${NEVER_DOWNGRADE_QUOTE}`,
        `Do not take this change: keep ${e.tool} ${o.version} and fix the issue forward.`, [after.goldenFile, ...files]);
    } else {
      out.add('versions', 'warning', `${e.tool} is upgraded: ${o.version} → ${e.version}${files.length > 0 ? `, pinned in ${files.map(code).join(', ')}` : ''}.`,
        `Read the release notes of ${e.tool} ${e.version} for breaking changes; rebuild and restart the services that use it (${code('docker compose build --pull')}, then ${code('docker compose down && docker compose up -d')}).`,
        [after.goldenFile, ...files]);
    }
  }
  const now = new Set(after.golden.map((e) => e.tool.toLowerCase()));
  for (const e of before.golden) {
    if (!now.has(e.tool.toLowerCase())) out.add('versions', 'info', `${e.tool} is removed from golden_versions.md.`, 'Nothing to do unless your fork still uses it.', [after.goldenFile]);
  }
}

function images(before: PlatformModel, after: PlatformModel, out: Collector): void {
  for (const [file, bases] of after.baseImages) {
    const old = before.baseImages.get(file);
    if (!old || old.join('\n') === bases.join('\n')) continue;
    bases.forEach((image, i) => {
      const was = old[i];
      if (was === undefined || was === image) return;
      const py = (ref: string): string | undefined => (repository(ref)?.split('/').pop() === 'python' ? tagNumbers(ref.slice(ref.lastIndexOf(':') + 1))?.join('.') : undefined);
      const [a, b] = [py(was), py(image)];
      const change = a && b && a !== b ? `Python changes in ${code(file)}: ${a} → ${b} (${code(was)} → ${code(image)}).` : `Base image of ${code(file)} changes: ${code(was)} → ${code(image)}.`;
      out.add('images', 'warning', change,
        `Rebuild without cache: ${code('docker compose build --pull --no-cache')}${a && b && a !== b ? '; check that every pinned package supports the new Python' : ''}; then ${code('docker compose down && docker compose up -d')}.`, [file]);
    });
  }
}

function dbtAndDagster(before: PlatformModel, after: PlatformModel, out: Collector): void {
  for (const target of before.dbtTargets.keys()) {
    if (!after.dbtTargets.has(target)) {
      out.add('dbt', 'breaking', `dbt target ${code(target)} is removed.`, `Runs with ${code(`--target ${target.split('.').pop() ?? target}`)} or a ${code('DBT_TARGET')} naming it stop working: change them.`, [after.dbtFile]);
    }
  }
  for (const target of after.dbtTargets.keys()) {
    if (!before.dbtTargets.has(target)) out.add('dbt', 'info', `dbt target ${code(target)} is added.`, 'Nothing to do.', [after.dbtFile]);
  }
  if (before.dagsterExecution !== undefined && after.dagsterExecution !== undefined && before.dagsterExecution !== after.dagsterExecution) {
    out.add('dagster', 'warning', `Dagster's run coordinator or executor changes in ${code(after.dagsterFile ?? 'dagster.yaml')}.`,
      `Restart Dagster (${code('docker compose up -d --force-recreate dagster')}); DuckDB allows one writer per file, so runs must stay sequential.`, [after.dagsterFile]);
  }
}

/** Compares two snapshots of a fork. */
export function compareSnapshots(before: Snapshot, after: Snapshot): ImpactReport {
  const a = buildModel(before);
  const b = buildModel(after);
  const out = new Collector();
  const renamed = services(a, b, out);
  const reported = ports(a, b, renamed, out);
  variables(a, b, reported, out);
  volumes(a, b, renamed, out);
  versions(a, b, after, out);
  images(a, b, out);
  dbtAndDagster(a, b, out);
  const items = out.items
    .map((item, i) => ({ item, i }))
    .sort((x, y) => CATEGORY_ORDER.indexOf(x.item.category) - CATEGORY_ORDER.indexOf(y.item.category) || SEVERITY_ORDER[x.item.severity] - SEVERITY_ORDER[y.item.severity] || x.i - y.i)
    .map(({ item }) => item);
  return {
    before: before.label,
    after: after.label,
    items,
    problems: [...a.problems.map((p) => `${before.label}: ${p}`), ...b.problems.map((p) => `${after.label}: ${p}`)],
  };
}
