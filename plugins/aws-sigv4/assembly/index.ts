// aws-sigv4: AWS Signature Version 4 for a stored access key, the way
// botocore's SigV4Auth signs (same canonical request, signed headers and
// signature). The secret access key and the session token reach the plugin
// only as handles: the host derives the key chain (kDate = HMAC("AWS4" +
// secret, date), kRegion, kService, kSigning) as handles valid for this call,
// hashes the canonical request with the session token filled in, and fills
// X-Amz-Security-Token as aws_request's request leaves. Only the signature
// itself is ever bytes in here.
//
// Nothing an agent passes may hold "{{secret:": it would have the host fill a
// secret into what the agent chose (a body sent to a bucket it owns, say).

import {
  Crypto,
  Hash,
  Hex,
  Http,
  Json,
  JsonValue,
  Request,
  Response,
  Secret,
  SecretKey,
  utf8,
} from '../../sdk/assembly';
import { SignedHeaders, canonicalPath, canonicalQuery } from './canonical';
import { amzDate, amzDateOf } from './time';
import { ParsedUrl, parseUrl, urlError } from './url';

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TEMPLATE_MARK = '{{secret:';
/** botocore's SIGNED_HEADERS_BLACKLIST. */
const UNSIGNED = ['expect', 'user-agent', 'x-amzn-trace-id'];
/** Set by the signing itself; an agent's own would be replaced or would contradict it. */
const RESERVED = ['authorization', 'x-amz-date', 'x-amz-security-token', 'date', 'host'];
const BODY_MAX = 1048576;
/** http_request's limit on the body shown to an agent. */
const SHOWN_BODY_MAX = 102400;
const SHOWN_HEADERS = [
  'content-type',
  'content-length',
  'content-language',
  'location',
  'retry-after',
  'etag',
  'last-modified',
  'link',
  'www-authenticate',
  'x-amzn-requestid',
  'x-amz-request-id',
  'x-amz-id-2',
];

export function execute(): i32 {
  const request = Request.read();
  if (request == null) return Response.invalidRequest();
  if (request.action == 'sign') return sign(request);
  if (request.action == 'request') return send(request);
  return Response.invalidAction(request.action);
}

/** A request ready to go: its URL, the headers to send (signature included), its body. */
class Signed {
  url: ParsedUrl = new ParsedUrl();
  /** What the caller passed plus Authorization, X-Amz-Date (and the token's template). */
  headers: JsonValue = Json.object();
  /** Only what signing added, for aws_sign. */
  added: JsonValue = Json.object();
  body: string = '';
  hasBody: bool = false;
  hasToken: bool = false;
}

let problem = '';
let problemCode: i32 = -3;

function refuse(message: string): Signed | null {
  problem = message;
  problemCode = -3;
  return null;
}

function failed(message: string): Signed | null {
  problem = message;
  problemCode = -1;
  return null;
}

function validName(text: string, what: string): string {
  if (text.length == 0 || text.length > 64) return what + ' must be 1 to 64 characters';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c == 0x2d))
      return what + ' may hold only lower-case letters, digits and "-"';
  }
  return '';
}

function isToken(name: string): bool {
  if (name.length == 0 || name.length > 200) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok =
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      (c >= 0x30 && c <= 0x39) ||
      "!#$%&'*+-.^_`|~".indexOf(String.fromCharCode(c)) >= 0;
    if (!ok) return false;
  }
  return true;
}

function hasBadHeaderCharacter(value: string): bool {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c == 0x0d || c == 0x0a || c == 0 || c == 0x7f) return true;
  }
  return false;
}

function hex(bytes: Uint8Array): string {
  return Hex.encode(bytes);
}

