import { useCallback, useEffect, useState } from 'react';
import type { VaultStatus } from '../../shared/vault-status';
import { invoke, onVaultLocked } from '../api/client';
import { windowMessageOf } from '../../shared/error-boundaries';

/**
 * The vault's status as main reports it. Main pushes `vault:changed` on every
 * change (auto-lock included), so the screen follows the vault at once; a
 * vault_locked answer to any call triggers a fresh read as a backstop.
 */
export function useVaultStatus() {
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(
    () =>
      invoke('vault:status', {}).then(
        (next) => {
          setStatus(next);
          setError(null);
        },
        (caught: unknown) => setError(windowMessageOf(caught)),
      ),
    [],
  );

  useEffect(() => {
    const offChanged = window.custodian.on('vault:changed', setStatus);
    const offLocked = onVaultLocked(() => void refresh());
    void refresh();
    return () => {
      offChanged();
      offLocked();
    };
  }, [refresh]);

  return { status, setStatus, error, refresh };
}
