// A container id (from a lock holder's cgroup) to its name and compose service, through one inspect
// call on the Docker engine; answers are cached for the life of the resolver. dockerode is loaded on
// the first call only, so a workspace whose databases nobody holds never touches Docker.
import type { ContainerInfo, ContainerResolver } from '../duckdb/holders';
import { COMPOSE_PROJECT_LABEL, COMPOSE_SERVICE_LABEL, openDockerEngine, type DockerEngine } from './engine';

const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';

export function dockerContainerResolver(env: NodeJS.ProcessEnv = process.env): ContainerResolver {
  let engine: Promise<DockerEngine | undefined> | undefined;
  const known = new Map<string, ContainerInfo | undefined>();
  return async (containerId) => {
    if (known.has(containerId)) return known.get(containerId);
    engine ??= openDockerEngine(env).then((opened) => (opened.ok ? opened.engine : undefined));
    const open = await engine;
    if (!open) return undefined;
    const inspected = await open.inspectContainer(containerId);
    // Not reachable now: ask again next time rather than remember "unknown".
    if (!inspected.ok) return undefined;
    const labels = inspected.value.labels;
    const info: ContainerInfo = { id: inspected.value.id, name: inspected.value.name };
    if (labels[COMPOSE_PROJECT_LABEL]) info.project = labels[COMPOSE_PROJECT_LABEL];
    if (labels[COMPOSE_SERVICE_LABEL]) info.service = labels[COMPOSE_SERVICE_LABEL];
    if (labels[WORKING_DIR_LABEL]) info.projectDir = labels[WORKING_DIR_LABEL];
    known.set(containerId, info);
    return info;
  };
}
