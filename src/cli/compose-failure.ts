// A failed compose call in a terminal: compose's own output was streamed above; this says the
// cause, the remedy and the next commands in plain words.
import { actionLine, type ComposeFailure } from '../core/docker/compose-failure';
import { printableLog } from '../core/terminal';

export function formatComposeFailure(verb: string, failure: ComposeFailure, dir: string): string {
  const lines = [`duckstack ${verb}: ${failure.cause}`];
  for (const s of failure.services ?? []) lines.push(`  ${s.name}: ${s.state}`);
  lines.push(`  what to do: ${failure.remedy}`);
  for (const a of failure.actions) {
    const text = actionLine(a, dir);
    if (text) lines.push(`  next: ${text}`);
  }
  return `${lines.map(printableLog).join('\n')}\n`;
}
