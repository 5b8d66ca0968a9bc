// Which kind of file a path is, from its name and folder; undefined for files no rule reads.
import * as path from 'node:path';

/** Which kind of file a rule reads. classifyFile decides it once per path. */
export type FileKind =
  | 'compose'
  | 'dockerfile'
  | 'requirements'
  | 'pyproject'
  | 'packageJson'
  | 'python'
  | 'dbtProfiles'
  | 'dbtProject'
  | 'dbtModel'
  | 'dagsterYaml'
  | 'cube'
  | 'goldenVersions'
  | 'env';

/** The suffix of a file meant to be copied and filled in. */
const TEMPLATE_SUFFIX = /\.(template|tmpl|tpl|example|sample|dist)$/;

export const YAML_KINDS: ReadonlySet<FileKind> = new Set<FileKind>(['compose', 'dbtProfiles', 'dbtProject', 'dagsterYaml']);

/**
 * The kind of a file from its name and folders alone. Whether it is in a folder DuckStack skips is
 * the ignore list's business (./ignore): engines ask `fileKind` of the lint engine, which checks both.
 * @param composeFiles absolute paths named by COMPOSE_FILE, which may have any name.
 */
export function classifyFile(file: string, composeFiles?: ReadonlySet<string>): FileKind | undefined {
  const segments = file.split(/[\\/]/);
  if (composeFiles?.has(path.resolve(file))) return 'compose';
  const base = segments[segments.length - 1];
  const lower = base.toLowerCase();
  const dirs = segments.slice(0, -1).map((s) => s.toLowerCase());
  // A copy to fill in (profiles.yml.template, docker-compose.yml.example) is what forks start from.
  const name = lower.replace(TEMPLATE_SUFFIX, '');
  if (/^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(name) || /^[\w-]+\.compose\.ya?ml$/.test(name)) return 'compose';
  if (/^(dockerfile|containerfile)([._-][\w.-]+)?$/.test(lower) || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (/^requirements[\w.-]*\.(txt|in)$/i.test(base) || (dirs[dirs.length - 1] === 'requirements' && lower.endsWith('.txt'))) return 'requirements';
  if (lower === 'pyproject.toml') return 'pyproject';
  if (lower === 'package.json') return 'packageJson';
  if (/^golden_versions.*\.md$/i.test(base)) return 'goldenVersions';
  if (lower === '.env' || lower.startsWith('.env.')) return 'env';
  if (name === 'profiles.yml' || name === 'profiles.yaml') return 'dbtProfiles';
  if (lower === 'dbt_project.yml' || lower === 'dbt_project.yaml') return 'dbtProject';
  // The instance file under another name: dagster.prod.yaml, dagster-dev.yaml (dagster_cloud.yaml is Dagster+'s, not an instance).
  if (/^dagster([._-][\w.-]+)?\.ya?ml$/.test(name) && !name.startsWith('dagster_cloud')) return 'dagsterYaml';
  if (/^cube\.(js|ts|py)$/.test(lower)) return 'cube';
  // Cube data models live in model/ or schema/ under a folder whose name says cube.
  const modelDir = dirs.findIndex((d) => d === 'model' || d === 'schema');
  if (modelDir > 0 && dirs.slice(0, modelDir).some((d) => d.includes('cube')) && /\.(ya?ml|js)$/.test(lower)) return 'cube';
  if (dirs.includes('models') && /\.(sql|ya?ml)$/.test(lower)) return 'dbtModel';
  if (lower.endsWith('.py')) return 'python';
  return undefined;
}

/** Whether the engine parses this file as YAML (every yaml kind, and .yml dbt models and Cube models). */
export function isYamlFile(file: string, kind: FileKind): boolean {
  return YAML_KINDS.has(kind) || ((kind === 'dbtModel' || kind === 'cube') && /\.ya?ml$/i.test(file));
}
