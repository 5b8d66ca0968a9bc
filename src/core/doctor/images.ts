// What `docker compose up` must fetch before a project's services can start, read without pulling
// or building anything: each service's image is on the engine, or is built from its Dockerfile
// (whose base images must then be there or be pulled), or is pulled; and whether each registry
// that must be asked answers (the engine's distribution endpoint, one call per registry). `npm
// start` says it before the demo opens, so "Start Platform" never fails as a surprise.
import * as path from 'node:path';
import { isServiceActive, type ComposeProject } from '../compose/project';
import { explainComposeFailure, registryOf } from '../docker/compose-failure';
import type { DockerEngine } from '../docker/engine';
import type { EngineProblem } from '../docker/problem';
import { readRegularFileSync } from '../files';
import { parseFroms } from '../rules/dockerfile/from';
import { joinWithAnd } from '../text/list';
import { imageRef } from './index';

/** An image up must pull, and the services that need it (their image, or the base of their build). */
export interface ImageToPull {
  ref: string;
  services: string[];
}

/** A registry that must be asked, and whether the engine reaches it. */
export type RegistryAnswer = { registry: string; ok: true } | { registry: string; ok: false; cause: string };

export type ImagesReport =
  | {
      reachable: true;
      /** Services whose image is on the engine. */
      present: string[];
      /** Services built on up (their image is not on the engine). */
      build: string[];
      pull: ImageToPull[];
      registries: RegistryAnswer[];
    }
  | { reachable: false; problem: EngineProblem };

/** The base images a build starts FROM (earlier stages and unresolved variables left out). */
function baseImages(context: string, dockerfile: string | undefined): string[] {
  const read = readRegularFileSync(path.resolve(context, dockerfile ?? 'Dockerfile'));
  if (!read.ok) return [];
  return parseFroms(read.text)
    .filter((f) => !f.isStage && f.image.resolved !== undefined && f.image.resolved !== 'scratch')
    .map((f) => f.image.resolved as string);
}

/** Reads what up needs for every service of `project` that compose would start (active profiles). */
export async function readImageNeeds(engine: DockerEngine, project: ComposeProject): Promise<ImagesReport> {
  const present: string[] = [];
  const build: string[] = [];
  const pull = new Map<string, string[]>();
  const onEngine = new Map<string, boolean>();
  const has = async (ref: string): Promise<boolean | EngineProblem> => {
    const known = onEngine.get(ref);
    if (known !== undefined) return known;
    const local = await engine.inspectImage(ref);
    if (!local.ok) return local.problem;
    onEngine.set(ref, local.value !== undefined);
    return local.value !== undefined;
  };
  const needPull = (ref: string, service: string): void => {
    const services = pull.get(ref) ?? [];
    if (!services.includes(service)) services.push(service);
    pull.set(ref, services);
  };
  const active = project.services.filter((s) => isServiceActive(s, project.activeProfiles));
  for (const service of active) {
    const ref = imageRef(project, service);
    if (!ref) continue;
    const found = await has(ref);
    if (typeof found !== 'boolean') return { reachable: false, problem: found };
    if (found) {
      present.push(service.name);
      continue;
    }
    if (!service.build) {
      needPull(ref, service.name);
      continue;
    }
    build.push(service.name);
    for (const base of baseImages(service.build.context, service.build.dockerfile)) {
      const there = await has(base);
      if (typeof there !== 'boolean') return { reachable: false, problem: there };
      if (!there) needPull(base, service.name);
    }
  }
  const registries: RegistryAnswer[] = [];
  const asked = new Set<string>();
  for (const ref of pull.keys()) {
    const registry = registryOf(ref);
    if (asked.has(registry)) continue;
    asked.add(registry);
    const answer = await engine.checkRegistry(ref);
    if (answer.ok) {
      registries.push({ registry, ok: true });
      continue;
    }
    const why = explainComposeFailure([answer.message]);
    // A tag the registry lacks is that image's problem, not the registry's: the registry answered.
    if (why.kind === 'image-not-found' || why.kind === 'access-denied') registries.push({ registry, ok: true });
    else registries.push({ registry, ok: false, cause: why.kind === 'registry-unreachable' ? `${registry} cannot be reached from the Docker engine (${answer.message})` : `${registry} answered: ${answer.message}` });
  }
  return { reachable: true, present, build, pull: [...pull].map(([ref, services]) => ({ ref, services })), registries };
}

/**
 * What the start log says about the platform's images, true in each case: nothing to fetch, what
 * Start Platform will pull and build first, or why the services cannot start on this machine (the
 * engine cannot reach the registry they come from, or no engine answers) and what to do.
 */
export function describeImageNeeds(report: ImagesReport): { canStart: boolean; lines: string[] } {
  if (!report.reachable) {
    return { canStart: false, lines: [`The platform's services cannot start: ${report.problem.cause}`, `What to do: ${report.problem.remedy}`] };
  }
  const refs = report.pull.map((p) => `${p.ref} (${joinWithAnd(p.services)})`);
  const unreachable = report.registries.filter((r): r is Extract<RegistryAnswer, { ok: false }> => !r.ok);
  if (report.pull.length === 0) {
    if (report.build.length === 0) return { canStart: true, lines: ['Every image of the platform is on the Docker engine: Start Platform starts it at once.'] };
    return { canStart: true, lines: [`Start Platform first builds ${joinWithAnd(report.build)} from their Dockerfiles (their base images are on the Docker engine).`] };
  }
  if (unreachable.length === 0) {
    return {
      canStart: true,
      lines: [
        `Start Platform first pulls ${report.pull.length} image${report.pull.length === 1 ? '' : 's'}: ${refs.join(', ')}${report.build.length > 0 ? `, then builds ${joinWithAnd(report.build)}` : ''}. That takes a few minutes the first time.`,
      ],
    };
  }
  const blocked = report.pull.filter((p) => unreachable.some((r) => r.registry === registryOf(p.ref)));
  const stuck = [...new Set(blocked.flatMap((p) => p.services))];
  return {
    canStart: false,
    lines: [
      `The platform's services cannot start on this machine: ${joinWithAnd(stuck)} need${stuck.length === 1 ? 's' : ''} ${blocked.length === 1 ? 'an image' : `${blocked.length} images`} that ${blocked.length === 1 ? 'is' : 'are'} not on the Docker engine, and the engine cannot pull ${blocked.length === 1 ? 'it' : 'them'}:`,
      ...unreachable.map((r) => `  ${r.cause}.`),
      `  Missing: ${blocked.map((p) => `${p.ref} (${joinWithAnd(p.services)})`).join(', ')}.`,
      'Start Platform would fail saying the registry cannot be reached. What to do: run it where the Docker engine reaches the registry (or set the engine\'s proxy), or load the images into this engine: `docker save` them where they are, then `docker load -i <file>` here.',
      'Everything else works without them: the views, the warnings and quick fixes, the DuckDB catalog and Validate Platform.',
    ],
  };
}
