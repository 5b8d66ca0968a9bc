// `duckstack env create [dir]`: .env from .env.example in an existing fork, as the editor's *Create
// .env from .env.example* does: the platform's placeholder secrets generated, outside services'
// keys left empty with a comment, mode 600, git-ignored, an existing .env never overwritten.
// Exit 0 when created, 1 when .env already exists (nothing written), 2 on usage or I/O errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEnvFromExample, describeCreatedEnv } from '../core/env/create';
import { escapeControl } from '../core/terminal';
import { ExitCode, type CliCommand } from './io';

const USAGE = `Usage: duckstack env create [dir]

Creates dir/.env (default: the current folder) from its .env.example (.env.sample, .env.template):
every replace-with-... value and every empty password, secret or token gets a freshly generated
random value; a key an outside service issues (an API key, an access key) is left empty with a
comment. The file gets mode 600 and is added to .gitignore when git does not ignore it yet.
An existing .env is never overwritten. Only names are printed, never values.
Exit: 0 created, 1 .env already exists, 2 usage or I/O error.
`;

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return ExitCode.ok;
  }
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    io.err(`duckstack env: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${escapeControl(sub)}'`}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown || rest.length > 1) {
    io.err(`duckstack env create: ${unknown ? `unknown option ${escapeControl(unknown)}` : 'too many arguments'}\n\n${USAGE}`);
    return ExitCode.usage;
  }
  const dir = path.resolve(io.cwd, rest[0] ?? '.');
  if (!isDir(dir)) {
    io.err(`duckstack env create: ${escapeControl(dir)} is not a folder\n`);
    return ExitCode.usage;
  }
  const envFile = path.join(dir, '.env');
  const existed = fs.existsSync(envFile) || isLink(envFile);
  const created = await createEnvFromExample(dir);
  if (!created.ok) {
    io.err(`duckstack env create: ${escapeControl(created.reason)}\n`);
    return existed ? ExitCode.findings : ExitCode.usage;
  }
  io.out(`${escapeControl(describeCreatedEnv(created))}\n`);
  if (created.gitignore) io.out(`${escapeControl(created.gitignore)}\n`);
  return ExitCode.ok;
};

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
