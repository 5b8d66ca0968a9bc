// duckstack lint [paths…] [--format stylish|json|sarif] [--fix]: the editor's findings for CI.
// Exit 0 when no finding is at error level, 1 when one is, 2 on usage or I/O errors.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { version as VERSION } from '../../package.json';
import { regularFileProblem } from '../core/files';
import { inCi } from '../core/lint/ci';
import { CONTEXT_KINDS, ENGINE_FINDINGS, lintProject, type LintOptions } from '../core/lint/engine';
import { createEnvFiles } from '../core/env/create';
import { fixFiles } from '../core/lint/fixFiles';
import { readRuleConfig as readConfig } from '../core/lint/config';
import { groupByProject } from '../core/lint/root';
import type { Finding, Severity } from '../core/lint/types';
import { allRules } from '../core/rules/index';
import { escapeControl, terminalJson } from '../core/terminal';
import { ExitCode, type CliCommand, type CliIo } from './io';

const FORMATS = ['stylish', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const HELP = `Usage: duckstack lint [paths…] [--format stylish|json|sarif] [--fix] [--ci]

Checks compose files, Dockerfiles, requirements, dbt, Dagster, Superset and Cube config against
the platform rules (docs/rules.md). Paths default to the current folder.

  --format <f>   stylish (default), json, or sarif (SARIF 2.1.0 for code scanning)
  --fix          apply the fixes, then report what is left (a literal secret is moved to
                 .env first; files that are not UTF-8 are never rewritten)
  --golden <f>   the golden_versions file (default: the project's first golden_versions*.md)
  --ci           leave out the rules about this working copy (a missing .env); implied when
                 the CI environment variable is set, as CI services set it

Each path is linted in its project: the nearest folder at or above it holding .duckstack.json,
golden_versions*.md or .git. The golden versions, .env, .env.example and the rule severities in
.duckstack.json ({"rules": {"<rule-id>": "off"}}) are read there, wherever the command runs.
Exit: 0 clean, 1 error-level findings, 2 usage or I/O error.
`;

interface Args {
  paths: string[];
  format: Format;
  fix: boolean;
  ci: boolean;
  golden?: string;
}

function parseArgs(args: string[]): Args | string {
  const parsed: Args = { paths: [], format: 'stylish', fix: false, ci: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (flag === '--format' || flag === '-f') {
      const format = value();
      if (!FORMATS.includes(format as Format)) return `--format must be one of ${FORMATS.join(', ')}`;
      parsed.format = format as Format;
    } else if (flag === '--fix') parsed.fix = true;
    else if (flag === '--ci') parsed.ci = true;
    else if (flag === '--golden') {
      const golden = value();
      if (!golden) return '--golden needs a file';
      parsed.golden = golden;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else parsed.paths.push(arg);
  }
  return parsed;
}

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return ExitCode.ok;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`duckstack lint: ${parsed}\n\n${HELP}`);
    return ExitCode.usage;
  }
  let goldenVersionsFile: string | undefined;
  if (parsed.golden) {
    const golden = path.resolve(io.cwd, parsed.golden);
    // Only a regular file: /dev/zero never ends, a FIFO blocks forever, a folder is not a table.
    const problem = regularFileProblem(golden);
    if (problem) {
      io.err(`duckstack lint: --golden ${parsed.golden}: ${problem}\n`);
      return ExitCode.usage;
    }
    goldenVersionsFile = golden;
  }

  // Each path is linted in its own project: golden_versions.md, .duckstack.json, .env and
  // .env.example come from there, not from the current folder.
  const findings: Finding[] = [];
  const errors: string[] = [];
  const roots: string[] = [];
  for (const group of groupByProject(io.cwd, parsed.paths)) {
    const rules = readConfig(group.root);
    if (typeof rules === 'string') {
      io.err(`duckstack lint: ${rules}\n`);
      return ExitCode.usage;
    }
    // A .env is never committed: the working-copy rules run where the files are used, not in CI.
    const options: LintOptions & { paths: string[] } = { ruleSet: allRules, rules, paths: group.paths, workingCopy: !parsed.ci && !inCi(io.env) };
    if (goldenVersionsFile) options.goldenVersionsFile = goldenVersionsFile;
    let result = await lintProject(group.root, options);
    if (parsed.fix && result.findings.some((f) => f.fix)) {
      // compose-env-missing (run only outside CI): .env from the example first, before any fix puts a secret into it.
      const created = await createEnvFiles(result.findings, group.root);
      for (const line of [...created.errors, ...created.notes]) io.err(`duckstack lint --fix: ${escapeControl(line)}\n`);
      // Each file is fixed as the kind its lint gave it.
      const kinds = new Map(result.files.map((f) => [f.file, f.kind]));
      const toFix = new Map(result.findings.flatMap((f) => {
        const kind = f.fix && !f.fix.createEnv ? kinds.get(f.file) : undefined;
        return kind ? [[f.file, kind] as const] : [];
      }));
      const fixed = await fixFiles(toFix, result.project, options);
      for (const note of fixed.notes) io.err(`duckstack lint --fix: ${escapeControl(note)}\n`);
      // Fixing compose files (most fixes) leaves the project context as it was: the report then
      // reuses it, and with it the last lint of each text the fix passes made. A secret moved
      // to .env changes it.
      const contextChanged = created.written || fixed.envChanged || [...toFix.values()].some((kind) => CONTEXT_KINDS.has(kind));
      result = await lintProject(group.root, options, contextChanged ? undefined : result.project);
      for (const error of fixed.errors) result.errors.push(error);
    }
    roots.push(group.root);
    for (const finding of result.findings) findings.push(finding);
    for (const error of result.errors) errors.push(error);
  }
  for (const error of errors) io.err(`duckstack lint: ${escapeControl(error)}\n`);
  io.out(format(parsed.format, findings, io, roots, errors));
  if (errors.length > 0) return ExitCode.usage;
  return findings.some((f) => f.severity === 'error') ? ExitCode.findings : ExitCode.ok;
};

