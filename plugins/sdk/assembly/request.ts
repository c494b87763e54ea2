// The request a plugin's `execute` receives: {action, credential, parameters,
// context}.
// The host has already checked the parameters against the manifest (required,
// types, enum values) and applied defaults, so the getters' fallbacks only
// matter for optional parameters without a default.

import { Host } from '@extism/as-pdk';
import { Json, JsonValue } from './json';
import { fromUtf8 } from './encoding';
import { SecretKey } from './secret';

export class Request {
  constructor(
    public action: string,
    /** The credential's field values: strings, and booleans for checkboxes. */
    public credential: JsonValue,
    public parameters: JsonValue,
  ) {}

  /** The Extism input of this call; null when it is not a valid request. */
  static read(): Request | null {
    return Request.parse(fromUtf8(Host.input()));
  }

  /** Why the last `read` or `parse` returned null. */
  static lastError: string = '';

  /** A request from JSON text; null when it is not one (see Request.lastError). */
  static parse(text: string): Request | null {
    const json = Json.parse(text);
    if (json == null) {
      Request.lastError = Json.lastError;
      return null;
    }
    const action = json.get('action');
    let credential = json.get('credential');
    if (credential == null || credential.isNull()) credential = Json.object();
    let parameters = json.get('parameters');
    if (parameters == null || parameters.isNull()) parameters = Json.object();
    if (action == null || !action.isString() || !credential.isObject() || !parameters.isObject()) {
      Request.lastError = 'expected {"action": string, "credential": object, "parameters": object}';
      return null;
    }
    Request.lastError = '';
    const request = new Request(action.asString(), credential, parameters);
    const context = json.get('context');
    if (context != null && context.isObject()) request.context = context;
    return request;
  }

  /** What the host says about the call (`{"now": unix seconds}`); an empty object if absent. */
  context: JsonValue = Json.object();

  /**
   * The current time in Unix seconds, from the host (plugins have no clock of
   * their own); 0 when the request carries none.
   */
  now(): i64 {
    const now = this.context.get('now');
    return now != null ? now.asInteger(0) : 0;
  }

  /** A text, password, textarea or select field; null when absent or not text. */
  field(name: string): string | null {
    const value = this.credential.get(name);
    return value != null && value.isString() ? value.asString() : null;
  }

  /**
   * A secret field as the handle the host gave for it (null when absent), read
   * by the host as `encoding` ("utf8", "hex" or "base64") where it is used.
   */
  secret(name: string, encoding: string = 'utf8'): SecretKey | null {
    const handle = this.field(name);
    return handle != null ? new SecretKey(handle, encoding) : null;
  }

  /**
   * A name the type's import sealed (a private key as JWK text, say), as the
   * handle of this call: pass it to Crypto.*Jwk. "" when the credential has
   * no such name.
   */
  sealed(name: string): string {
    const handle = this.field(name);
    return handle != null ? handle : '';
  }

  /** A public value the type's import kept (a public key, a fingerprint); "" when absent. */
  imported(name: string): string {
    const value = this.field(name);
    return value != null ? value : '';
  }

  /** Whether this is the type's import call (values in, no network, no log). */
  isImport(): bool {
    const flag = this.context.get('import');
    return flag != null && flag.asBool();
  }

  /** A field's text, or `fallback`. */
  fieldOr(name: string, fallback: string): string {
    const value = this.field(name);
    return value != null ? value : fallback;
  }

  /** A checkbox field; false when absent. */
  flag(name: string): bool {
    const value = this.credential.get(name);
    return value != null && value.asBool();
  }

  /** The names of the fields the credential has, sorted. */
  fieldNames(): string[] {
    const names = this.credential.keys();
    names.sort();
    return names;
  }

  /** A parameter as JSON; null when absent. */
  param(name: string): JsonValue | null {
    return this.parameters.get(name);
  }

  hasParam(name: string): bool {
    return this.parameters.has(name);
  }

  stringParam(name: string, fallback: string = ''): string {
    const value = this.parameters.get(name);
    return value != null ? value.asString(fallback) : fallback;
  }

  intParam(name: string, fallback: i64 = 0): i64 {
    const value = this.parameters.get(name);
    return value != null ? value.asInteger(fallback) : fallback;
  }

  numberParam(name: string, fallback: f64 = 0): f64 {
    const value = this.parameters.get(name);
    return value != null ? value.asNumber(fallback) : fallback;
  }

  boolParam(name: string, fallback: bool = false): bool {
    const value = this.parameters.get(name);
    return value != null ? value.asBool(fallback) : fallback;
  }
}
