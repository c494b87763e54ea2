import { useEffect } from 'react';
import { useQuery } from '../../api/use-query';

/**
 * The installed plugins as main reports them. Read on mount, after every
 * change made here (reload), and whenever main says the vault or a plugin
 * changed (an author's rebuild shows at once).
 */
export function usePlugins() {
  const { data: plugins, error, reload } = useQuery('plugins:list', {});
  useEffect(() => window.custodian.on('vault:changed', reload), [reload]);
  useEffect(() => window.custodian.on('plugins:changed', reload), [reload]);
  return { plugins, error, reload };
}
