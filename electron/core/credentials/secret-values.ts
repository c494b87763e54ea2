import { scannableForms, type SecretForm } from './secret-scan';
import type { StoredCredential } from '../vault/vault-content';
import type { Vault } from '../vault/vault';
import type { CredentialTypeRegistry } from './type-registry';

// Forms per stored credential. A stored credential is frozen and shared from
// one save to the next until it is itself changed (then it is a new object),
// and the vault drops every one on lock, so an entry lives exactly as long as
// the secrets it was made from: nothing outlives a lock, and a save (the audit
// log anchors its head in the vault after every call) recomputes nothing for
// the credentials it did not change. The type it was read with is kept beside
// the forms: a type registered or replaced since decides the secret fields anew.
const formsByCredential = new WeakMap<
  Readonly<StoredCredential>,
  { type: unknown; forms: SecretForm[] }
>();

/**
 * Every spelling of every stored secret, for screening tool output; worked out
 * once per stored credential rather than on every call.
 */
export function allSecretForms(
  vault: Pick<Vault, 'read'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
): SecretForm[] {
  return vault.read((content) => {
    const all: SecretForm[] = [];
    for (const credential of content.credentials) {
      const type = types.get(credential.type);
      let known = formsByCredential.get(credential);
      if (!known || known.type !== type) {
        known = {
          type,
          forms: secretValuesOf(credential, types).flatMap((value) => scannableForms(value)),
        };
        formsByCredential.set(credential, known);
      }
      for (const form of known.forms) all.push(form);
    }
    return all;
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
