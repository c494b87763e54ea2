import { useEffect, useState } from 'react';
import type { CredentialTypeInfo } from '../../../shared/fields';
import { invoke } from '../../api/client';
import { messageOf } from '../../api/ipc-error';

/** The credential types main knows (built-in now, plugins later), read once per unlock. */
export function useCredentialTypes() {
  const [types, setTypes] = useState<CredentialTypeInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    invoke('credentialTypes:list', {}).then(
      (list) => live && setTypes(list),
      (caught: unknown) => live && setError(messageOf(caught)),
    );
    return () => {
      live = false;
    };
  }, []);

  return { types, error };
}
