// Variables that compose reads from the user's shell rather than from the project's .env: which of
// them every shell provides, and which describe one machine's layout.

/**
 * Set by the login of whoever runs compose: a host path built on one of them ($HOME/data,
 * /home/$USER/x, %USERPROFILE%) names a folder of that user on that machine only.
 */
const MACHINE_VARIABLES = new Set(['HOME', 'USER', 'LOGNAME', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH']);

/** The machine-specific variable a written path starts with ("$HOME/x", "${HOME:-/root}/x"), if any. */
export function leadingMachineVariable(written: string): string | undefined {
  const name = /^\s*\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(written)?.[1];
  return name !== undefined && MACHINE_VARIABLES.has(name) ? name : undefined;
}

/**
 * Exported by every login shell (and by Windows for its own names): compose reads them from the
 * environment it runs in, so a fork never sets them in .env and .env.example need not list them.
 */
const SHELL_VARIABLES = new Set(['HOME', 'PWD', 'OLDPWD', 'USER', 'LOGNAME', 'PATH', 'SHELL', 'TMPDIR', 'USERPROFILE', 'HOMEDRIVE', 'HOMEPATH']);

export function providedByShell(name: string): boolean {
  return SHELL_VARIABLES.has(name);
}
