import { randomBytes } from 'node:crypto';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import type { SecretHandle } from '../../../shared/plugin-host-protocol';
import { containsSecret } from '../../core/credentials/secret-scan';
import { hostGranted, hostKey } from '../../core/net/host-grants';
import { decodeBase64, HostFunctionError } from './json';

// The secret handles of one call, as the host functions use them. Main made
// them for this call's credential only; this object lives as long as the call
// and is never sent to the plugin's thread. A handle is accepted only where a
// host function takes key material (hmac and aes_decrypt keys, signing keys)
// and in custodian_http's {{secret:FIELD}} templates; anywhere else, or a
// handle this call was not given, is refused with an error that names the
// field and never a value.

const NOT_THIS_CALL =
  'is not a handle of this call: a handle is valid only for the credential of the call that received it, and only during that call';
const ENCODINGS = ['utf8', 'hex', 'base64'] as const;
/** Keys one call may derive (SigV4 needs four); bounds what a looping plugin can pile up. */
export const DERIVED_MAX = 64;
/** hmac's key `prefix`: text such as SigV4's "AWS4", not a second key. */
export const PREFIX_MAX = 64;
const DERIVED_TAG = 'derived-';
const TEMPLATE = /\{\{secret:([a-z][a-z0-9_]{0,63})\}\}/g;

export class CallSecrets {
  static readonly none = new CallSecrets([]);
  /**
   * Keys the host derived during this call (hmac with "output":"handle"), by
   * their handles. They live in this object, so they end with the call; their
   * bytes are never answered to the plugin.
   */
  private readonly derived = new Map<string, Buffer>();

  /** `hosts`: the credential's allowed_hosts, when it names them; templates are filled only for those. */
  constructor(
    private readonly entries: readonly SecretHandle[],
    private readonly hosts?: readonly string[],
  ) {}

