// What the editor watches and searches, as globs: the files each view's model is read from. They
// live beside classifyFile and the ignore list so that what is watched and what is read agree.
import { IGNORED_GLOB } from './ignore';

/** Every name classifyFile may give a kind (the lint view of the workspace). */
export const LINTED_FILES_GLOB = '**/{*.yml,*.yaml,Dockerfile*,*.dockerfile,requirements*.txt,requirements*.in,pyproject.toml,package.json,*.py,*.sql,*.js,*.ts,golden_versions*.md,.env,.env.*}';

/** The refs the git-aware rules compare with: a commit or a checkout moves them. */
export const GIT_REFS_GLOB = '**/.git/{HEAD,packed-refs,refs/heads/**}';

/** The files a compose project's model is read from: compose files and .env. */
export const COMPOSE_PROJECT_FILES_GLOB = '**/{compose*.y*ml,docker-compose*.y*ml,.env}';

/** Files whose content names DuckDB databases (catalog discovery). */
export const DATABASE_DECLARING_FILES_GLOB = '**/{.env,.env.example,compose*.y*ml,docker-compose*.y*ml,profiles.yml}';

/** DuckDB database files. */
export const DATABASE_FILES_GLOB = '**/*.duckdb';

/** A file search over the workspace: the include glob, and the one ignore list as the exclude glob. */
export function workspaceSearch(include: string): { include: string; exclude: string } {
  return { include, exclude: IGNORED_GLOB };
}
