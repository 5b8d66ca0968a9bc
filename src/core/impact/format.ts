// The impact report as markdown (ready to paste into other/Workplan.md or the CHANGELOG under
// "Migration") and as JSON.
import { CATEGORY_TITLES, type ImpactCategory, type ImpactReport, type ImpactSeverity } from './impact';

const SEVERITIES: ImpactSeverity[] = ['error', 'breaking', 'warning', 'info'];

export function summary(report: ImpactReport): string {
  const counts = SEVERITIES.map((s) => [s, report.items.filter((i) => i.severity === s).length] as const).filter(([, n]) => n > 0);
  if (counts.length === 0) return 'nothing a fork must act on';
  return counts.map(([s, n]) => `${n} ${s === 'warning' ? (n === 1 ? 'warning' : 'warnings') : s}`).join(', ');
}

/**
 * Markdown with one section per category; `link` turns a file into a link (the editor's rendered
 * report), plain code spans otherwise.
 */
export function formatMarkdown(report: ImpactReport, link: (file: string) => string = (f) => `\`${f}\``): string {
  const lines = ['## Migration', '', `From ${report.before} to ${report.after}: ${summary(report)}.`, ''];
  let category: ImpactCategory | undefined;
  for (const item of report.items) {
    if (item.category !== category) {
      if (category !== undefined) lines.push('');
      category = item.category;
      lines.push(`### ${CATEGORY_TITLES[category]}`, '');
    }
    lines.push(`- **${item.severity}**: ${item.change}`);
    lines.push(`  - Migration: ${item.migration}`);
    if (item.files.length > 0) lines.push(`  - Files: ${item.files.map(link).join(', ')}`);
  }
  if (report.items.length > 0) lines.push('');
  if (report.problems.length > 0) {
    lines.push('### Not compared', '', ...report.problems.map((p) => `- ${p}`), '');
  }
  return lines.join('\n');
}

export function formatJson(report: ImpactReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
