/**
 * Where a credential type comes from, in words, or null for a built-in type:
 * "from plugin echo" for "plugin:echo".
 */
export function typeSourceLabel(source: string): string | null {
  if (source === 'built-in') return null;
  if (source.startsWith('plugin:')) return `from plugin ${source.slice('plugin:'.length)}`;
  return `from ${source}`;
}
