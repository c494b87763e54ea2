// Signing by handle: the sealed private key (JWK text the host stored at
// import) is named by its handle, and the host signs. The plugin never holds
// the key on an agent's call.

import { BytesResult, Crypto, Hash } from '../../sdk/assembly';
import { KIND_ECDSA, KIND_ED25519, SshKey, curveOf } from './ssh-key';

/** Ed25519 signs the data itself; ECDSA with its curve's hash; RSA as rsa-sha2-512. */
export function signWithJwk(key: SshKey, handle: string, data: Uint8Array): BytesResult {
  if (key.kind == KIND_ED25519) return Crypto.ed25519SignJwk(handle, data);
  if (key.kind == KIND_ECDSA) return Crypto.ecdsaSignJwk(curveOf(key.type).hash, handle, data);
  return Crypto.rsaSignJwk('pkcs1', Hash.SHA512, handle, data);
}