  /** Refuses a request that would carry secrets to a host the credential does not allow. */
  checkDestination(url: string): void {
    if (!this.hosts) return;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new HostFunctionError('"url" is not a URL');
    }
    const { host, port } = hostKey(parsed);
    if (!hostGranted(this.hosts, host, port, parsed.protocol))
      throw new HostFunctionError(
        `the credential does not allow its secrets to be sent to ${host.slice(0, 253)} (its allowed hosts: ${this.hosts.join(', ') || 'none'})`,
      );
  }

  /** The values behind this call's handles (for scrubbing and response screening). */
  values(): string[] {
    return this.entries.map((e) => e.value);
  }

  /**
   * Key material: base64 bytes, a handle (its value's UTF-8 bytes), or
   * {"handle", "encoding"} (utf8, hex or base64). A handle this call derived
   * stands for its bytes as they are (encoding absent or "raw").
   */
  keyBytes(request: Record<string, unknown>, field: string): Buffer {
    const value = request[field];
    let handle: unknown;
    let encoding: unknown = 'utf8';
    if (isHandle(value)) handle = value;
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      ({ handle, encoding = 'utf8' } = value as Record<string, unknown>);
      if (typeof handle !== 'string')
        throw new HostFunctionError(`"${field}.handle" must be a handle`);
    } else return decodeBase64(value, field);
    const derived = this.derived.get(handle as string);
    if (derived) {
      const given = isHandle(value) ? undefined : (value as Record<string, unknown>).encoding;
      if (given === undefined || given === 'raw') return Buffer.from(derived);
      throw new HostFunctionError(`"${field}": a derived key is bytes; its encoding is "raw"`);
    }
    const entry = this.entries.find((e) => e.handle === handle);
    if (!entry) throw new HostFunctionError(`"${field}" ${NOT_THIS_CALL}`);
    switch (encoding) {
      case 'utf8':
        return Buffer.from(entry.value, 'utf8');
      case 'hex':
        if (!/^(?:[0-9a-fA-F]{2})*$/.test(entry.value))
          throw new HostFunctionError(`"${field}": the secret behind the handle is not hex`);
        return Buffer.from(entry.value, 'hex');
      case 'base64':
        try {
          return decodeBase64(entry.value, field);
        } catch {
          throw new HostFunctionError(`"${field}": the secret behind the handle is not base64`);
        }
      default:
        throw new HostFunctionError(`"${field}.encoding" must be one of ${ENCODINGS.join(', ')}`);
    }
  }

  /**
   * Keeps `key` (a MAC the host just computed) for the rest of this call and
   * answers a new handle for it: SigV4's key chain (kDate, kRegion, kService,
   * kSigning) then never exists in the plugin, only the final signature does.
   */
  derive(key: Buffer): string {
    // `none` is shared by every call that has no credential: it must hold nothing.
    if (this === CallSecrets.none)
      throw new HostFunctionError('"output": "handle" needs a call with a credential');
    if (this.derived.size >= DERIVED_MAX)
      throw new HostFunctionError(`a call may derive at most ${DERIVED_MAX} keys`);
    const handle = `${HANDLE_PREFIX}${DERIVED_TAG}${randomBytes(16).toString('hex')}`;
    this.derived.set(handle, Buffer.from(key));
    return handle;
  }

  /**
   * hmac's key with its `prefix` (UTF-8 text) in front, as SigV4's kDate =
   * HMAC("AWS4" + secret, date) needs; only for a key given by handle (a
   * plugin holding the bytes can prepend them itself).
   */
  withPrefix(request: Record<string, unknown>, key: Buffer): Buffer {
    const prefix = request.prefix;
    if (prefix === undefined) return key;
    if (typeof prefix !== 'string' || prefix.length > PREFIX_MAX)
      throw new HostFunctionError(`"prefix" must be text of at most ${PREFIX_MAX} characters`);
    if (!this.byHandle(request, ['key']))
      throw new HostFunctionError('"prefix" is only for a key given by handle');
    return Buffer.concat([Buffer.from(prefix, 'utf8'), key]);
  }

  /**
   * The text behind a field that takes a handle and nothing else (a sealed
   * JWK): keys travel by handle, so inline text, bytes or objects are refused.
   */
  handleText(request: Record<string, unknown>, field: string): string {
    const value = request[field];
    if (!isHandle(value))
      throw new HostFunctionError(
        `"${field}" takes a handle, not inline key material: keys travel by handle`,
      );
    const entry = this.entries.find((e) => e.handle === value);
    if (!entry) throw new HostFunctionError(`"${field}" ${NOT_THIS_CALL}`);
    return entry.value;
  }

  /** Whether any of these fields of the request is given by handle. */
  byHandle(request: Record<string, unknown>, fields: readonly string[]): boolean {
    return fields.some((f) => {
      const value = request[f];
      return isHandle(value) || (typeof value === 'object' && value !== null);
    });
  }

  /** `text` with each {{secret:FIELD}} replaced by that secret field of this call's credential. */
  fill(text: string, where: string): string {
    return text.replace(TEMPLATE, (_match, field: string) => {
      const entry = this.entries.find((e) => e.field === field);
      if (!entry)
        throw new HostFunctionError(
          `${where}: {{secret:${field}}} names no secret field of this call's credential`,
        );
      return entry.value;
    });
  }

  /**
   * digest's `data` with "fill_secrets": SigV4's canonical request signs the
   * session token the plugin holds only by handle. The answer is a hash, which
   * tells no more about a secret than hmac by handle already does.
   */
  filledData(request: Record<string, unknown>, data: Buffer): Buffer {
    if (request.fill_secrets === undefined || request.fill_secrets === false) return data;
    if (request.fill_secrets !== true)
      throw new HostFunctionError('"fill_secrets" must be true or false');
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      throw new HostFunctionError('"data" must be UTF-8 text when "fill_secrets" is true');
    }
    return Buffer.from(this.fill(text, 'data'), 'utf8');
  }

  /** Whether text the host is about to hand the plugin holds one of this call's secrets in any spelling. */
  leaks(text: string): boolean {
    return this.entries.length > 0 && containsSecret(text, this.values());
  }
}

export function isHandle(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(HANDLE_PREFIX);
}

/** Fields that take bytes but never a handle: a handle there is refused by name. */
export function refuseHandle(request: Record<string, unknown>, field: string): void {
  if (isHandle(request[field]))
    throw new HostFunctionError(
      `"${field}" takes bytes, not a handle; handles go only where key material does`,
    );
}
