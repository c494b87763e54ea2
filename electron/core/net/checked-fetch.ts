import { lookup as dnsLookup } from 'node:dns';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenAddressRule } from './address-rules';
import { hostGranted, hostKey, parseGrant } from './host-grants';
import { requestHeaderProblem } from './request-headers';

// An HTTP client for requests that someone else (a plugin, an agent) asks for.
// It reaches only the hosts a policy grants, over HTTPS, and never an address
// that is not public unless the operator allowed that exact host:port. Every
// redirect is checked again as if it were a new request, the address that was
// checked is the one connected to (a DNS answer cannot change in between),
// and time and size are capped.

export interface CheckedFetchPolicy {
  /**
   * Granted hosts: "api.example.com" or "*.example.com" (any subdomain, not the
   * domain itself), optionally with ":port". Without a port only the scheme's
   * default port (443, or 80 for http) matches.
   */
  hosts: readonly string[];
  /**
   * Exact "host:port" pairs the operator (never a plugin) allowed to resolve to
   * loopback or private addresses; plain http is allowed for these too.
   */
  allowPrivate: readonly string[];
  timeoutMs: number;
  maxResponseBytes: number;
  maxRedirects: number;
  /** Allow plain http to every granted host, not only to allowPrivate ones. */
  allowHttp?: boolean;
  /** Extra request headers dropped when a redirect leaves the origin (authorization and cookie always are). */
  sensitiveHeaders?: readonly string[];
  /**
   * The body carries a secret: a 307 or 308 that would resend it to another
   * origin is refused instead of followed (a header can be dropped on the way;
   * a body cannot without changing the request).
   */
  sensitiveBody?: boolean;
}

export interface CheckedRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

export interface CheckedResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The URL that answered, after redirects. */
  url: string;
  redirects: number;
}

export type CheckedFetchErrorCode =
  | 'invalid-request'
  | 'forbidden-scheme'
  | 'forbidden-host'
  | 'forbidden-address'
  | 'dns'
  | 'too-many-redirects'
  | 'too-large'
  | 'timeout'
  | 'aborted'
  | 'network';

export class CheckedFetchError extends Error {
  constructor(
    readonly code: CheckedFetchErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CheckedFetchError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface CheckedFetchOptions {
  signal?: AbortSignal;
  /** Resolves a host name to every address it has (default: node:dns lookup, all: true). */
  resolve?: (host: string) => Promise<ResolvedAddress[]>;
  /** Told the bytes received so far of the final answer's body, and its declared length if any. */
  onProgress?: (received: number, declared: number | null) => void;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const ALWAYS_SENSITIVE = ['authorization', 'cookie', 'proxy-authorization'];
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const defaultResolve = (host: string): Promise<ResolvedAddress[]> =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    ),
  );

function privateAllowed(policy: CheckedFetchPolicy, host: string, port: number): boolean {
  return policy.allowPrivate.some((entry) => {
    const grant = parseGrant(entry);
    return grant.port === port && grant.host === host;
  });
}

interface Hop {
  url: URL;
  address: ResolvedAddress;
}

/** Checks one URL against the policy and resolves the address to connect to. */
async function checkHop(
  policy: CheckedFetchPolicy,
  url: URL,
  resolve: (host: string) => Promise<ResolvedAddress[]>,
  deadline: number,
): Promise<Hop> {
  const { host, port } = hostKey(url);
  const label = `${host}:${port}`;
  if (url.username || url.password)
    throw new CheckedFetchError(
      'invalid-request',
      `${url.protocol}//${host}: URLs with credentials are refused`,
    );
  const privateOk = privateAllowed(policy, host, port);
  if (url.protocol !== 'https:') {
    if (url.protocol !== 'http:')
      throw new CheckedFetchError(
        'forbidden-scheme',
        `${label}: only https is allowed (got ${url.protocol})`,
      );
    if (!privateOk && !policy.allowHttp)
      throw new CheckedFetchError(
        'forbidden-scheme',
        `${label}: plain http is refused; use https (http is allowed only for host:port pairs the operator allowed)`,
      );
  }
  if (!hostGranted(policy.hosts, host, port, url.protocol))
    throw new CheckedFetchError(
      'forbidden-host',
      `${label} is not a granted host (granted: ${policy.hosts.join(', ') || 'none'})`,
    );

  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  let addresses: ResolvedAddress[];
  if (isIP(literal)) addresses = [{ address: literal, family: isIP(literal) }];
  else {
    try {
      addresses = await beforeDeadline(
        resolve(host),
        deadline,
        `${host}: DNS lookup took too long`,
      );
    } catch (error) {
      if (error instanceof CheckedFetchError) throw error;
      const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
      throw new CheckedFetchError('dns', `${host}: DNS lookup failed (${code})`);
    }
    if (addresses.length === 0) throw new CheckedFetchError('dns', `${host}: DNS gave no address`);
  }
  if (!privateOk) {
    for (const { address } of addresses) {
      const rule = forbiddenAddressRule(address);
      if (rule)
        throw new CheckedFetchError(
          'forbidden-address',
          `${label} resolves to ${address}, a ${rule} address; only host:port pairs the operator allowed may reach non-public addresses`,
        );
    }
  }
  const first = addresses[0];
  if (!first) throw new CheckedFetchError('dns', `${host}: DNS gave no address`);
  return { url, address: first };
}

function beforeDeadline<T>(promise: Promise<T>, deadline: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new CheckedFetchError('timeout', message)),
      Math.max(0, deadline - Date.now()),
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

function validateRequest(
  request: CheckedRequest,
  sensitive: ReadonlySet<string>,
): {
  method: string;
  url: URL;
  headers: Record<string, string>;
} {
  const method = (request.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method))
    throw new CheckedFetchError('invalid-request', `method ${method.slice(0, 20)} is not allowed`);
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    throw new CheckedFetchError('invalid-request', 'the URL does not parse');
  }
  // No prototype: a header named __proto__ is a header, not the object's prototype.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    const problem = requestHeaderProblem(name, value, sensitive);
    if (problem) throw new CheckedFetchError('invalid-request', problem);
    headers[name.toLowerCase()] = value;
  }
  return { method, url, headers };
}

interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Uint8Array;
}

function send(
  hop: Hop,
  method: string,
  headers: Record<string, string>,
  body: Uint8Array | undefined,
  limits: {
    deadline: number;
    maxBytes: number;
    signal?: AbortSignal;
    onProgress?: CheckedFetchOptions['onProgress'];
  },
): Promise<RawResponse> {
  const { url, address } = hop;
  const label = hostKey(url);
  // The connection goes to the address that was checked, whatever DNS says now.
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: ResolvedAddress[]) => void)(null, [address]);
    else callback(null, address.address, address.family);
  };
  const requestFn = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<RawResponse>((resolve, reject) => {
    // The request is built before any timer or listener exists: http.request
    // throws synchronously on what it cannot send, and a deadline armed before
    // that would fire later at a request that never was (issue 14: that
    // uncaught ReferenceError ended the whole core).
    let req: ClientRequest;
    try {
      req = requestFn({
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: label.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { ...headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
        lookup: pinned,
        agent: false,
        // A plugin gets what the server sent: no decompression, no cookies, no proxy.
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'the request could not be built';
      return reject(
        new CheckedFetchError('invalid-request', `${label.host}:${label.port}: ${code}`),
      );
    }
    let settled = false;
    const fail = (error: CheckedFetchError) => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new CheckedFetchError(
            'timeout',
            `${label.host}:${label.port}: no complete answer in time`,
          ),
        ),
      Math.max(0, limits.deadline - Date.now()),
    );
    const onAbort = () =>
      fail(new CheckedFetchError('aborted', `${label.host}:${label.port}: request cancelled`));
    const cleanup = () => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
    };
    if (limits.signal?.aborted) return onAbort();
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        new CheckedFetchError(
          'network',
          `${label.host}:${label.port}: ${error.code ?? 'connection failed'}${error.code ? '' : ` (${error.message})`}`,
        ),
      ),
    );
    req.on('response', (res) => {
      const declared = method === 'HEAD' ? NaN : Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes)
        return fail(
          new CheckedFetchError(
            'too-large',
            `${label.host}:${label.port}: the response is ${declared} bytes, more than the ${limits.maxBytes} allowed`,
          ),
        );
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > limits.maxBytes)
          return fail(
            new CheckedFetchError(
              'too-large',
              `${label.host}:${label.port}: the response is larger than the ${limits.maxBytes} bytes allowed`,
            ),
          );
        chunks.push(chunk);
        limits.onProgress?.(size, Number.isFinite(declared) ? declared : null);
      });
      res.on('error', () =>
        fail(
          new CheckedFetchError('network', `${label.host}:${label.port}: the response broke off`),
        ),
      );
      res.on('end', () => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
  });
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'set-cookie') continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * One request under a policy, following redirects by hand. Throws a
 * CheckedFetchError whose message names the host and the rule that refused it;
 * messages never contain request headers or bodies.
 */
export async function checkedFetch(
  request: CheckedRequest,
  policy: CheckedFetchPolicy,
  options: CheckedFetchOptions = {},
): Promise<CheckedResponse> {
  const resolve = options.resolve ?? defaultResolve;
  const deadline = Date.now() + policy.timeoutMs;
  const sensitive = new Set([
    ...ALWAYS_SENSITIVE,
    ...(policy.sensitiveHeaders ?? []).map((h) => h.toLowerCase()),
  ]);
  let { method, url, headers } = validateRequest(request, sensitive);
  let body = request.body;

  for (let redirects = 0; ; redirects++) {
    if (options.signal?.aborted) throw new CheckedFetchError('aborted', 'request cancelled');
    const hop = await checkHop(policy, url, resolve, deadline);
    if (Date.now() >= deadline)
      throw new CheckedFetchError('timeout', `${url.hostname}: no complete answer in time`);
    const response = await send(hop, method, headers, body, {
      deadline,
      maxBytes: policy.maxResponseBytes,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const location = response.headers.location;
    if (!REDIRECTS.has(response.status) || !location)
      return {
        status: response.status,
        headers: flattenHeaders(response.headers),
        body: response.body,
        url: url.href,
        redirects,
      };
    if (redirects >= policy.maxRedirects)
      throw new CheckedFetchError(
        'too-many-redirects',
        `${url.hostname}: more than ${policy.maxRedirects} redirects`,
      );
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new CheckedFetchError(
        'invalid-request',
        `${url.hostname}: the redirect location does not parse`,
      );
    }
    if (next.origin !== url.origin)
      headers = Object.fromEntries(
        Object.entries(headers).filter(([name]) => !sensitive.has(name)),
      );
    if (
      response.status === 303 ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    ) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    // 307, 308, and 301/302 for anything but POST resend the body as it was.
    if (body && policy.sensitiveBody && next.origin !== url.origin)
      throw new CheckedFetchError(
        'forbidden-host',
        `${url.hostname}: the redirect to ${next.host} would resend a request body that holds a secret to another origin; it was not followed`,
      );
    url = next;
  }
}
