// Custodian's host functions (shared/plugin-abi.ts). Each takes the Extism
// memory offset of a UTF-8 JSON request and returns the offset of a UTF-8
// JSON response. A module imports only the ones it calls, and the host
// refuses to load a module importing one its manifest does not declare.
//
// Written as static members of a declared class because that is the one form
// of @external both asc and Prettier (with the babel-ts parser, see
// plugins/.prettierrc.json) accept; ESLint's parser accepts neither, so this
// file is in its ignores.

export declare class CustodianHost {
  @external('extism:host/user', 'custodian_crypto')
  static crypto(request: u64): u64;

  @external('extism:host/user', 'custodian_http')
  static http(request: u64): u64;

  @external('extism:host/user', 'custodian_log')
  static log(request: u64): u64;
}
