import type { Report, Rule } from '../../lint/types';
import { judgePin, PIN_MESSAGES } from './golden-pin';
import { parseRequirement } from './requirement';

/** Where the requirement of one requirements.txt line ends: before a comment or a per-line option. */
function requirementEnd(line: string): number {
  let end = line.length;
  const comment = /(^|\s)#/.exec(line);
  if (comment) end = comment.index;
  const option = /\s--?[a-z]/.exec(line.slice(0, end));
  if (option) end = option.index;
  return end;
}

export const requirementsGoldenPin: Rule = {
  id: 'requirements-golden-pin',
  meta: {
    description: 'A package listed in golden_versions.md is pinned with == to the golden version in requirements*.txt.',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['requirements'],
    messages: PIN_MESSAGES,
  },
  check(ctx) {
    const reports: Report[] = [];
    const { text } = ctx;
    let continuation = false;
    for (let pos = 0; pos <= text.length; ) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) eol = text.length;
      const line = text.slice(pos, eol).replace(/\r$/, '');
      const isContinuation = continuation;
      continuation = /\\$/.test(line);
      // Continued lines carry options such as --hash; -r/-c/-e and other options are not pins.
      if (!isContinuation && !/^\s*-/.test(line)) {
        const end = requirementEnd(continuation ? line.slice(0, -1) : line);
        const req = parseRequirement(text, pos, pos + end);
        if (req) {
          const report = judgePin(ctx.golden, { ...req, start: req.nameStart, end: Math.max(req.specEnd, req.nameEnd) }, 'pip');
          if (report) reports.push(report);
        }
      }
      pos = eol + 1;
    }
    return reports;
  },
};
