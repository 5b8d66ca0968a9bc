// The validation report: the platform guide's checklist as checks, each pass / fail / not checked
// with the reason and the evidence. Plain objects, so the CLI prints them and the webview renders them.

export type CheckStatus = 'pass' | 'fail' | 'not-checked';

/** Which part of the checklist a check belongs to, for grouping in reports. */
export type CheckGroup = 'services' | 'data' | 'config' | 'docs';

export interface Check {
  /** Stable id: "restart", "service:dagster", "logs:dagster", "ui:superset", "data:marts", "golden-versions", … */
  id: string;
  title: string;
  group: CheckGroup;
  status: CheckStatus;
  /** One sentence: why it passed, failed, or could not be checked. */
  reason: string;
  /** What was seen: log lines, findings, row counts, HTTP statuses. Never secret values. */
  evidence: string[];
  /** The file the check is about (absolute), with a 0-based line when known. */
  file?: string;
  line?: number;
  /** The compose service the check is about. */
  service?: string;
}

export interface ValidationSummary {
  passed: number;
  failed: number;
  notChecked: number;
}

export interface ValidationReport {
  /** The fork's folder, absolute. */
  dir: string;
  /** The compose project name, when a compose file was found. */
  project?: string;
  startedAt: string;
  durationMs: number;
  /** Whether the full restart was asked for. */
  restarted: boolean;
  checks: Check[];
  summary: ValidationSummary;
  /** True when no check failed. */
  ok: boolean;
}

export interface ValidateOptions {
  /** Full restart first (down, then up --wait), as the guide's testing protocol asks. */
  restart?: boolean;
  /** Only the checks that never touch the stack or the data (config and docs); the rest are not-checked. */
  staticOnly?: boolean;
  /** Environment for compose interpolation and the Docker endpoint (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Aborting stops compose commands and HTTP requests; checks not yet run become not-checked. */
  signal?: AbortSignal;
  /** A short description of each step as it starts ("Restarting the stack…"). */
  onProgress?: (step: string) => void;
  /** Per HTTP request (default 5000 ms). */
  httpTimeoutMs?: number;
  /** Log lines read per service (default 200). */
  logTail?: number;
  /** Where the report is read, so its advice names what to do there: `cli` (flags, commands; default) or `editor` (VS Code commands). */
  host?: 'cli' | 'editor';
}

export function summarize(checks: readonly Check[]): ValidationSummary {
  return {
    passed: checks.filter((c) => c.status === 'pass').length,
    failed: checks.filter((c) => c.status === 'fail').length,
    notChecked: checks.filter((c) => c.status === 'not-checked').length,
  };
}
