// The host functions a plugin may import, and the capability each needs.
// Every one takes the Extism memory offset of a UTF-8 JSON request and returns
// the offset of a UTF-8 JSON response: {"ok":true,...} or {"ok":false,"error":"..."}.
// Binary values travel as base64. The plugin SDK (plugins/sdk) wraps them.

export const HOST_FUNCTION_NAMESPACE = 'extism:host/user';

export const HOST_FUNCTIONS = {
  /** Hashes, HMAC, signatures, AES decryption, random bytes: see CryptoRequest. */
  custodian_crypto: 'crypto',
  /** An HTTP request through the checked fetch: see HttpRequest. */
  custodian_http: 'http',
  /** A line in the app log: {"level":"info","message":"..."}; rate-limited. */
  custodian_log: 'log',
} as const;
export type HostFunctionName = keyof typeof HOST_FUNCTIONS;
export type CapabilityName = (typeof HOST_FUNCTIONS)[HostFunctionName];

/**
 * Every secret handle starts with this (base64 and hex never contain ":", so
 * a key field cannot be mistaken for one). In a crypto request, a key field
 * may hold a handle (its value's UTF-8 bytes) or {"handle", "encoding"} with
 * encoding utf8, hex or base64; custodian_http fills {{secret:FIELD}} in
 * header values and the body.
 */
export const HANDLE_PREFIX = 'custodian-handle:';

export type HashAlgorithm = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

/** Key material as base64 of the raw big-endian integers or bytes. */
export type CryptoRequest =
  /** With fill_secrets, `data` is UTF-8 text whose {{secret:FIELD}} the host fills before hashing. */
  | { op: 'digest'; alg: HashAlgorithm; data: string; fill_secrets?: boolean }
  /**
   * `prefix`: UTF-8 text put before the key's bytes (a key by handle only).
   * `output` "handle": the MAC is answered as a new handle, usable as a key
   * for the rest of this call only (SigV4's key chain), never as bytes.
   */
  | {
      op: 'hmac';
      alg: HashAlgorithm;
      key: string;
      data: string;
      prefix?: string;
      output?: 'bytes' | 'handle';
    }
  | { op: 'random'; length: number }
  | { op: 'ed25519_public_key'; seed: string }
  | { op: 'ed25519_sign'; seed: string; data: string }
  /** The private key as a handle to sealed JWK text (an imported key); see the jwk ops below. */
  | { op: 'ed25519_sign'; jwk: string; data: string }
  /** Curve from the JWK's crv; the signature is r || s. */
  | { op: 'ecdsa_sign'; hash: HashAlgorithm; jwk: string; data: string }
  | { op: 'rsa_sign'; padding: 'pkcs1' | 'pss'; hash: HashAlgorithm; jwk: string; data: string }
  | { op: 'ed25519_verify'; public_key: string; data: string; signature: string }
  | { op: 'ecdsa_public_key'; curve: 'p256' | 'p384'; d: string }
  /** The signature is r || s, each the curve's size (IEEE P1363). */
  | { op: 'ecdsa_sign'; curve: 'p256' | 'p384'; hash: HashAlgorithm; d: string; data: string }
  | {
      op: 'ecdsa_verify';
      curve: 'p256' | 'p384';
      hash: HashAlgorithm;
      x: string;
      y: string;
      data: string;
      signature: string;
    }
  | {
      op: 'rsa_sign';
      padding: 'pkcs1' | 'pss';
      hash: HashAlgorithm;
      n: string;
      e: string;
      d: string;
      p: string;
      q: string;
      data: string;
    }
  | {
      op: 'rsa_verify';
      padding: 'pkcs1' | 'pss';
      hash: HashAlgorithm;
      n: string;
      e: string;
      data: string;
      signature: string;
    }
  /**
   * CFB with a full-block feedback (OpenPGP secret keys), CTR with a 128-bit
   * big-endian counter starting at the IV (OpenSSH's aes*-ctr key files), or
   * single blocks (ECB).
   */
  | { op: 'aes_decrypt'; mode: 'cfb' | 'ctr' | 'ecb'; key: string; iv?: string; data: string }
  /**
   * OpenPGP string-to-key (RFC 4880 3.7.1): simple, salted, or iterated and
   * salted (`count` is the decoded octet count, up to 65011712). Done in the
   * host because the iterated form hashes tens of megabytes. `passphrase` is
   * base64 of its bytes, like every other byte field.
   */
  | {
      op: 's2k';
      type: 'simple' | 'salted' | 'iterated';
      hash: HashAlgorithm;
      salt?: string;
      count?: number;
      passphrase: string;
      key_length: number;
    }
  /**
   * A private key's PEM (base64 of its text) as JWK JSON text (base64 in
   * `result`), for an import entry: bytes in, never a handle.
   */
  | { op: 'pem_to_jwk'; pem: string };

/**
 * What custodian_crypto answers: bytes as `result` (digest, hmac, random,
 * ed25519_public_key, *_sign, aes_decrypt), `valid` for *_verify, the point
 * for ecdsa_public_key.
 */
export type CryptoResponse =
  | { ok: true; result: string }
  /** hmac with "output": "handle". */
  | { ok: true; handle: string }
  | { ok: true; valid: boolean }
  | { ok: true; x: string; y: string }
  | { ok: false; error: string };

/** What custodian_log answers. */
export type LogResponse = { ok: true } | { ok: false; error: string };

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** base64 */
  body?: string;
}
export interface HttpResponse {
  ok: true;
  status: number;
  headers: Record<string, string>;
  /** base64 */
  body: string;
}

/** What a plugin's `execute` receives and returns, as Vultrino defines it. */
export interface PluginRequest {
  action: string;
  /** The credential's field values; only credentials of the plugin's own types. */
  credential: Record<string, string | boolean>;
  parameters: Record<string, unknown>;
  /**
   * Custodian's addition: plugins have no clock of their own. `import` is set
   * on a type's import call (values in, no network, no log).
   */
  context: { now: number /* Unix seconds */; import?: true };
}

/**
 * What a type's import entry answers as `data`: `info` to show the person,
 * `sealed` key material (JWK JSON text for private keys) that later calls
 * reach only by handle, `public` values later calls receive as they are.
 * Names match IMPORT_NAME_PATTERN and are no declared field's name.
 */
export interface ImportAnswer {
  info?: unknown;
  sealed?: Record<string, string>;
  public?: Record<string, string>;
}
export const IMPORT_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;
/** At most this many names in `sealed` and `public` together. */
export const IMPORT_NAMES_MAX = 32;
/** The longest value of one name, in UTF-8 bytes. */
export const IMPORT_VALUE_MAX_BYTES = 65_536;
export const RESPONSE_CODES = {
  ok: 0,
  general: -1,
  invalidAction: -2,
  invalidParameters: -3,
} as const;
export interface PluginResponse {
  code: number;
  data?: unknown;
  error?: string | null;
}
