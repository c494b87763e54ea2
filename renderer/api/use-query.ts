import { useCallback, useEffect, useState } from 'react';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import { invoke } from './client';
import { windowMessageOf } from '../../shared/error-boundaries';

/**
 * Reads something from main and keeps the latest answer. `reload` asks again;
 * an answer that arrives after a newer request started is dropped. The request
 * is compared by its JSON, so a literal written inline does not ask every render.
 */
export function useQuery<C extends Channel>(channel: C, request: RequestOf<C>) {
  const [data, setData] = useState<ResponseOf<C> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const key = JSON.stringify(request);

  useEffect(() => {
    let live = true;
    invoke(channel, JSON.parse(key) as RequestOf<C>).then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setError(null);
      },
      (caught: unknown) => live && setError(windowMessageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [channel, key, generation]);

  return { data, error, reload };
}
