// The parts of an http(s) URL SigV4 signs: host (as botocore's
// _host_from_url writes it), path and query. Refuses what a request must not
// carry (user info, a scheme other than http and https).

export class ParsedUrl {
  scheme: string = '';
  /** Lower case, IPv6 in brackets. */
  hostname: string = '';
  /** -1 when the URL names none. */
  port: i32 = -1;
  /** As written, "" when absent. */
  path: string = '';
  /** As written, without "?", "" when absent. */
  query: string = '';

  /** The Host header: the port only when it is not the scheme's default. */
  hostHeader(): string {
    const defaultPort = this.scheme == 'https' ? 443 : 80;
    if (this.port < 0 || this.port == defaultPort) return this.hostname;
    return this.hostname + ':' + this.port.toString();
  }

  /** The URL to send: what was given, less any fragment. */
  toString(): string {
    let text = this.scheme + '://' + this.hostname;
    if (this.port >= 0) text += ':' + this.port.toString();
    text += this.path.length > 0 ? this.path : '/';
    if (this.query.length > 0) text += '?' + this.query;
    return text;
  }
}

/** Why the last parseUrl returned null. */
export let urlError: string = '';

function fail(message: string): ParsedUrl | null {
  urlError = message;
  return null;
}

export function parseUrl(text: string): ParsedUrl | null {
  const url = new ParsedUrl();
  const lower = text.toLowerCase();
  let rest: string;
  if (lower.startsWith('https://')) {
    url.scheme = 'https';
    rest = text.slice(8);
  } else if (lower.startsWith('http://')) {
    url.scheme = 'http';
    rest = text.slice(7);
  } else
    return fail('must start with https:// (or http:// for a host allowed as http://HOST:PORT)');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f)
      return fail('must be URL-encoded: it holds a space, a control or a non-ASCII character');
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  let end = rest.length;
  const slash = rest.indexOf('/');
  const question = rest.indexOf('?');
  if (slash >= 0) end = slash;
  if (question >= 0 && question < end) end = question;
  const authority = rest.slice(0, end);
  const tail = rest.slice(end);
  if (authority.indexOf('@') >= 0) return fail('must not hold a user name or password');
  let host = authority;
  let portText = '';
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) return fail('has an IPv6 address without its "]"');
    host = authority.slice(0, close + 1);
    const after = authority.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) return fail('has something after its IPv6 address');
      portText = after.slice(1);
    }
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  if (host.length == 0) return fail('has no host');
  url.hostname = host.toLowerCase();
  if (portText.length > 0) {
    if (portText.length > 5) return fail('has an invalid port');
    for (let i = 0; i < portText.length; i++) {
      const c = portText.charCodeAt(i);
      if (c < 0x30 || c > 0x39) return fail('has an invalid port');
    }
    const port = I32.parseInt(portText);
    if (port > 65535) return fail('has an invalid port');
    url.port = port;
  }
  const q = tail.indexOf('?');
  url.path = q >= 0 ? tail.slice(0, q) : tail;
  url.query = q >= 0 ? tail.slice(q + 1) : '';
  return url;
}
