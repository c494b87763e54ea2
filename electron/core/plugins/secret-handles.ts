import { randomBytes } from 'node:crypto';
import { readsSecretValues } from '../../../shared/capability-words';
import type { FieldValues } from '../../../shared/fields';
import type { SecretAccess } from '../../../shared/manifest';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import type { SecretHandle } from '../../../shared/plugin-host-protocol';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { isSecretField } from '../credentials/secret-values';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import type { StoredCredential } from '../vault/vault-content';
import type { LoadedPlugin } from './plugin-registry';

// What a plugin may see of a credential, decided here and nowhere else. A
// plugin in handle mode gets the non-secret fields as values and each secret
// field as a fresh opaque handle; the handles and the values they stand for
// travel beside the input (never in it) to the plugin host, whose host
// functions resolve them for this one call only. A plugin in value mode (a
// Vultrino-ABI module, or an Extism one whose manifest asks for
// secret_access = "values" and whose person granted it) gets the values.
// What the type's import sealed is handed out like a secret field, what it
// made public like a non-secret one.

/** How this loaded plugin receives secret fields. */
export function secretAccessOf(
  plugin: Pick<LoadedPlugin, 'manifest' | 'record' | 'abi'>,
): SecretAccess {
  if (plugin.abi === 'vultrino') return 'values';
  return readsSecretValues(plugin.manifest.capabilities) && readsSecretValues(plugin.record.granted)
    ? 'values'
    : 'handles';
}

export interface PluginCredentialView {
  /** The `credential` of the plugin's input. */
  fields: FieldValues;
  /** The handles of this call and what they stand for; empty in value mode. */
  secrets: SecretHandle[];
  /** Where the host may send the secrets (the credential's allowed_hosts); absent: the plugin's grants. */
  secretHosts?: string[];
}

/** A credential as one call of a plugin with this access sees it; handles are new for every call. */
export function credentialForPlugin(
  credential: Pick<StoredCredential, 'type' | 'fields' | 'imported'>,
  types: Pick<CredentialTypeRegistry, 'get'>,
  access: SecretAccess,
): PluginCredentialView {
  // What the type's import made: public names as values, sealed ones like secret fields.
  const sealed = Object.entries(credential.imported?.sealed ?? {});
  const published = credential.imported?.public ?? {};
  if (access === 'values')
    return {
      fields: { ...credential.fields, ...published, ...Object.fromEntries(sealed) },
      secrets: [],
    };
  const fields: FieldValues = {};
  const secrets: SecretHandle[] = [];
  const byHandle = (field: string, value: string) => {
    const handle = `${HANDLE_PREFIX}${randomBytes(16).toString('hex')}`;
    secrets.push({ handle, field, value });
    fields[field] = handle;
  };
  for (const [field, value] of Object.entries(credential.fields)) {
    if (typeof value === 'string' && isSecretField(credential, field, types))
      byHandle(field, value);
    else fields[field] = value;
  }
  Object.assign(fields, published);
  for (const [name, value] of sealed) byHandle(name, value);
  const allowed = credential.fields.allowed_hosts;
  if (typeof allowed === 'string' && allowed.trim() !== '') {
    // A credential that names its hosts is sent nowhere else, whatever the plugin was granted.
    return { fields, secrets, secretHosts: parseAllowedHosts(allowed).hosts };
  }
  return { fields, secrets };
}
