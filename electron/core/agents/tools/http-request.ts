import { z } from 'zod';
import { checkedFetch, CheckedFetchError, type CheckedFetchOptions } from '../../net/checked-fetch';
import { requestHeaderProblem } from '../../net/request-headers';
import { containsSecretForm, type SecretForm } from '../../credentials/secret-scan';
import { SecretBytes, type SecretBytesObserver } from '../../crypto/secret-bytes';
import type { StoredCredential } from '../../vault/vault-content';
import { parseAllowedHosts, urlHostAllowed } from '../../net/allowed-hosts';
import { HTTP_METHODS } from '../../../../shared/builtin-tools';
import { cleanText } from './text';
import { structuredResult, textResult, type ToolResult } from './types';

// http_request: an API call made by the core with a credential's auth injected.
// The credential is sent only to its allowed hosts (see core/net/allowed-hosts.ts); any
// other host is refused outright, because the agent chose this credential for
// this call. Every redirect is checked again by the checked fetch.

// The tool's name, schema and description are in shared/builtin-tools.ts, with the other built-ins.
export {
  HTTP_METHODS,
  HTTP_REQUEST_DESCRIPTION,
  HTTP_REQUEST_SCHEMA,
} from '../../../../shared/builtin-tools';
export const HTTP_CREDENTIAL_TYPES = ['api_key', 'basic_auth'] as const;

export interface HttpRequestOptions {
  timeoutMs: number;
  /** Larger responses are refused. */
  maxResponseBytes: number;
  /** Longer bodies are cut to this many characters in the result. */
  maxBodyChars: number;
  maxRedirects: number;
  /** For tests: DNS resolution (checked-fetch's default otherwise). */
  resolve?: CheckedFetchOptions['resolve'];
  /** For tests: told of each Buffer that held a credential's secret bytes for a call. */
  observeSecretBytes?: SecretBytesObserver;
}

export const HTTP_DEFAULTS: HttpRequestOptions = {
  timeoutMs: 30_000,
  maxResponseBytes: 1024 * 1024,
  maxBodyChars: 100 * 1024,
  maxRedirects: 5,
};

const REQUEST_BODY_MAX = 1024 * 1024;

export const httpRequestArgs = z
  .object({
    credential: z.string().min(1).max(200),
    method: z.enum(HTTP_METHODS),
    url: z.string().min(1).max(8192),
    headers: z.record(z.string().max(200), z.string().max(8192)).optional(),
    query: z.record(z.string().max(200), z.union([z.string(), z.number(), z.boolean()])).optional(),
    body: z.string().max(REQUEST_BODY_MAX).optional(),
  })
  .strict();
export type HttpRequestArgs = z.infer<typeof httpRequestArgs>;

// Response headers worth showing an agent; the rest (cookies among them) are dropped.
const SHOWN_HEADERS = new Set([
  'content-type',
  'content-length',
  'content-language',
  'location',
  'retry-after',
  'etag',
  'last-modified',
  'link',
  'www-authenticate',
]);

/**
 * The header that carries the credential, and its value. Node's HTTP client
 * takes header values only as strings, so the value is one (README, "What is
 * not defended"); the `user:password` bytes basic auth encodes are wiped as
 * soon as the header exists.
 */
function authHeader(
  credential: StoredCredential,
  observe?: SecretBytesObserver,
): { name: string; value: string } | string {
  const f = credential.fields;
  if (credential.type === 'api_key') {
    if (typeof f.key !== 'string' || !f.key) return `Credential "${credential.name}" has no key`;
    const name =
      typeof f.header_name === 'string' && f.header_name ? f.header_name : 'Authorization';
    const prefix = typeof f.header_prefix === 'string' ? f.header_prefix : '';
    return { name: name.toLowerCase(), value: `${prefix}${f.key}` };
  }
  const user = typeof f.username === 'string' ? f.username : '';
  const password = typeof f.password === 'string' ? f.password : '';
  const encoded = SecretBytes.joinUtf8([user, ':', password], observe).useOnce((bytes) =>
    bytes.toString('base64'),
  );
  return { name: 'authorization', value: `Basic ${encoded}` };
}

/**
 * Runs one http_request for a credential already looked up and checked to be
 * an api_key or basic_auth. `secretForms` are every spelling of every stored secret:
 * a response containing any of them is withheld.
 */
