// diagnose: the platform guide's "Service won't start" troubleshooting for one service, or every
// service that is not running and healthy: state history, health, logs, dependencies, ports,
// environment and image, each found / fine / not checked. Reads the compose files, the engine
// (list, inspect, the registry's manifest), `compose logs` and the kernel's socket table; the one
// thing it changes is an image that is not built: it runs `compose build` of it. Never throws;
// whatever cannot be read becomes a note or a finding not checked.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isServiceActive, loadComposeProject, type ComposeProject, type ComposeService } from '../compose/project';
import { ComposeRunner, detectComposeCli } from '../docker/compose-cli';
import { actionLine } from '../docker/compose-failure';
import { openDockerEngine, type DockerEngine } from '../docker/engine';
import { readStackStatus } from '../docker/monitor';
import { describeState, type ServiceStatus } from '../docker/services';
import { printableLog, terminalJson } from '../terminal';
import {
  RESTART_LOOP,
  dependenciesFinding,
  environmentFinding,
  healthFinding,
  imageFinding,
  logsFinding,
  notChecked,
  portsFinding,
  stateFinding,
  type BuildRun,
  type ContainerRead,
  type ImageRead,
  type PortRead,
} from './checks';
import { readRegularFileSync } from '../files';
import { findGoldenVersionsFile, noGoldenVersions, parseGoldenVersions } from '../golden/golden';
import type { GoldenVersions } from '../golden/types';
import { duckdbFinding } from './duckdb';
import { findPortListeners } from './host-ports';
import type { DoctorOptions, DoctorReport, Finding, FindingStatus, ServiceDiagnosis } from './types';
import { classifyVariables, exampleVariables, serviceVariables } from './variables';
import { platformPython, readServiceVersions, versionsFinding } from './versions';

export * from './types';

/** Running and healthy, running with no healthcheck, or a one-shot that completed. */
function isWell(s: ServiceStatus): boolean {
  return s.state === 'healthy' || (s.state === 'running' && !s.hasHealthcheck) || (s.state === 'exited' && s.exitCode === 0);
}

/** The image compose runs: `image:`, else the one it builds (`<project>-<service>`). */
export function imageRef(project: Pick<ComposeProject, 'name'>, service: ComposeService): string | undefined {
  if (service.image) return service.image;
  return service.build ? `${project.name}-${service.name}` : undefined;
}

