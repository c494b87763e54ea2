// Custodian's plugin SDK for AssemblyScript. See plugins/README.md.

export { Json, JsonKind, JsonValue } from './json';
export { Base64, Hex, fromUtf8, utf8 } from './encoding';
export { Request } from './request';
export { Secret, SecretKey } from './secret';
export {
  Response,
  CODE_OK,
  CODE_ERROR,
  CODE_INVALID_ACTION,
  CODE_INVALID_PARAMETERS,
} from './response';
export {
  Crypto,
  Hash,
  Http,
  Log,
  RsaPrivateKey,
  HostResult,
  BytesResult,
  KeyResult,
  VerifyResult,
  EcPublicKeyResult,
  HttpResult,
} from './host';