function format(kind: Format, findings: Finding[], io: CliIo, roots: readonly string[], errors: readonly string[]): string {
  const rel = (file: string): string => path.relative(io.cwd, file).split(path.sep).join('/') || path.basename(file);
  if (kind === 'json') {
    return `${terminalJson(
      findings.map((f) => ({
        file: rel(f.file),
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        line: f.line + 1,
        column: f.column + 1,
        endLine: f.endLine + 1,
        endColumn: f.endColumn + 1,
        fixable: f.fix !== undefined,
      })),
      2,
    )}\n`;
  }
  if (kind === 'sarif') return `${terminalJson(sarif(findings, roots, errors), 2)}\n`;
  return stylish(findings, rel);
}

function stylish(findings: Finding[], rel: (file: string) => string): string {
  if (findings.length === 0) return '';
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const lines: string[] = [];
  for (const [file, list] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    // File names and messages (which quote the files) print with control characters escaped.
    lines.push(escapeControl(rel(file)));
    for (const f of list) lines.push(`  ${`${f.line + 1}:${f.column + 1}`.padEnd(8)} ${f.severity.padEnd(7)}  ${escapeControl(f.message)}  ${f.ruleId}`);
    lines.push('');
  }
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const fixable = findings.filter((f) => f.fix).length;
  lines.push(`${findings.length} problem${findings.length === 1 ? '' : 's'} (${count('error')} error, ${count('warning')} warning, ${count('info')} info)`);
  if (fixable > 0) lines.push(`${fixable} can be fixed with --fix`);
  return `${lines.join('\n')}\n`;
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 as GitHub code scanning reads it: 1-based regions; each URI relative to the root of
 * the project it was linted in (the repository), with `originalUriBaseIds` giving that root, so
 * the log names the same files wherever the command ran. I/O errors are tool notifications.
 */
function sarif(findings: Finding[], roots: readonly string[], errors: readonly string[]): object {
  // The first (usually only) project is %SRCROOT%; more projects get their own base ids.
  const baseIds = new Map(roots.map((root, i) => [root, i === 0 ? '%SRCROOT%' : `ROOT${i + 1}`]));
  const longestFirst = [...roots].sort((a, b) => b.length - a.length);
  const location = (file: string): { uri: string; uriBaseId?: string } => {
    const root = longestFirst.find((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : `${r}${path.sep}`));
    if (root === undefined) return { uri: pathToFileURL(file).href };
    return { uri: path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: baseIds.get(root) as string };
  };
  const catalog = [
    ...allRules.map((r) => ({ id: r.id, description: r.meta.description, severity: r.meta.defaultSeverity })),
    ...Object.entries(ENGINE_FINDINGS).map(([id, m]) => ({ id, description: m.description, severity: m.defaultSeverity })),
  ];
  const index = new Map(catalog.map((r, i) => [r.id, i]));
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        originalUriBaseIds: Object.fromEntries([...baseIds].map(([root, id]) => [id, { uri: pathToFileURL(root.endsWith(path.sep) ? root : `${root}${path.sep}`).href }])),
        invocations: [
          {
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: errors.map((text) => ({ level: 'error', message: { text } })),
          },
        ],
        tool: {
          driver: {
            name: 'DuckStack',
            version: VERSION,
            rules: catalog.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              help: { text: `${r.description} See docs/rules.md#${r.id}.` },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: location(f.file),
                region: { startLine: f.line + 1, startColumn: f.column + 1, endLine: f.endLine + 1, endColumn: f.endColumn + 1 },
              },
            },
          ],
        })),
      },
    ],
  };
}
