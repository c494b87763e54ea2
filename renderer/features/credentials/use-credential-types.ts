import { useCallback, useEffect, useState } from 'react';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { invoke } from '../../api/client';
import { messageOf } from '../../api/ipc-error';

/**
 * The credential types main knows: built-in ones and those of loaded plugins.
 * Read when the view opens and again on reload (each Add), since plugins come
 * and go while the vault is open.
 */
export function useCredentialTypes() {
  const [types, setTypes] = useState<CredentialTypeInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    invoke('credentialTypes:list', {}).then(
      (list) => {
        if (!live) return;
        setTypes(list);
        setError(null);
      },
      (caught: unknown) => live && setError(messageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, [generation]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { types, error, reload };
}
