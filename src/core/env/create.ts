// Create .env from .env.example: the example copied line for line, every placeholder of the
// platform's own secrets (a `replace-with-…` value, or an empty value of a password, secret or
// token) replaced by a freshly generated random value, written once (an existing .env is never
// overwritten, even one that appears meanwhile), mode 600, and git-ignored. A key that an outside
// service issues (an LLM's API key, a cloud access key) cannot be made up: it is left empty, with
// a comment saying so. Values are never returned or printed: only names.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRegularFileBytes } from '../files';
import { describeWriteError, writeFileAtomic } from '../fs/atomic';
import { decodeUtf8, encodeUtf8 } from '../fs/text';
import { ensureGitIgnored } from '../lint/envSecrets';

export const EXAMPLE_NAMES = ['.env.example', '.env.sample', '.env.template'];

export const PLACEHOLDER_PREFIX = 'replace-with-';

/** A variable name that holds a secret (the same names compose-hardcoded-credential guards). */
const SECRET_NAME = /(PASSWORD|PASSWD|PASS$|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?)/i;
const NOT_A_SECRET = /_(FILE|PATH|DIR|EXPIRY|EXPIRATION|TTL|TIMEOUT|LENGTH|ENABLED|HEADER|NAME|USER|USERNAME|ALGORITHM|URL)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_A_SECRET.test(name);
}

/**
 * A credential an outside service issues (OPENAI_API_KEY, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * GOOGLE_APPLICATION_CREDENTIALS): a random value would only be a wrong key, so it is never generated.
 * The platform's own secrets (passwords, SECRET_KEY, API_SECRET, JUPYTER_TOKEN) are values both
 * ends of which the fork sets, so a random one works.
 */
export function isOutsideKey(name: string): boolean {
  return /(API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|LICENSE_?KEY|KEY_ID|CREDENTIALS?)/i.test(name) && !NOT_A_SECRET.test(name);
}

/** The comment written above an outside service's key that was left empty (unless a comment is there already). */
export function outsideKeyComment(name: string): string {
  return `# ${name}: a key an outside service issues; DuckStack left it empty. Set it from that service, or leave it empty when unused.`;
}

export type CreateEnvResult =
  | {
      ok: true;
      envFile: string;
      example: string;
      /** Names whose placeholder was replaced by a generated value. */
      generated: string[];
      /** Outside services' keys left empty (a placeholder cleared, or an empty value kept), each with a comment. */
      leftEmpty: string[];
      /** What was done to keep .env out of git, or why it could not be; undefined when it already was. */
      gitignore?: string;
    }
  | { ok: false; reason: string };

/** A random value safe unquoted in .env and in URLs: 32 characters of [A-Za-z0-9_-]. */
export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(.*)$/;

/**
 * The example's text with the platform's placeholder secrets replaced, and outside services' keys
 * left empty with a comment; the names of each. Other lines unchanged. A name in `moved` is a
 * literal a lint fix is about to move into .env (the value the stack already runs with): its
 * placeholder is not generated but left out, with a comment, so that the fix can store it.
 */
