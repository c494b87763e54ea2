import { useEffect, useState } from 'react';
import type { StoreProgress } from '../../../shared/store';
import { useQuery } from '../../api/use-query';

// What the Store view reads, each kept current by the events main pushes.

/** Every plugin every catalog lists, with what is installed. */
export function useStoreEntries() {
  const query = useQuery('store:browse', {});
  const { reload } = query;
  // A catalog added, removed or refreshed; a plugin installed, updated or removed.
  useEffect(() => window.custodian.on('store:changed', reload), [reload]);
  useEffect(() => window.custodian.on('plugins:changed', reload), [reload]);
  useEffect(() => window.custodian.on('vault:changed', reload), [reload]);
  return query;
}

/** The catalog sources, the bundled one first. */
export function useCatalogs() {
  const query = useQuery('store:catalogs', {});
  const { reload } = query;
  useEffect(() => window.custodian.on('store:changed', reload), [reload]);
  return query;
}

/** The latest download progress main reported for this progress id, or null before any. */
export function useDownloadProgress(progressId: string): StoreProgress | null {
  const [progress, setProgress] = useState<StoreProgress | null>(null);
  useEffect(
    () =>
      window.custodian.on('store:progress', (event) => {
        if (event.progressId === progressId) setProgress(event);
      }),
    [progressId],
  );
  return progress;
}

let counter = 0;

/** An id for store:prepare, so this dialog picks its own progress events out of all of them. */
export function newProgressId(): string {
  counter += 1;
  return `p${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