export async function diagnose(dir: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const root = path.resolve(dir);
  const env = options.env ?? process.env;
  const tail = options.logTail ?? 200;
  const notes: string[] = [];
  const project = await loadComposeProject(root, { processEnv: env });
  if (project.files.length === 0) {
    return { dir: root, notes: [`No compose file (compose.yaml, docker-compose.yml) in ${root}.`], services: [], ok: false };
  }
  // Interpolation errors (a missing required variable) are explained per service, under environment.
  for (const e of project.errors) if (e.code !== 'required-variable') notes.push(e.message);
  if (options.service !== undefined && !project.services.some((s) => s.name === options.service)) {
    notes.push(`No service ${options.service} in the project; its services: ${project.services.map((s) => s.name).join(', ')}.`);
    return { dir: root, project: project.name, notes, services: [], ok: false };
  }

  const engine = await connect(env);
  const status = engine.ok ? await readStackStatus(engine.engine, project) : undefined;
  const unreachable = !engine.ok ? engine.reason : status && !status.reachable ? `Docker is not reachable: ${status.problem.cause}` : undefined;
  if (unreachable) notes.push(unreachable);
  const statuses = status?.reachable ? status.services : [];

  // A service in a restart loop may be caught running between two restarts: its restart count says it.
  const chosen: ComposeService[] = [];
  for (const s of project.services) {
    if (options.service !== undefined ? s.name !== options.service : !isServiceActive(s, project.activeProfiles)) continue;
    const st = statuses.find((x) => x.name === s.name);
    const looping = async (well: ServiceStatus): Promise<boolean> => engine.ok && (await readContainers(engine.engine, well)).some((c) => (c.detail?.restartCount ?? 0) >= RESTART_LOOP);
    if (options.service !== undefined || !st || !isWell(st) || (await looping(st))) chosen.push(s);
  }

  const detected = engine.ok ? await detectComposeCli(env) : undefined;
  const runner = detected?.ok ? new ComposeRunner(detected.cli, project, env) : undefined;
  const example = exampleVariables(root);
  const dotEnv = fs.existsSync(path.join(root, '.env'));
  const local = engine.ok && (engine.engine.endpoint.host.startsWith('unix://') || engine.engine.endpoint.host.startsWith('npipe://'));
  const golden = readGolden(root, options.goldenVersionsFile, notes);
  // The platform's Python: the golden row, else what most services run (so every service is read).
  const python = chosen.length === 0 ? undefined : platformPython(golden, golden.lookup('python') ? [] : project.services.map((s) => ({ service: s.name, versions: readServiceVersions(s) })));

  const services: ServiceDiagnosis[] = [];
  for (const service of chosen) {
    if (options.signal?.aborted) break;
    const st = statuses.find((x) => x.name === service.name);
    const findings: Finding[] = [];
    if (!engine.ok || !st) {
      const why = unreachable ?? 'Its state could not be read.';
      findings.push(notChecked('state', why), notChecked('health', why), notChecked('logs', why), notChecked('dependencies', why), notChecked('ports', why));
    } else {
      const containers = await readContainers(engine.engine, st);
      findings.push(stateFinding(service.name, st, containers));
      findings.push(healthFinding(service, containers));
      findings.push(await logs(service, st, runner, detected, tail, options.signal));
      findings.push(dependenciesFinding(service, statuses));
      findings.push(portsFinding(await readPorts(engine.engine, project, service, st, local), local ? undefined : `the engine is at ${engine.engine.endpoint.host}`));
    }
    const lookup = (name: string): string | undefined => project.env.get(name);
    findings.push(environmentFinding(classifyVariables(serviceVariables(project.files, service.name, lookup), project.env, example.names), { dotEnv, example: example.file }));
    const image = engine.ok ? await readImage(engine.engine, project, service, { runner, why: detected && !detected.ok ? detected.message : undefined, signal: options.signal, timeoutMs: options.buildTimeoutMs ?? BUILD_TIMEOUT_MS }) : undefined;
    findings.push(image ? imageFinding(service, imageRef(project, service), image.read) : notChecked('image', unreachable ?? ''));
    findings.push(await duckdbFinding(service, root, image?.user));
    findings.push(versionsFinding(readServiceVersions(service), golden, python, root));
    services.push({
      service: service.name,
      state: st ? describeState(st) : 'unknown',
      findings,
      problem: findings.some((f) => f.status === 'found'),
    });
  }
  return {
    dir: root,
    project: project.name,
    notes,
    services,
    ok: notes.length === 0 && services.every((s) => !s.problem),
  };
}

/** golden_versions.md as the lint reads it; a file that cannot be read is a note, and no golden versions. */
function readGolden(root: string, setting: string | undefined, notes: string[]): GoldenVersions {
  const file = findGoldenVersionsFile(root, setting);
  if (!file) {
    if (setting) notes.push(`The golden versions file ${path.resolve(root, setting)} is not a readable file.`);
    return noGoldenVersions;
  }
  const read = readRegularFileSync(file);
  if (!read.ok) {
    notes.push(`${file} cannot be read: ${read.message}`);
    return noGoldenVersions;
  }
  return parseGoldenVersions(read.text, file).golden;
}

async function connect(env: NodeJS.ProcessEnv): Promise<{ ok: true; engine: DockerEngine } | { ok: false; reason: string }> {
  const opened = await openDockerEngine(env);
  if (!opened.ok) return { ok: false, reason: `Docker is not reachable: ${opened.problem.cause}` };
  const ping = await opened.engine.ping();
  if (!ping.ok) return { ok: false, reason: `Docker is not reachable: ${ping.problem.cause}` };
  return { ok: true, engine: opened.engine };
}

async function readContainers(engine: DockerEngine, st: ServiceStatus): Promise<ContainerRead[]> {
  const out: ContainerRead[] = [];
  for (const c of st.containers) {
    const detail = await engine.inspectContainer(c.id);
    out.push({ name: c.name, state: describeState(c), detail: detail.ok ? detail.value : undefined });
  }
  return out;
}

async function logs(
  service: ComposeService,
  st: ServiceStatus,
  runner: ComposeRunner | undefined,
  detected: Awaited<ReturnType<typeof detectComposeCli>> | undefined,
  tail: number,
  signal: AbortSignal | undefined,
): Promise<Finding> {
  if (st.containers.length === 0) return notChecked('logs', 'It has no container, so no logs.');
  if (!runner) return notChecked('logs', detected && !detected.ok ? detected.message : 'The compose CLI is not available.');
  const lines: string[] = [];
  const result = await runner.logs({ service: service.name, tail, signal, onLine: (l) => lines.push(l.text) });
  if (!result.ok) return notChecked('logs', result.reason);
  return logsFinding(service, lines, tail);
}

