import type { StoredCredential } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import type { CredentialTypeRegistry } from './type-registry';

/**
 * Every stored secret value of every credential in the vault. A field is
 * secret when its type says so; for a type that is not known right now (its
 * plugin is off) every text field counts as secret.
 */
export function allSecretValues(
  vault: Pick<Vault, 'read'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
): string[] {
  return vault.read((content) => content.credentials.flatMap((c) => secretValuesOf(c, types)));
}

/** The stored secret values of one credential (what a plugin's output or a tool result must not contain). */
export function secretValuesOf(
  credential: Pick<StoredCredential, 'type' | 'fields'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
): string[] {
  const type = types.get(credential.type);
  const secret = type
    ? new Set(type.fields.filter((f) => f.secret).map((f) => f.name))
    : new Set(Object.keys(credential.fields));
  return Object.entries(credential.fields)
    .filter(([name, value]) => secret.has(name) && typeof value === 'string')
    .map(([, value]) => value as string);
}
