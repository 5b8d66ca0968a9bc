// The report as text (a table with ✓ ✗ – marks), JSON, or JUnit XML for CI.
import * as path from 'node:path';
import { printableLog, terminalJson } from '../terminal';
import type { Check, CheckGroup, CheckStatus, ValidationReport } from './types';

export const REPORT_FORMATS = ['text', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const STATUS_MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', 'not-checked': '–' };
export const GROUP_TITLE: Record<CheckGroup, string> = { services: 'Services', data: 'Data flow', config: 'Configuration', docs: 'Documentation' };
const GROUP_ORDER: CheckGroup[] = ['services', 'data', 'config', 'docs'];

/** Evidence lines printed under a failed check in the text table. */
const TEXT_EVIDENCE = 8;

export function formatReport(report: ValidationReport, format: ReportFormat): string {
  return format === 'json' ? formatJson(report) : format === 'junit' ? formatJunit(report) : formatText(report);
}

export function formatJson(report: ValidationReport): string {
  return `${terminalJson(report, 2)}\n`;
}

export function summaryLine(report: ValidationReport): string {
  const s = report.summary;
  return `${s.passed} passed, ${s.failed} failed, ${s.notChecked} not checked`;
}


export function groupChecks(checks: readonly Check[]): Array<{ group: CheckGroup; checks: Check[] }> {
  return GROUP_ORDER.map((group) => ({ group, checks: checks.filter((c) => c.group === group) })).filter((g) => g.checks.length > 0);
}

export function formatText(report: ValidationReport): string {
  // Reasons and evidence quote logs, file names and findings: colour codes dropped, other control characters escaped.
  const out: string[] = [`DuckStack platform validation: ${printableLog(report.dir)}${report.project ? ` (project ${printableLog(report.project)})` : ''}`, ''];
  const width = Math.min(60, Math.max(...report.checks.map((c) => printableLog(c.title).length)));
  for (const { group, checks } of groupChecks(report.checks)) {
    out.push(GROUP_TITLE[group]);
    for (const c of checks) {
      out.push(`  ${STATUS_MARK[c.status]}  ${printableLog(c.title).padEnd(width)}  ${printableLog(c.reason)}`);
      if (c.status !== 'fail') continue;
      const where = c.file ? `${path.relative(report.dir, c.file) || c.file}${c.line === undefined ? '' : `:${c.line + 1}`}` : undefined;
      if (where) out.push(`       at ${printableLog(where)}`);
      for (const e of c.evidence.slice(0, TEXT_EVIDENCE)) out.push(`       ${printableLog(e)}`);
      if (c.evidence.length > TEXT_EVIDENCE) out.push(`       … ${c.evidence.length - TEXT_EVIDENCE} more (--format json shows all)`);
    }
    out.push('');
  }
  out.push(`${summaryLine(report)} (${(report.durationMs / 1000).toFixed(1)} s)`);
  return `${out.join('\n')}\n`;
}

/** Text for XML content and attribute values: escaped, control characters (which XML 1.0 forbids) written out as in the terminal. */
export function xmlEscape(text: string): string {
  return printableLog(text)
    .replace(/[\ud800-\udfff\ufffe\uffff]/g, (ch, offset: number, s: string) => {
      // Keep well-formed surrogate pairs, drop lone halves.
      const code = ch.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdbff) return /[\udc00-\udfff]/.test(s.charAt(offset + 1)) ? ch : '';
      if (code >= 0xdc00 && code <= 0xdfff) return /[\ud800-\udbff]/.test(s.charAt(offset - 1)) ? ch : '';
      return '';
    })
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function formatJunit(report: ValidationReport): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const groups = groupChecks(report.checks);
  const count = (checks: Check[], status: CheckStatus): number => checks.filter((c) => c.status === status).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="duckstack validate" tests="${report.checks.length}" failures="${report.summary.failed}" errors="0" skipped="${report.summary.notChecked}" time="${seconds}">`,
  ];
  for (const { group, checks } of groups) {
    lines.push(
      `  <testsuite name="${xmlEscape(GROUP_TITLE[group])}" tests="${checks.length}" failures="${count(checks, 'fail')}" errors="0" skipped="${count(checks, 'not-checked')}" timestamp="${xmlEscape(report.startedAt)}">`,
    );
    for (const c of checks) {
      const open = `    <testcase classname="duckstack.validate.${group}" name="${xmlEscape(`${c.id}: ${c.title}`)}"${c.file ? ` file="${xmlEscape(c.file)}"` : ''}`;
      if (c.status === 'pass') {
        lines.push(`${open}/>`);
      } else if (c.status === 'fail') {
        lines.push(`${open}>`, `      <failure message="${xmlEscape(c.reason)}" type="fail">${c.evidence.map(xmlEscape).join('\n')}</failure>`, '    </testcase>');
      } else {
        lines.push(`${open}>`, `      <skipped message="${xmlEscape(c.reason)}"/>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
