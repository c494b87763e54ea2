import type { StoredCredential } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import { sameCredentialName } from './credential-names';

// Finding the credential a call uses, in two steps: who it is (id, name, type)
// when the call is resolved, and its fields only when it runs. Nothing here
// copies a credential: the vault never changes a stored credential in place (it
// is frozen; a save replaces it in a new content and swaps that in), so reading
// one where it lies is safe for as long as a call runs.

/** Which credential a call uses: enough to check, approve and record it; never its fields. */
export interface CredentialRef {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

/** The credential by id, or by name regardless of case; only its id, name and type. */
export function findCredentialRef(
  vault: Pick<Vault, 'read'>,
  ref: { id: string } | { name: string },
): CredentialRef | undefined {
  return vault.read((content) => {
    const found = content.credentials.find((c) =>
      'id' in ref ? c.id === ref.id : sameCredentialName(c.name, ref.name),
    );
    return found ? { id: found.id, name: found.name, type: found.type } : undefined;
  });
}

/**
 * The stored credential with this id as it is now, fields and all, read in
 * place: a call's one read of its secrets, made when it runs. Hold it no longer
 * than the call.
 */
export function storedCredential(
  vault: Pick<Vault, 'read'>,
  id: string,
): Readonly<StoredCredential> | undefined {
  return vault.read((content) => content.credentials.find((c) => c.id === id));
}
