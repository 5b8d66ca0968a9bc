// The Platform status bar's words for the workspace's compose projects, in every state. Pure, so the
// words are tested without VS Code; src/services/statusBar.ts shows them.
import type { ComposeProject } from '../compose/project';
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

/**
 * The status bar's words for the workspace's compose projects, true in every state: shown as soon
 * as a project is found (before Docker is read), "not started" when nothing runs, healthy counted
 * over the services that have a healthcheck and the others named apart, and "as of" a time when
 * the view is hidden (then nothing is watched, so the state may have changed).
 */
export function platformStatusText(projects: readonly ComposeProject[], statuses: ReadonlyArray<StackStatus | undefined>, live: boolean): PlatformStatusText | undefined {
  if (projects.length === 0) return undefined;
  const known = statuses.filter((s): s is StackStatus => s !== undefined);
  const declared = projects.reduce((n, p) => n + p.services.filter((s) => s.profiles.length === 0 || s.profiles.some((x) => p.activeProfiles.includes(x))).length, 0);
  const names = projects.map((p) => p.name).join(', ');
  if (known.length === 0) {
    return {
      text: `$(server-process) Platform: ${declared} service${declared === 1 ? '' : 's'}`,
      tooltip: `${names}: ${declared} service${declared === 1 ? '' : 's'}; their state is read from Docker when Platform Services is shown. Click to show it.`,
    };
  }
  const unreachable = known.find((s) => !s.reachable);
  if (unreachable && !unreachable.reachable) {
    return { text: '$(debug-disconnect) Platform: Docker not reachable', tooltip: `${unreachable.problem.cause}\n${unreachable.problem.remedy}`, background: 'warning' };
  }
  const services = known.flatMap((s) => (s.reachable ? s.services : []));
  const summary = summarize(services);
  const icon = summary.problems.length > 0 ? 'error' : summary.nothingRuns ? 'circle-large-outline' : summary.level === 'ok' ? 'pass' : 'server-process';
  const at = known.reduce((latest, s) => (s.at > latest ? s.at : latest), known[0].at);
  const asOf = live ? '' : ` (as of ${at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })})`;
  const lines = [`${names}: ${summary.text}`];
  for (const [group, title] of GROUP_TITLES) if (summary.byState[group].length > 0) lines.push(`${title}: ${summary.byState[group].join(', ')}`);
  lines.push(live ? 'Live: updated by Docker events.' : `Read at ${at.toLocaleTimeString()}: not followed while Platform Services is hidden. Click to show it.`);
  return {
    text: `$(${icon}) Platform: ${summary.text}${asOf}`,
    tooltip: lines.join('\n'),
    ...(summary.problems.length > 0 ? { background: 'error' as const } : {}),
  };
}

