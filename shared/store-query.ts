import type { StoreEntry } from './store';

// The Store's search, zod-free so the window can load it: importing
// shared/store.ts at run time would build its schemas there, and zod's probe
// for `new Function` breaks the renderer's Content Security Policy.

/** Case-insensitive; every word must appear in the name, description, author, a credential type or a tool. */
export function matchesStoreQuery(entry: StoreEntry, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    entry.name,
    entry.description,
    entry.author,
    ...entry.credentialTypes.flatMap((t) => [t.name, t.display_name]),
    ...entry.tools.flatMap((t) => [t.name, t.description]),
  ]
    .join('\n')
    .toLowerCase();
  return words.every((word) => haystack.includes(word));
}
