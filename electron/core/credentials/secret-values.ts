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

/**
 * The stored secret values of one credential, its imported sealed material
 * among them (what a plugin's output or a tool result must not contain).
 */
export function secretValuesOf(
  credential: Pick<StoredCredential, 'type' | 'fields' | 'imported'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
): string[] {
  return Object.entries(credential.fields)
    .filter(([name, value]) => typeof value === 'string' && isSecretField(credential, name, types))
    .map(([, value]) => value as string)
    .concat(Object.values(credential.imported?.sealed ?? {}).flatMap(withPrivateJwkMembers));
}

/** JWK members that are private (RFC 7518 6.2.2, 6.3.2, 6.4.1; RFC 8037 2). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/**
 * A sealed value, and when it is a JWK, each private member on its own: a
 * key's `d` must not get out alone either. Public members (x, y, n, e) are
 * left out: a public key is fine to show.
 */
function withPrivateJwkMembers(sealed: string): string[] {
  if (!sealed.startsWith('{')) return [sealed];
  let jwk: unknown;
  try {
    jwk = JSON.parse(sealed);
  } catch {
    return [sealed];
  }
  if (typeof jwk !== 'object' || jwk === null || typeof (jwk as { kty?: unknown }).kty !== 'string')
    return [sealed];
  const members = jwk as Record<string, unknown>;
  return [
    sealed,
    ...PRIVATE_JWK_MEMBERS.map((m) => members[m]).filter(
      (v): v is string => typeof v === 'string' && v.length > 0,
    ),
  ];
}