export async function runHttpRequest(
  args: HttpRequestArgs,
  credential: Readonly<StoredCredential>,
  secretForms: readonly SecretForm[],
  options: HttpRequestOptions,
): Promise<ToolResult> {
  const hosts = parseAllowedHosts(credential.fields.allowed_hosts);
  if (hosts.hosts.length === 0)
    return textResult(
      `Credential "${credential.name}" has no allowed hosts, so it is not sent anywhere. Add the API's host to it in Custodian.`,
      true,
    );
  let url: URL;
  try {
    url = new URL(args.url);
  } catch {
    return textResult('http_request refused: the url is not an absolute URL', true);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return textResult(`http_request refused: only https URLs are allowed`, true);
  if (url.username || url.password)
    return textResult('http_request refused: URLs with a user name or password are refused', true);
  if (!urlHostAllowed(hosts.hosts, url)) {
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return textResult(
      `http_request refused: ${url.hostname}:${port} is not an allowed host of credential "${credential.name}"; it is only sent to its allowed hosts.`,
      true,
    );
  }
  if (url.protocol === 'http:') {
    const port = url.port || '80';
    const exact = `${url.hostname.toLowerCase().replace(/\.$/, '')}:${port}`;
    if (!hosts.allowPrivate.includes(exact))
      return textResult(
        `http_request refused: plain http is refused for ${exact}; use https. Credential "${credential.name}" allows http only to hosts listed as "http://host:port" in its allowed hosts.`,
        true,
      );
  }
  for (const [name, value] of Object.entries(args.query ?? {}))
    url.searchParams.append(name, String(value));
  url.hash = '';

  const auth = authHeader(credential, options.observeSecretBytes);
  if (typeof auth === 'string') return textResult(auth, true);
  // Checked here too, only to say which credential to fix (a vault saved
  // before fields were checked on save may hold such a key).
  const authProblem = requestHeaderProblem(auth.name, auth.value, new Set([auth.name]));
  if (authProblem)
    return textResult(
      `http_request refused: credential "${credential.name}" cannot be sent: ${authProblem}. Edit it in Custodian.`,
      true,
    );
  // No prototype: a header named __proto__ is a header, not the object's prototype.
  const headers: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(args.headers ?? {})) {
    const lower = name.toLowerCase();
    if (lower === auth.name)
      return textResult(
        `http_request refused: the "${cleanText(name, 100)}" header is set by Custodian from credential "${credential.name}"; leave it out`,
        true,
      );
    headers[lower] = value;
  }
  headers[auth.name] = auth.value;

  let response;
  try {
    response = await checkedFetch(
      {
        method: args.method,
        url: url.href,
        headers,
        body: args.body !== undefined ? Buffer.from(args.body, 'utf8') : undefined,
      },
      {
        hosts: hosts.hosts,
        allowPrivate: hosts.allowPrivate,
        timeoutMs: options.timeoutMs,
        maxResponseBytes: options.maxResponseBytes,
        maxRedirects: options.maxRedirects,
        sensitiveHeaders: [auth.name],
      },
      options.resolve ? { resolve: options.resolve } : {},
    );
  } catch (error) {
    if (error instanceof CheckedFetchError) {
      const refused = error.code.startsWith('forbidden') || error.code === 'invalid-request';
      const message =
        error.code === 'forbidden-host'
          ? `${error.message}. Credential "${credential.name}" is only sent to its allowed hosts.`
          : error.message;
      return textResult(`http_request ${refused ? 'refused' : 'failed'}: ${message}`, true);
    }
    return textResult('http_request failed: the request could not be made', true);
  }

  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers))
    if (SHOWN_HEADERS.has(name) || name.startsWith('x-ratelimit-')) shown[name] = value;
  const body = Buffer.from(response.body).toString('utf8');
  const scanned = `${JSON.stringify(shown)}\n${response.url}\n${body}`;
  if (containsSecretForm(scanned, secretForms))
    return textResult(
      `The response (HTTP ${response.status}) contained a stored secret, so Custodian withheld it.`,
      true,
    );
  const points = [...body];
  const truncated = points.length > options.maxBodyChars;
  return structuredResult({
    status: response.status,
    url: response.url,
    headers: shown,
    body: truncated ? points.slice(0, options.maxBodyChars).join('') : body,
    ...(truncated ? { truncated: true, body_chars: points.length } : {}),
  });
}
