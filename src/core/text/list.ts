/** Items as a sentence lists them: "a", "a and b", "a, b and c" (nothing for none). */
export function joinWithAnd(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
