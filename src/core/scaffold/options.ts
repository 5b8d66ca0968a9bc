// What a new fork is made from: a project name, host ports and the optional services.
// Validation returns messages (data), never throws: adapters decide how to show them.

/** Services that a fork may leave out; their folders and compose blocks are dropped. */
export const OPTIONAL_SERVICES = ['cube', 'jupyter'] as const;
export type OptionalService = (typeof OPTIONAL_SERVICES)[number];

/** Services with a published host port, and the variable that holds it. */
export const PORT_SERVICES = {
  dagster: { variable: 'DAGSTER_PORT', defaultPort: 3000 },
  dbt: { variable: 'DBT_DOCS_PORT', defaultPort: 8080 },
  superset: { variable: 'SUPERSET_PORT', defaultPort: 8088 },
  cube: { variable: 'CUBE_PORT', defaultPort: 4000 },
  jupyter: { variable: 'JUPYTER_PORT', defaultPort: 8888 },
} as const;
export type PortService = keyof typeof PORT_SERVICES;

export const MIN_PORT = 1024;
export const MAX_PORT = 65535;

export interface ScaffoldOptions {
  /** The folder to create the fork in (created when missing). */
  dir: string;
  /** Compose project name; defaults to a name derived from the folder. */
  projectName?: string;
  /** Host ports by service; missing ones take the defaults. */
  ports?: Partial<Record<PortService, number>>;
  /** Optional services to leave out. */
  without?: OptionalService[];
  /** Where the templates are; defaults to the extension's own templates/ folder. */
  templatesDir?: string;
  /**
   * Write into a folder that holds files unrelated to the fork (they are kept; nothing is ever
   * overwritten). Without it such a folder is refused: a fork goes into a new or empty folder.
   */
  allowNonEmpty?: boolean;
}

/** Options after defaults were applied. */
export interface ResolvedOptions {
  projectName: string;
  ports: Record<PortService, number>;
  enabled: Record<OptionalService, boolean>;
}

// Compose: "must contain only lowercase letters, decimal digits, dashes, and underscores, and
// must begin with a lowercase letter or decimal digit".
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_PROJECT_NAME = 63;

export function isOptionalService(name: string): name is OptionalService {
  return (OPTIONAL_SERVICES as readonly string[]).includes(name);
}

export function isPortService(name: string): name is PortService {
  return Object.prototype.hasOwnProperty.call(PORT_SERVICES, name);
}

/** A compose-valid project name from a folder name ("My Fork" → "my-fork"), or undefined. */
export function projectNameFromFolder(folderName: string): string | undefined {
  const name = folderName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, MAX_PROJECT_NAME);
  return PROJECT_NAME.test(name) ? name : undefined;
}

/** Problems with a project name, as sentences; empty when valid. */
export function validateProjectName(name: string): string[] {
  if (name.length === 0) return ['The project name is empty.'];
  const shown = JSON.stringify(name);
  const unsafe = name.match(/[\s$`"'\\;&|<>(){}[\]*?!#%^~:,=@/]/);
  if (unsafe) {
    return [
      `The project name ${shown} contains ${JSON.stringify(unsafe[0])}, a shell or YAML metacharacter. ` +
        'Use only lowercase letters, digits, dashes and underscores.',
    ];
  }
  if (name.length > MAX_PROJECT_NAME) return [`The project name ${shown} is longer than ${MAX_PROJECT_NAME} characters.`];
  if (!PROJECT_NAME.test(name)) {
    return [
      `The project name ${shown} is not a valid compose project name: use only lowercase letters, digits, ` +
        'dashes and underscores, starting with a letter or a digit.',
    ];
  }
  return [];
}

/** Problems with one port value (as typed or given), as sentences; empty when valid. */
export function validatePort(service: string, value: unknown): string[] {
  const text = String(value);
  if (typeof value === 'string' && !/^\d+$/.test(value.trim())) {
    return [`The port of ${service} must be a whole number from ${MIN_PORT} to ${MAX_PORT}, not ${JSON.stringify(text)}.`];
  }
  const port = typeof value === 'number' ? value : Number(text);
  if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    return [`The port of ${service} must be a whole number from ${MIN_PORT} to ${MAX_PORT}, not ${JSON.stringify(text)}.`];
  }
  return [];
}

/** Applies defaults and checks everything; `problems` is empty when the options are usable. */
export function resolveOptions(options: ScaffoldOptions, folderName: string): { resolved: ResolvedOptions; problems: string[] } {
  const problems: string[] = [];
  const projectName = options.projectName ?? projectNameFromFolder(folderName) ?? '';
  if (options.projectName === undefined && projectName === '') {
    problems.push(`No valid project name can be made from the folder name ${JSON.stringify(folderName)}: give one.`);
  } else {
    problems.push(...validateProjectName(projectName));
  }

  const enabled: Record<OptionalService, boolean> = { cube: true, jupyter: true };
  for (const service of options.without ?? []) {
    if (isOptionalService(service)) enabled[service] = false;
    else problems.push(`Unknown optional service ${JSON.stringify(service)}: only ${OPTIONAL_SERVICES.join(', ')} can be left out.`);
  }

  const ports = Object.fromEntries(
    Object.entries(PORT_SERVICES).map(([service, p]) => [service, p.defaultPort]),
  ) as Record<PortService, number>;
  for (const [service, port] of Object.entries(options.ports ?? {})) {
    if (!isPortService(service)) {
      problems.push(`Unknown service ${JSON.stringify(service)} for a port: use ${Object.keys(PORT_SERVICES).join(', ')}.`);
      continue;
    }
    const portProblems = validatePort(service, port);
    problems.push(...portProblems);
    if (portProblems.length === 0 && port !== undefined) ports[service] = port;
  }

  const used = new Map<number, string>();
  for (const service of Object.keys(ports) as PortService[]) {
    if (isOptionalService(service) && !enabled[service]) continue;
    const other = used.get(ports[service]);
    if (other) problems.push(`Port ${ports[service]} is given to both ${other} and ${service}.`);
    else used.set(ports[service], service);
  }
  return { resolved: { projectName, ports, enabled }, problems };
}

/** The template variables of a fork: {{PROJECT_NAME}} and one {{<SERVICE>_PORT}} per port. */
export function templateVariables(resolved: ResolvedOptions): Record<string, string> {
  const vars: Record<string, string> = { PROJECT_NAME: resolved.projectName };
  for (const [service, p] of Object.entries(PORT_SERVICES)) vars[p.variable] = String(resolved.ports[service as PortService]);
  return vars;
}
