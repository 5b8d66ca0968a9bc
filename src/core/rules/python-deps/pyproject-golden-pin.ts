import type { Report, Rule } from '../../lint/types';
import type { GoldenVersions } from '../../golden/types';
import { judgePin, PIN_MESSAGES } from './golden-pin';
import { parseRequirement } from './requirement';
import { readToml, type TomlEntry, type TomlValue } from './toml';

/** A PEP 508 string of a dependency array; offsets are read from the file text itself. */
function judgePep508(golden: GoldenVersions, text: string, value: TomlValue): Report | undefined {
  if (value.type !== 'string') return undefined;
  const req = parseRequirement(text, value.contentStart, value.contentEnd);
  if (!req) return undefined;
  return judgePin(golden, { ...req, start: req.nameStart, end: Math.max(req.specEnd, req.nameEnd) }, 'pip');
}

/** A Poetry dependency: `dagster = "1.9.1"` or `dagster = { version = "^1.9", extras = [...] }`. */
function judgePoetry(golden: GoldenVersions, entry: TomlEntry): Report | undefined {
  const name = entry.key[entry.key.length - 1];
  let version: TomlValue | undefined = entry.value;
  if (version.type === 'table') {
    const inner = version.entries.find((e) => e.key.join('.') === 'version');
    // Path, git and url dependencies have no version to pin.
    if (!inner) return undefined;
    version = inner.value;
  }
  if (version.type !== 'string') return undefined;
  return judgePin(
    golden,
    { name, spec: version.value, specStart: version.contentStart, specEnd: version.contentEnd, start: entry.keyStart, end: entry.value.end },
    'poetry',
  );
}

function isPoetryDependencies(header: string[]): boolean {
  const h = header.join('.');
  return h === 'tool.poetry.dependencies' || h === 'tool.poetry.dev-dependencies' || (/^tool\.poetry\.group\..+\.dependencies$/.test(h) && header.length === 5);
}

export const pyprojectGoldenPin: Rule = {
  id: 'pyproject-golden-pin',
  meta: {
    description: 'A package listed in golden_versions.md is pinned to the golden version in pyproject.toml (PEP 621 and Poetry).',
    defaultSeverity: 'warning',
    fixable: true,
    kinds: ['pyproject'],
    messages: PIN_MESSAGES,
  },
  check(ctx) {
    const reports: Array<Report | undefined> = [];
    for (const section of readToml(ctx.text)) {
      const header = section.header.join('.');
      for (const entry of section.entries) {
        const key = entry.key.join('.');
        const pep508Array =
          (header === 'project' && (key === 'dependencies' || key.startsWith('optional-dependencies.'))) ||
          header === 'project.optional-dependencies' ||
          header === 'dependency-groups';
        if (pep508Array && entry.value.type === 'array') {
          for (const item of entry.value.items) reports.push(judgePep508(ctx.golden, ctx.text, item));
        } else if (isPoetryDependencies(section.header) && entry.key.length === 1) {
          reports.push(judgePoetry(ctx.golden, entry));
        }
      }
    }
    return reports.filter((r): r is Report => r !== undefined);
  },
};
