// Error lines in a service's logs: generic patterns for every service, plus what each platform
// tool writes when it is broken but still running.

export interface LogPattern {
  name: string;
  pattern: RegExp;
}

export type ServiceKind = 'dagster' | 'superset' | 'cube' | 'postgres' | 'other';

const GENERIC: LogPattern[] = [
  { name: 'ERROR', pattern: /\bERROR\b/ },
  { name: 'Traceback', pattern: /\bTraceback \(most recent call last\)/ },
  { name: 'FATAL', pattern: /\bFATAL\b/ },
  { name: 'panic', pattern: /\bpanic:/ },
];

const BY_KIND: Record<Exclude<ServiceKind, 'other'>, LogPattern[]> = {
  dagster: [
    { name: 'dagster error', pattern: /\bdagster\._core\.errors\.\w+/ },
    { name: 'code location failed', pattern: /Error loading (?:repository|code) location/i },
  ],
  superset: [
    { name: 'SQLAlchemy error', pattern: /\bsqlalchemy\.exc\.\w+/ },
    { name: 'missing module', pattern: /\bModuleNotFoundError\b/ },
    { name: 'app failed', pattern: /Failed to create app|Could not locate a Flask application/i },
  ],
  cube: [
    { name: 'query error', pattern: /Error (?:querying|while querying) db/i },
    { name: 'schema compile error', pattern: /Compile errors?:|Error while loading DB schema/i },
    { name: 'orchestrator error', pattern: /Orchestrator error/i },
  ],
  postgres: [
    { name: 'PANIC', pattern: /\bPANIC:/ },
    { name: 'auth failed', pattern: /password authentication failed/i },
    { name: 'unclean shutdown', pattern: /database system was not properly shut down/i },
  ],
};

const KINDS = ['dagster', 'superset', 'cube', 'postgres'] as const;

/**
 * The kind of platform tool a service runs: from its name, else from the image's repository name
 * ("cubejs/cube:v1.1.9"). A locally built image is named after the project ("my-cube-fork-jupyter"),
 * so only the start of the repository name counts.
 */
export function serviceKind(name: string, image: string | undefined): ServiceKind {
  const byName = KINDS.find((k) => name.toLowerCase().includes(k));
  if (byName) return byName;
  const repository = (image ?? '').toLowerCase().replace(/[:@].*$/, '').split('/').pop() ?? '';
  return KINDS.find((k) => repository.startsWith(k)) ?? 'other';
}

export function logPatterns(kind: ServiceKind): LogPattern[] {
  return kind === 'other' ? GENERIC : [...GENERIC, ...BY_KIND[kind]];
}

/** `compose logs` prefixes each line with "<container>  | "; the text after it. */
export function stripComposePrefix(line: string): string {
  const m = /^\S+\s+\|\s?(.*)$/.exec(line);
  return m ? m[1] : line;
}

/** The lines matching any pattern, each with the names of the patterns it matched. */
export function findErrorLines(lines: readonly string[], kind: ServiceKind): Array<{ line: string; matched: string[] }> {
  const patterns = logPatterns(kind);
  const found: Array<{ line: string; matched: string[] }> = [];
  for (const raw of lines) {
    const line = stripComposePrefix(raw);
    const matched = patterns.filter((p) => p.pattern.test(line)).map((p) => p.name);
    if (matched.length > 0) found.push({ line, matched });
  }
  return found;
}
