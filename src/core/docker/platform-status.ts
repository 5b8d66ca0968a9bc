// The Platform status bar's words for the workspace's compose projects, in every state. Pure, so the
// words are tested without VS Code; src/services/statusBar.ts shows them.
import { isServiceActive, type ComposeProject } from '../compose/project';
import { summarize, type StackStatus, type SummaryGroup } from './services';

/** What the Platform status bar item shows. */
export interface PlatformStatusText {
  text: string;
  tooltip: string;
  /** 'error' (a service needs attention), 'warning' (Docker not reachable), else none. */
  background?: 'error' | 'warning';
}

const GROUP_TITLES: Array<[SummaryGroup, string]> = [
  ['failed', 'Failed'],
  ['unhealthy', 'Unhealthy'],
  ['restarting', 'Restarting'],
  ['starting', 'Starting'],
  ['healthy', 'Healthy'],
  ['running', 'Running, no healthcheck (up, but nothing checks that it works)'],
  ['paused', 'Paused'],
  ['stopped', 'Stopped'],
  ['completed', 'Completed (one-shot jobs, exit 0)'],
  ['created', 'Created, not started'],
  ['not-created', 'Not created'],
];

/** What the words depend on besides the projects and their states. */
export interface PlatformStatusContext {
  /** The state is followed live (Platform Services is visible); else it is a read "as of" its time. */
  live: boolean;
  /** The workspace is trusted: DuckStack's Docker and compose actions run (else Restricted Mode). */
  trusted: boolean;
}

const RESTRICTED = 'Restricted Mode: DuckStack starts, stops and restarts nothing until you trust this workspace (Manage Workspace Trust).';

/**
 * The status bar's words for the workspace's compose projects, true in every state: shown as soon
 * as a project is found (its services counted before Docker answers), "not started" when nothing
 * runs, healthy counted over the services that have a healthcheck and the others named apart,
 * Docker not reachable with what to do, "as of" a time when Platform Services is hidden (then
 * nothing is watched, so the state may have changed), and what to do next in the tooltip, which in
 * an untrusted workspace says that actions wait for trust instead of offering them.
 */
export function platformStatusText(projects: readonly ComposeProject[], statuses: ReadonlyArray<StackStatus | undefined>, context: PlatformStatusContext): PlatformStatusText | undefined {
  if (projects.length === 0) return undefined;
  const known = statuses.filter((s): s is StackStatus => s !== undefined);
  const declared = projects.reduce((n, p) => n + p.services.filter((s) => isServiceActive(s, p.activeProfiles)).length, 0);
  const names = projects.map((p) => p.name).join(', ');
  const restricted = context.trusted ? [] : [RESTRICTED];
  if (known.length === 0) {
    return {
      text: `$(server-process) Platform: ${declared} service${declared === 1 ? '' : 's'}`,
      tooltip: [`${names}: ${declared} service${declared === 1 ? '' : 's'}; reading their state from Docker.`, ...restricted, 'Click to show Platform Services.'].join('\n'),
    };
  }
  const at = known.reduce((latest, s) => (s.at > latest ? s.at : latest), known[0].at);
  const asOf = context.live ? '' : ` (as of ${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`;
  const unreachable = known.find((s) => !s.reachable);
  if (unreachable && !unreachable.reachable) {
    // A malformed address is read once, when the window starts: no retry reaches another engine.
    const retry =
      unreachable.problem.kind === 'bad-address'
        ? 'DOCKER_HOST and the docker context are read when the window starts: reload the window once they are fixed.'
        : context.live
          ? 'Platform Services retries by itself; Retry there tries now.'
          : `Tried at ${at.toLocaleTimeString()}. Click to show Platform Services, which retries until the engine answers.`;
    return {
      text: `$(debug-disconnect) Platform: Docker not reachable${asOf}`,
      tooltip: [`${names}: their state cannot be read.`, unreachable.problem.cause, `What to do: ${unreachable.problem.remedy}`, ...restricted, retry].join('\n'),
      background: 'warning',
    };
  }
  const services = known.flatMap((s) => (s.reachable ? s.services : []));
  const summary = summarize(services);
  const icon = summary.problems.length > 0 ? 'error' : summary.nothingRuns ? 'circle-large-outline' : summary.level === 'ok' ? 'pass' : 'server-process';
  const lines = [`${names}: ${summary.text}`];
  for (const [group, title] of GROUP_TITLES) if (summary.byState[group].length > 0) lines.push(`${title}: ${summary.byState[group].join(', ')}`);
  if (!context.trusted) lines.push(RESTRICTED);
  else if (summary.problems.length > 0) lines.push(`DuckStack: Diagnose Service says why ${summary.problems.join(', ')} ${summary.problems.length === 1 ? 'is' : 'are'} not as expected.`);
  else if (summary.nothingRuns && summary.total > 0) lines.push('Start it with DuckStack: Start Platform.');
  lines.push(context.live ? 'Live: updated by Docker events.' : `Read at ${at.toLocaleTimeString()}: not followed while Platform Services is hidden. Click to show it.`);
  return {
    text: `$(${icon}) Platform: ${summary.text}${asOf}`,
    tooltip: lines.join('\n'),
    ...(summary.problems.length > 0 ? { background: 'error' as const } : {}),
  };
}