export function fillPlaceholders(text: string, generate: () => string = randomSecret, moved: ReadonlySet<string> = new Set()): { text: string; generated: string[]; leftEmpty: string[] } {
  const generated: string[] = [];
  const leftEmpty: string[] = [];
  const source = text.split('\n');
  const lines = source.map((line, index) => {
    const m = ASSIGNMENT.exec(line.replace(/\r$/, ''));
    if (!m) return line;
    const [, lead, name, eq, rest] = m;
    const cr = line.endsWith('\r') ? '\r' : '';
    const quote = rest[0] === '"' || rest[0] === "'" ? rest[0] : undefined;
    let value: string;
    let comment = '';
    if (quote) {
      const close = rest.indexOf(quote, 1);
      if (close < 0) return line;
      value = rest.slice(1, close);
      comment = rest.slice(close + 1);
    } else {
      const hash = /\s#/.exec(rest);
      value = (hash ? rest.slice(0, hash.index) : rest).trim();
      comment = hash ? rest.slice(hash.index) : '';
    }
    const placeholder = value.startsWith(PLACEHOLDER_PREFIX);
    const emptySecret = value === '' && isSecretName(name);
    if (!placeholder && !emptySecret) return line;
    const tail = comment.startsWith(' ') || comment === '' ? comment : ` ${comment.trimStart()}`;
    if (moved.has(name)) return `${lead.replace(/export\s+/, '')}# ${name}: set below, to the value the compose file had (moved by DuckStack's fix)${cr}`;
    if (isOutsideKey(name)) {
      leftEmpty.push(name);
      // An empty value followed by ` # …` would read as the value "# …" (compose's .env parser):
      // the line's own comment moves above it.
      const above = [
        ...(index > 0 && /^\s*#/.test(source[index - 1]) ? [] : [outsideKeyComment(name)]),
        ...(comment.trim() !== '' ? [`${lead.replace(/export\s+/, '')}${comment.trim()}`] : []),
      ];
      return [...above, `${lead}${name}${eq.replace(/\s+$/, '')}`].map((l) => `${l}${cr}`).join('\n');
    }
    generated.push(name);
    return `${lead}${name}${eq.replace(/\s+$/, '')}${generate()}${tail}${cr}`;
  });
  return { text: lines.join('\n'), generated, leftEmpty };
}

/** One line for people: what was generated and what was left empty, by name (never values). */
export function describeCreatedEnv(created: { example: string; generated: readonly string[]; leftEmpty: readonly string[] }): string {
  const generated = created.generated.length > 0 ? `generated ${created.generated.join(', ')}` : 'generated no secret (none was a placeholder)';
  const left = created.leftEmpty.length > 0
    ? `; left empty ${created.leftEmpty.join(', ')} (${created.leftEmpty.length === 1 ? 'a key' : 'keys'} an outside service issues: set ${created.leftEmpty.length === 1 ? 'it' : 'them'} yourself, or leave ${created.leftEmpty.length === 1 ? 'it' : 'them'} empty when unused)`
    : '';
  return `Created .env from ${path.basename(created.example)} (mode 600): ${generated}${left}.`;
}

/**
 * Creates dir/.env from the first example file there; refuses when .env exists. `moved`: names a
 * lint fix moves into .env next (see fillPlaceholders).
 */
export async function createEnvFromExample(dir: string, moved: ReadonlySet<string> = new Set()): Promise<CreateEnvResult> {
  const envFile = path.join(dir, '.env');
  if (fs.existsSync(envFile) || isLink(envFile)) return { ok: false, reason: `${envFile} already exists; DuckStack never overwrites it.` };
  const exampleName = EXAMPLE_NAMES.find((n) => fs.existsSync(path.join(dir, n)));
  if (!exampleName) return { ok: false, reason: `There is no ${EXAMPLE_NAMES.join(', ')} in ${dir} to create .env from.` };
  const example = path.join(dir, exampleName);
  const read = await readRegularFileBytes(example);
  if (!read.ok) return { ok: false, reason: `${example} cannot be read: ${read.message}` };
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return { ok: false, reason: `${example} is not valid UTF-8 (${decoded.reason}).` };
  const filled = fillPlaceholders(decoded.text, randomSecret, moved);
  try {
    await writeFileAtomic(envFile, encodeUtf8(filled.text, decoded.bom), { mode: 0o600, exclusive: true });
  } catch (e) {
    const exists = (e as NodeJS.ErrnoException).code === 'EEXIST';
    return { ok: false, reason: exists ? `${envFile} already exists; DuckStack never overwrites it.` : `${envFile} could not be written: ${describeWriteError(e)}` };
  }
  return { ok: true, envFile, example, generated: filled.generated, leftEmpty: filled.leftEmpty, gitignore: await ensureGitIgnored(envFile) };
}

/**
 * What createEnvFromExample would write in dir, with each generated value shown as `***` (a fresh
 * one is generated when it writes); undefined when there is no readable UTF-8 example or .env exists.
 */
export async function previewEnvFromExample(dir: string): Promise<{ envFile: string; example: string; text: string } | undefined> {
  const envFile = path.join(dir, '.env');
  const exampleName = EXAMPLE_NAMES.find((n) => fs.existsSync(path.join(dir, n)));
  if (!exampleName || fs.existsSync(envFile) || isLink(envFile)) return undefined;
  const example = path.join(dir, exampleName);
  const read = await readRegularFileBytes(example);
  const decoded = read.ok ? decodeUtf8(read.bytes) : undefined;
  if (!decoded?.ok) return undefined;
  return { envFile, example, text: fillPlaceholders(decoded.text, () => '***').text };
}

/**
 * Creates the .env that each finding whose fix is `createEnv` (compose-env-missing) asks for, once
 * per folder; an existing .env is never overwritten. Returns lines for people (names only, never a
 * value; paths relative to root) and whether a .env was written. `duckstack lint --fix` and the
 * apply_fixes tool use it before the other fixes, so none puts a secret into .env first.
 */
export async function createEnvFiles(findings: ReadonlyArray<{ file: string; fix?: { createEnv?: boolean; secrets?: ReadonlyArray<{ name: string }> } }>, root: string): Promise<{ written: boolean; notes: string[]; errors: string[] }> {
  const out = { written: false, notes: [] as string[], errors: [] as string[] };
  for (const dir of new Set(findings.filter((f) => f.fix?.createEnv).map((f) => path.dirname(f.file)))) {
    // A literal secret a fix in this folder moves to .env is the value the stack runs with: it wins over a generated one.
    const moved = new Set(findings.filter((f) => path.dirname(f.file) === dir).flatMap((f) => (f.fix?.secrets ?? []).map((secret) => secret.name)));
    const created = await createEnvFromExample(dir, moved);
    if (!created.ok) {
      out.errors.push(created.reason);
      continue;
    }
    out.written = true;
    out.notes.push(`${path.relative(root, created.envFile) || created.envFile}: ${describeCreatedEnv(created)}`);
    if (created.gitignore) out.notes.push(created.gitignore);
  }
  return out;
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
