import { scannableForms, type SecretForm } from './secret-scan';
import type { StoredCredential, VaultContent } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import type { CredentialTypeRegistry } from './type-registry';

// Forms per secret value, per vault content. The vault replaces its content
// object on every save and drops it on lock, so an entry lives exactly as long
// as the secrets it was made from: nothing outlives a lock.
const formsByContent = new WeakMap<Readonly<VaultContent>, Map<string, SecretForm[]>>();

/**
 * Every spelling of every stored secret, for screening tool output; worked out
 * once per secret per saved state of the vault rather than on every call.
 */
export function allSecretForms(
  vault: Pick<Vault, 'read'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
): SecretForm[] {
  return vault.read((content) => {
    let cache = formsByContent.get(content);
    if (!cache) formsByContent.set(content, (cache = new Map()));
    const known = cache;
    return content.credentials
      .flatMap((c) => secretValuesOf(c, types))
      .flatMap((value) => {
        let forms = known.get(value);
        if (!forms) known.set(value, (forms = scannableForms(value)));
        return forms;
      });
  });
}

/** Whether a field of a credential is secret (every field of a type no longer known is). */
export function isSecretField(
  credential: Pick<StoredCredential, 'type'>,
  field: string,
  types: Pick<CredentialTypeRegistry, 'get'>,
): boolean {
  const type = types.get(credential.type);
  return type ? type.fields.some((f) => f.name === field && f.secret) : true;
}

/** The stored secret values of one credential (what a plugin's output or a tool result must not contain). */
export function secretValuesOf(
  credential: Pick<StoredCredential, 'type' | 'fields'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
): string[] {
  return Object.entries(credential.fields)
    .filter(([name, value]) => typeof value === 'string' && isSecretField(credential, name, types))
    .map(([, value]) => value as string);
}
