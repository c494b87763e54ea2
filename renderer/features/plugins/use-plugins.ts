import { useCallback, useEffect, useState } from 'react';
import type { PluginInfo } from '../../../shared/plugins';
import { invoke } from '../../api/client';
import { messageOf } from '../../api/ipc-error';

/**
 * The installed plugins as main reports them. Read on mount, after every
 * change made here (reload), and whenever main says the vault changed. An
 * answer that arrives after a newer request started is dropped.
 */
export function usePlugins() {
  const [plugins, setPlugins] = useState<PluginInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => window.custodian.on('vault:changed', reload), [reload]);
  // A plugin reloaded behind the window's back (an author's rebuild) shows at once.
  useEffect(() => window.custodian.on('plugins:changed', reload), [reload]);

  useEffect(() => {
    let live = true;
    invoke('plugins:list', {}).then(
      (list) => {
        if (!live) return;
        setPlugins(list);
        setError(null);
      },
      (caught: unknown) => live && setError(messageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [generation]);

  return { plugins, error, reload };
}
