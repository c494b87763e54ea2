import { useCallback, useEffect, useState } from 'react';
import type { CredentialSummary } from '../../../shared/credentials';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';

/** Typing in the search box waits this long before asking main, so each key is not a call. */
const SEARCH_DELAY_MS = 150;

/**
 * The credentials matching a search and a type, read from main (which does the
 * filtering). An answer that arrives after a newer request started is dropped.
 */
export function useCredentialList(query: string, type: string) {
  const [items, setItems] = useState<CredentialSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    const trimmed = query.trim();
    const request = { ...(trimmed && { query: trimmed }), ...(type && { type }) };
    const timer = window.setTimeout(
      () => {
        invoke('credentials:list', request).then(
          (list) => {
            if (!live) return;
            setItems(list);
            setError(null);
          },
          (caught: unknown) => live && setError(windowMessageOf(caught)),
        );
      },
      trimmed ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [query, type, generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { items, error, reload };
}
