// The doctor's report: the platform guide's "Service won't start" checks per service, each found
// (a problem), fine, or not checked, with the evidence seen and the next thing to do. Plain data,
// so the CLI prints it and the editor renders it. Never secret values.
import type { ComposeAction } from '../docker/compose-failure';

export type FindingStatus = 'found' | 'fine' | 'not-checked';

/** The guide's troubleshooting areas, in the order they are reported. */
export type FindingArea = 'state' | 'health' | 'logs' | 'dependencies' | 'ports' | 'environment' | 'image' | 'duckdb' | 'versions';

export const FINDING_AREAS: readonly FindingArea[] = ['state', 'health', 'logs', 'dependencies', 'ports', 'environment', 'image', 'duckdb', 'versions'];

export interface Finding {
  area: FindingArea;
  status: FindingStatus;
  /** One sentence: what was found, or why it is fine, or why it could not be checked. */
  reason: string;
  /** What was seen: exit codes, health output, log lines, holders of a port, variable names. */
  evidence: string[];
  /** The next thing to do, when something was found. */
  action?: string;
  /** What DuckStack can do about it: the CLI prints the command, the editor offers it as a link. */
  next?: ComposeAction[];
  /** A build the doctor ran that failed (image area): the failing step and where it is. */
  build?: BuildFailure;
}

/** Where a failed image build stopped: the Dockerfile instruction, its file and 1-based line (each when the output names it). */
export interface BuildFailure {
  step?: string;
  dockerfile?: string;
  line?: number;
}

export interface ServiceDiagnosis {
  service: string;
  /** The service's state as the tree shows it ("failed (exit 3)", "stopped (exit 137)", "unhealthy", "not created"). */
  state: string;
  findings: Finding[];
  /** True when any finding is a problem. */
  problem: boolean;
}

export interface DoctorReport {
  dir: string;
  project?: string;
  /** Problems that concern the whole project (no compose file, Docker unreachable). */
  notes: string[];
  services: ServiceDiagnosis[];
  /** True when nothing was found. */
  ok: boolean;
}

export interface DoctorOptions {
  /** One service; default: every active service that is not running and healthy. */
  service?: string;
  /** Environment for compose interpolation and the Docker endpoint (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** The golden versions file, absolute or relative to the folder (default: its first golden_versions*.md). */
  goldenVersionsFile?: string;
  /** Log lines read per service (default 200). */
  logTail?: number;
  /** Aborts the reads and a build in progress. */
  signal?: AbortSignal;
  /** How long the doctor's `compose build` of an image that is not built may take (default 10 minutes). */
  buildTimeoutMs?: number;
}
