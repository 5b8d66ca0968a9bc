// A failed compose call in a terminal: compose's own output was streamed above; this says the
// cause, the remedy and the next commands in plain words.
import * as path from 'node:path';
import type { ComposeAction, ComposeFailure } from '../core/docker/compose-failure';
import { printableLog, shellQuote } from '../core/terminal';

function actionLine(action: ComposeAction, dir: string): string | undefined {
  switch (action.kind) {
    case 'diagnose':
      return `duckstack doctor${action.service ? ` ${shellQuote(action.service)}` : ''} ${shellQuote(dir)}`;
    case 'create-env':
      return `cp ${shellQuote(path.join(dir, '.env.example'))} ${shellQuote(path.join(dir, '.env'))}, then fill in every secret`;
    case 'open-env':
      return `set ${action.variable} in ${path.join(dir, '.env')}`;
    case 'open-file':
      return `open ${action.file}${action.line ? `:${action.line}` : ''}`;
    case 'show-output':
      return undefined;
  }
}

export function formatComposeFailure(verb: string, failure: ComposeFailure, dir: string): string {
  const lines = [`duckstack ${verb}: ${failure.cause}`, `  what to do: ${failure.remedy}`];
  for (const a of failure.actions) {
    const text = actionLine(a, dir);
    if (text) lines.push(`  next: ${text}`);
  }
  return `${lines.map(printableLog).join('\n')}\n`;
}
