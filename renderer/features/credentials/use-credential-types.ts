import { useQuery } from '../../api/use-query';

/**
 * The credential types main knows: built-in ones and those of loaded plugins.
 * Read when the view opens and again on reload (each Add), since plugins come
 * and go while the vault is open.
 */
export function useCredentialTypes() {
  const { data: types, error, reload } = useQuery('credentialTypes:list', {});
  return { types, error, reload };
}
