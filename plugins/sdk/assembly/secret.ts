// A secret field of the call's credential, held by handle. In handle mode (the
// default; see plugins/README.md, "Secrets: handles"), a secret field's value
// in the request is an opaque handle, valid for this call only: pass it to the
// host functions that take key material (Crypto.*With) or write
// Secret.template(field) into an HTTP header or body, and the host uses the
// value the plugin never sees.

import { Json, JsonValue } from './json';

export class SecretKey {
  /**
   * `encoding` says how the host reads the stored text as key bytes: "utf8",
   * "hex" or "base64"; "raw" for a key the host derived in this call.
   */
  constructor(
    public handle: string,
    public encoding: string = 'utf8',
  ) {}

  /** The key field of a crypto request: {"handle", "encoding"}. */
  json(): JsonValue {
    return Json.object().setString('handle', this.handle).setString('encoding', this.encoding);
  }
}

export class Secret {
  /** What custodian_http replaces with the secret field `field` as the request leaves. */
  static template(field: string): string {
    return '{{secret:' + field + '}}';
  }
}
