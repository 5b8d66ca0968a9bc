/** What a CLI command may touch: its output streams and the working directory. Tests pass their own. */
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  err(text: string): void;
}

/** Exit codes shared by every subcommand. */
export const ExitCode = { ok: 0, findings: 1, usage: 2 } as const;

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;