function build(request: Request): Signed | null {
  const signed = new Signed();
  const accessKey = request.fieldOr('access_key_id', '').trim();
  if (accessKey.length == 0) return failed('The credential has no access key ID');
  const secret = request.secret('secret_access_key');
  if (secret == null) return failed('The credential has no secret access key');
  const token = request.field('session_token');
  signed.hasToken = token != null && token.length > 0;

  const method = request.stringParam('method').toUpperCase();
  if (!isToken(method) || method.length > 20) return refuse('"method" is not an HTTP method');
  const urlText = request.stringParam('url');
  if (urlText.indexOf(TEMPLATE_MARK) >= 0) return refuse('"url" must not hold "{{secret:"');
  const url = parseUrl(urlText);
  if (url == null) return refuse('"url" ' + urlError);
  signed.url = url;
  const service = request.stringParam('service');
  const serviceProblem = validName(service, '"service"');
  if (serviceProblem.length > 0) return refuse(serviceProblem);
  let region = request.stringParam('region');
  if (region.length == 0) region = request.fieldOr('region', 'us-east-1');
  if (region.length == 0) region = 'us-east-1';
  const regionProblem = validName(region, '"region"');
  if (regionProblem.length > 0) return refuse(regionProblem);

  let stamp: string;
  if (request.hasParam('time') && request.stringParam('time').length > 0) {
    stamp = amzDateOf(request.stringParam('time'));
    if (stamp.length == 0)
      return refuse('"time" must be ISO 8601 in UTC, such as 2015-08-30T12:36:00Z');
  } else {
    if (request.now() <= 0) return failed('The host gave no time');
    stamp = amzDate(request.now());
  }
  const date = stamp.slice(0, 8);

  signed.hasBody = request.hasParam('body');
  signed.body = request.stringParam('body');
  if (signed.body.indexOf(TEMPLATE_MARK) >= 0) return refuse('"body" must not hold "{{secret:"');
  const bodyBytes = utf8(signed.body);
  if (bodyBytes.length > BODY_MAX) return refuse('"body" is larger than 1 MiB');

  // The headers, as given, then what signing adds (botocore's
  // _modify_request_before_signing): X-Amz-Date, the session token.
  // S3 signs as botocore's S3SigV4Auth: the path as written, and the body's
  // hash sent and signed as X-Amz-Content-SHA256 (replacing any given).
  const s3 = service == 's3';
  const toSign = new SignedHeaders();
  let payloadHash = '';
  const given = request.param('headers');
  if (given != null && given.isObject()) {
    const names = given.keys();
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const member = given.get(name);
      if (member == null || !member.isString())
        return refuse('"headers" must map names to text; "' + name + '" does not');
      const value = member.asString();
      const lower = name.toLowerCase();
      if (!isToken(name)) return refuse('"headers": "' + name + '" is not a header name');
      if (hasBadHeaderCharacter(value))
        return refuse('"headers": "' + name + '" holds a line break or control character');
      if (name.indexOf(TEMPLATE_MARK) >= 0 || value.indexOf(TEMPLATE_MARK) >= 0)
        return refuse('"headers" must not hold "{{secret:"');
      if (RESERVED.indexOf(lower) >= 0)
        return refuse('"headers": leave out ' + name + ': it is set by signing (or from the url)');
      if (s3 && lower == 'x-amz-content-sha256') continue;
      signed.headers.setString(name, value);
      if (lower == 'x-amz-content-sha256') payloadHash = value;
      if (UNSIGNED.indexOf(lower) < 0) toSign.add(lower, value);
    }
  }
  toSign.add('host', url.hostHeader());
  toSign.add('x-amz-date', stamp);
  signed.headers.setString('X-Amz-Date', stamp);
  signed.added.setString('X-Amz-Date', stamp);
  if (signed.hasToken) {
    toSign.add('x-amz-security-token', Secret.template('session_token'));
    signed.headers.setString('X-Amz-Security-Token', Secret.template('session_token'));
  }

  if (payloadHash.length == 0) {
    const digest = Crypto.digest(Hash.SHA256, bodyBytes);
    if (!digest.ok) return failed('Hashing the body failed: ' + digest.error);
    payloadHash = hex(digest.bytes);
  }
  if (s3) {
    toSign.add('x-amz-content-sha256', payloadHash);
    signed.headers.setString('X-Amz-Content-SHA256', payloadHash);
    signed.added.setString('X-Amz-Content-SHA256', payloadHash);
  }
  const path = s3 ? (url.path.length > 0 ? url.path : '/') : canonicalPath(url.path);
  const canonical =
    method +
    '\n' +
    path +
    '\n' +
    canonicalQuery(url.query) +
    '\n' +
    toSign.canonical() +
    '\n\n' +
    toSign.list() +
    '\n' +
    payloadHash;
  // With a session token the canonical request holds its template, which the
  // host fills in before hashing: the token is signed, never seen.
  const hashed = signed.hasToken
    ? Crypto.digestFilled(Hash.SHA256, canonical)
    : Crypto.digest(Hash.SHA256, utf8(canonical));
  if (!hashed.ok) return failed('Hashing the canonical request failed: ' + hashed.error);
  const scope = date + '/' + region + '/' + service + '/aws4_request';
  const stringToSign = ALGORITHM + '\n' + stamp + '\n' + scope + '\n' + hex(hashed.bytes);

  const signature = signatureOf(secret, date, region, service, stringToSign);
  if (signature.length == 0) return failed(problem);
  const authorization =
    ALGORITHM +
    ' Credential=' +
    accessKey +
    '/' +
    scope +
    ', SignedHeaders=' +
    toSign.list() +
    ', Signature=' +
    signature;
  signed.headers.setString('Authorization', authorization);
  signed.added.setString('Authorization', authorization);
  return signed;
}

