// A minimal real plugin: signs a message with the credential's HMAC key
// through the host's crypto. The plugin holds the key only as a handle (it
// never sees the value), and only the signature comes back.
//
// Build: npm run plugins:build (the module lands in build/plugin.wasm).

import { Base64, Crypto, Hex, Json, Request, Response, utf8 } from '../../sdk/assembly';

/** Extism calls this export for every action. */
export function execute(): i32 {
  const request = Request.read();
  if (request == null) return Response.invalidRequest();
  if (request.action == 'sign') return sign(request);
  return Response.invalidAction(request.action);
}

function sign(request: Request): i32 {
  // The host has checked the parameters against plugin.toml and applied the
  // defaults, so `message` is there and `algorithm` is one of the enum values.
  const secret = request.secret('secret');
  if (secret == null) return Response.error('The credential has no secret');
  const algorithm = request.stringParam('algorithm', 'sha256');
  const mac = Crypto.hmacWith(algorithm, secret, utf8(request.stringParam('message')));
  if (!mac.ok) return Response.error('Signing failed: ' + mac.error);
  const encoding = request.stringParam('encoding', 'hex');
  const signature = encoding == 'base64' ? Base64.encode(mac.bytes) : Hex.encode(mac.bytes);
  return Response.ok(
    Json.object()
      .setString('signature', signature)
      .setString('algorithm', 'hmac-' + algorithm)
      .setString('key_id', request.fieldOr('key_id', '')),
  );
}