async function readPorts(engine: DockerEngine, project: ComposeProject, service: ComposeService, st: ServiceStatus, local: boolean): Promise<PortRead[]> {
  const reads: PortRead[] = [];
  const seen = new Set<number>();
  for (const p of service.ports) {
    const port = p.published ? Number.parseInt(p.published, 10) : Number.NaN;
    if (!Number.isFinite(port) || seen.has(port) || (p.protocol && p.protocol !== 'tcp')) continue;
    seen.add(port);
    const own = st.ports.some((x) => x.source === 'engine' && x.published === port);
    if (own) {
      reads.push({ port, own, containers: [] });
      continue;
    }
    const holders = await engine.containersPublishing(port);
    const containers = holders.ok ? holders.value.filter((h) => !(h.project === project.name && h.service === service.name)) : [];
    reads.push({ port, own, containers, listeners: containers.length === 0 && local ? findPortListeners(port) : undefined });
  }
  return reads;
}

/** How long the doctor's build of an image may take by default. */
const BUILD_TIMEOUT_MS = 10 * 60_000;

interface BuildContext {
  runner: ComposeRunner | undefined;
  /** Why there is no runner. */
  why: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

async function readImage(engine: DockerEngine, project: ComposeProject, service: ComposeService, build: BuildContext): Promise<{ read: ImageRead; user?: string }> {
  const ref = imageRef(project, service);
  if (!ref) return { read: { present: false, build: false } };
  const local = await engine.inspectImage(ref);
  if (local.ok && local.value) return { read: { present: true }, user: local.value.user };
  if (service.build) {
    if (!build.runner) return { read: { present: false, build: true, why: build.why ?? 'the compose CLI is not available.' } };
    const built = await buildImage(build.runner, service.name, build);
    const after = built.ok ? await engine.inspectImage(ref) : undefined;
    return { read: { present: false, build: true, built }, ...(after?.ok && after.value ? { user: after.value.user } : {}) };
  }
  return { read: { present: false, build: false, registry: await engine.checkRegistry(ref) } };
}

/** `compose build <service>` as the project runs it, stopped by the caller's signal or after the timeout. */
async function buildImage(runner: ComposeRunner, service: string, build: BuildContext): Promise<BuildRun> {
  const command = [runner.cli.command, ...runner.cli.prefix, 'build', service].join(' ');
  const timer = AbortSignal.timeout(build.timeoutMs);
  const signal = build.signal ? AbortSignal.any([build.signal, timer]) : timer;
  const result = await runner.run(['build', service], { signal });
  if (result.ok) return { ok: true, command };
  const timedOut = result.cancelled && timer.aborted && !build.signal?.aborted;
  return {
    ok: false,
    command,
    cancelled: result.cancelled,
    ...(timedOut ? { timedOutMs: build.timeoutMs } : {}),
    reason: result.reason,
    ...(result.failure ? { failure: result.failure } : {}),
  };
}

// ---- output ----

export const FINDING_MARK: Record<FindingStatus, string> = { found: '✗', fine: '✓', 'not-checked': '–' };

export function formatDoctorJson(report: DoctorReport): string {
  return `${terminalJson(report, 2)}\n`;
}

export function formatDoctorText(report: DoctorReport): string {
  const out: string[] = [`DuckStack doctor: ${printableLog(report.dir)}${report.project ? ` (project ${printableLog(report.project)})` : ''}`, ''];
  for (const n of report.notes) out.push(`! ${printableLog(n)}`);
  if (report.notes.length > 0) out.push('');
  if (report.services.length === 0 && report.notes.length === 0) out.push('Every service is running and healthy: nothing to diagnose.', '');
  for (const s of report.services) {
    out.push(`${printableLog(s.service)} — ${s.state}`);
    for (const f of s.findings) {
      out.push(`  ${FINDING_MARK[f.status]} ${f.area.padEnd(12)} ${printableLog(f.reason)}`);
      for (const e of f.evidence) out.push(`      ${printableLog(e)}`);
      if (f.action) out.push(`      → ${printableLog(f.action)}`);
      for (const next of f.next ?? []) {
        const line = actionLine(next, report.dir);
        if (line) out.push(`      next: ${printableLog(line)}`);
      }
    }
    out.push('');
  }
  const found = report.services.filter((s) => s.problem).length;
  out.push(report.ok ? 'Nothing found.' : `Problems found in ${found} service${found === 1 ? '' : 's'}${report.notes.length > 0 ? ' and the project' : ''}.`);
  return `${out.join('\n')}\n`;
}