/** The key chain in the host, each step a handle; only the last MAC comes back as bytes. */
function signatureOf(
  secret: SecretKey,
  date: string,
  region: string,
  service: string,
  stringToSign: string,
): string {
  const kDate = Crypto.hmacToKey(Hash.SHA256, secret, utf8(date), 'AWS4');
  if (!kDate.ok) return chainFailed(kDate.error);
  const kRegion = Crypto.hmacToKey(Hash.SHA256, kDate.key, utf8(region));
  if (!kRegion.ok) return chainFailed(kRegion.error);
  const kService = Crypto.hmacToKey(Hash.SHA256, kRegion.key, utf8(service));
  if (!kService.ok) return chainFailed(kService.error);
  const kSigning = Crypto.hmacToKey(Hash.SHA256, kService.key, utf8('aws4_request'));
  if (!kSigning.ok) return chainFailed(kSigning.error);
  const mac = Crypto.hmacWith(Hash.SHA256, kSigning.key, utf8(stringToSign));
  if (!mac.ok) return chainFailed(mac.error);
  return hex(mac.bytes);
}

function chainFailed(error: string): string {
  problem = 'Signing failed: ' + error;
  return '';
}

function sign(request: Request): i32 {
  const signed = build(request);
  if (signed == null) return Response.error(problem, problemCode);
  const data = Json.object().set('headers', signed.added);
  if (signed.hasToken) {
    data.set('withheld', Json.strings(['X-Amz-Security-Token']));
    data.setString(
      'note',
      'The signature covers X-Amz-Security-Token (the session token), which Custodian does not reveal: send this request with aws_request instead.',
    );
  }
  return Response.ok(data);
}

function send(request: Request): i32 {
  const signed = build(request);
  if (signed == null) return Response.error(problem, problemCode);
  const body = signed.hasBody ? utf8(signed.body) : null;
  const method = request.stringParam('method').toUpperCase();
  const answer = Http.request(method, signed.url.toString(), signed.headers, body);
  if (!answer.ok) return Response.error('aws_request failed: ' + answer.error);
  const shown = Json.object();
  const names = answer.headers.keys();
  for (let i = 0; i < names.length; i++) {
    const lower = names[i].toLowerCase();
    const value = answer.headers.get(names[i]);
    if (value != null && (SHOWN_HEADERS.indexOf(lower) >= 0 || lower.startsWith('x-amz-')))
      shown.set(lower, value);
  }
  let text = answer.text();
  const data = Json.object()
    .setInteger('status', answer.status)
    .setString('url', signed.url.toString())
    .set('headers', shown);
  if (text.length > SHOWN_BODY_MAX) {
    data.setInteger('body_chars', text.length);
    data.setBool('truncated', true);
    text = text.slice(0, SHOWN_BODY_MAX);
  }
  data.setString('body', text);
  return Response.ok(data);
}
