// Signing by handle: the sealed private key (JWK text the host stored at
// import) is named by its handle, and the host signs. The plugin never holds
// the key on an agent's call.

import { Base64, BytesResult, Crypto, Hash, Json, JsonValue } from '../../sdk/assembly';
import { KIND_ECDSA, KIND_ED25519, SshKey, curveOf } from './ssh-key';

/** Ed25519 signs the data itself; ECDSA with its curve's hash; RSA as rsa-sha2-512. */
export function signWithJwk(key: SshKey, handle: string, data: Uint8Array): BytesResult {
  let request: JsonValue;
  if (key.kind == KIND_ED25519) request = Json.object().setString('op', 'ed25519_sign');
  else if (key.kind == KIND_ECDSA)
    request = Json.object().setString('op', 'ecdsa_sign').setString('hash', curveOf(key.type).hash);
  else
    request = Json.object()
      .setString('op', 'rsa_sign')
      .setString('padding', 'pkcs1')
      .setString('hash', Hash.SHA512);
  request.setString('jwk', handle).setString('data', Base64.encode(data));
  const response = Crypto.call(request);
  const out = new BytesResult();
  if (!response.ok) {
    out.error = response.error;
    return out;
  }
  const result = response.response.get('result');
  const bytes = result != null ? Base64.decode(result.asString()) : null;
  if (bytes == null) {
    out.error = 'no result';
    return out;
  }
  out.ok = true;
  out.bytes = bytes;
  return out;
}
