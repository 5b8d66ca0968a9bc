// Identifier quoting and the snippets the explorer copies: DuckDB's rules, so names with capitals,
// spaces, quotes or keywords survive a round trip.

// Lower-case names that need no quotes; anything else (capitals, spaces, keywords) is quoted.
const PLAIN = /^[a-z_][a-z0-9_]*$/;

// DuckDB keywords that are not plain identifiers (duckdb_keywords(): reserved, type_function and
// column_name categories); quoting them is always safe.
const KEYWORDS = new Set([
  'all', 'analyse', 'analyze', 'and', 'anti', 'any', 'array', 'as', 'asc', 'asof', 'asymmetric', 'at',
  'authorization', 'between', 'bigint', 'binary', 'bit', 'boolean', 'both', 'by', 'case', 'cast', 'char',
  'character', 'check', 'coalesce', 'collate', 'collation', 'column', 'columns', 'concurrently',
  'constraint', 'create', 'cross', 'dec', 'decimal', 'default', 'deferrable', 'desc', 'describe', 'distinct',
  'do', 'else', 'end', 'except', 'exists', 'extract', 'false', 'fetch', 'float', 'for', 'foreign', 'freeze',
  'from', 'full', 'generated', 'glob', 'group', 'grouping', 'grouping_id', 'having', 'ilike', 'in',
  'initially', 'inner', 'inout', 'int', 'integer', 'intersect', 'interval', 'into', 'is', 'isnull', 'join',
  'lambda', 'lateral', 'leading', 'left', 'like', 'limit', 'map', 'national', 'natural', 'nchar', 'none',
  'not', 'notnull', 'null', 'nullif', 'numeric', 'offset', 'on', 'only', 'or', 'order', 'out', 'outer',
  'overlaps', 'overlay', 'pivot', 'pivot_longer', 'pivot_wider', 'placing', 'position', 'positional',
  'precision', 'primary', 'qualify', 'real', 'references', 'returning', 'right', 'row', 'select', 'semi',
  'setof', 'show', 'similar', 'smallint', 'some', 'struct', 'substring', 'summarize', 'symmetric', 'table',
  'tablesample', 'then', 'time', 'timestamp', 'to', 'trailing', 'treat', 'trim', 'true', 'try_cast', 'union',
  'unique', 'unpack', 'unpivot', 'using', 'values', 'varchar', 'variadic', 'verbose', 'when', 'where',
  'window', 'with', 'xmlattributes', 'xmlconcat', 'xmlelement', 'xmlexists', 'xmlforest', 'xmlnamespaces',
  'xmlparse', 'xmlpi', 'xmlroot', 'xmlserialize', 'xmltable',
]);

export function quoteIdentifier(name: string): string {
  if (PLAIN.test(name) && !KEYWORDS.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** schema.table, each part quoted only when needed. */
export function qualifiedName(schema: string, relation: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(relation)}`;
}

/** A SELECT listing the columns (or * without them), ready to paste. */
export function selectSnippet(schema: string, relation: string, columns: readonly string[] = [], limit = 100): string {
  const list = columns.length === 0 ? '* ' : `\n  ${columns.map(quoteIdentifier).join(',\n  ')}\n`;
  return `SELECT${columns.length === 0 ? ' ' : ''}${list}FROM ${qualifiedName(schema, relation)}\nLIMIT ${limit};\n`;
}
