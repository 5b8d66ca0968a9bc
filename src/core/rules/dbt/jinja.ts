/** `{{ env_var('NAME', 'default') }}` as a double-quoted YAML scalar, or undefined when the default cannot be written plainly. */
export function envVarScalar(name: string, fallback?: string): string | undefined {
  if (fallback !== undefined && /['"\\\n]/.test(fallback)) return undefined;
  return fallback === undefined ? `"{{ env_var('${name}') }}"` : `"{{ env_var('${name}', '${fallback}') }}"`;
}

export function usesJinja(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

export function envName(words: string): string {
  return words.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}
