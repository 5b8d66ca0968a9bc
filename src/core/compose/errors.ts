// Why a compose project could not be read as written, as data: a code callers switch on, the
// sentence shown to people, and what the error names (a variable, a file).

export type ComposeErrorCode =
  /** No compose file in the folder (and no COMPOSE_FILE naming one). */
  | 'no-compose-file'
  /** A file the project reads (a compose file, .env, an env_file, an extends file) exists but cannot be read. */
  | 'unreadable-file'
  /** An env_file the project requires does not exist. */
  | 'env-file-missing'
  /** A compose file is not valid YAML (syntax, a duplicate key, too many alias expansions). */
  | 'yaml-syntax'
  /** The top level, or `services`, is not a mapping. */
  | 'not-a-mapping'
  /** A `${...}` expression is malformed. */
  | 'interpolation-format'
  /** `${NAME:?message}` or `${NAME?message}` with NAME unset (or empty). */
  | 'required-variable'
  /** `include:` nested too deeply, or a service it brings in is already defined. */
  | 'include'
  /** `extends:` without a service name, in a cycle, or naming a service that does not exist. */
  | 'extends';

export interface ComposeError {
  code: ComposeErrorCode;
  /** One line for people: where, and what is wrong. */
  message: string;
  /** The variable a required-variable error names. */
  variable?: string;
}

/** The errors without repeats (the same file read twice gives the same error twice). */
export function uniqueErrors(errors: readonly ComposeError[]): ComposeError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.code}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
