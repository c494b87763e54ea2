import type { HttpGrant } from '../../../shared/plugin-host-protocol';
import {
  checkedFetch,
  CheckedFetchError,
  type CheckedFetchPolicy,
} from '../../core/net/checked-fetch';
import { CallSecrets } from './handles';
import { decodeBase64, HostFunctionError } from './json';

// custodian_http: one HTTP request through the checked fetch, under the hosts
// the person granted. Time is what is left of the call; sizes are capped so the
// answer fits the plugin's memory.

export const HTTP_REQUEST_BODY_CAP = 1_048_576;
export const HTTP_RESPONSE_CAP = 4 * 1_048_576;
export const HTTP_MAX_REDIRECTS = 5;

export interface HttpCallContext {
  grant: HttpGrant;
  /** Milliseconds the call has left. */
  remainingMs: () => number;
  memoryBytes: number;
  signal: AbortSignal;
  /** The call's handles: {{secret:FIELD}} in header values and the body is filled from them. */
  secrets?: CallSecrets;
}

export async function runHttp(
  request: Record<string, unknown>,
  context: HttpCallContext,
): Promise<Record<string, unknown>> {
  const { method = 'GET', url, headers, body } = request;
  if (typeof url !== 'string') throw new HostFunctionError('"url" must be a string');
  if (typeof method !== 'string') throw new HostFunctionError('"method" must be a string');
  if (
    headers !== undefined &&
    (typeof headers !== 'object' || headers === null || Array.isArray(headers))
  )
    throw new HostFunctionError('"headers" must be an object of strings');
  for (const value of Object.values((headers as Record<string, unknown> | undefined) ?? {}))
    if (typeof value !== 'string')
      throw new HostFunctionError('"headers" must be an object of strings');
  const secrets = context.secrets ?? CallSecrets.none;
  // A credential that names its hosts reaches no other host during its call,
  // templated or not: a request may carry what the plugin made with the
  // secrets (a SigV4 or HMAC signature) as well as the secrets themselves.
  secrets.checkDestination(url);
  // Secrets go in as the request leaves, only where the plugin wrote
  // {{secret:FIELD}} (header values, the body), never into the URL.
  const filledHeaders = headers
    ? Object.fromEntries(
        Object.entries(headers as Record<string, string>).map(([name, value]) => [
          name,
          secrets.fill(value, `header "${name.slice(0, 64)}"`),
        ]),
      )
    : undefined;
  const raw = body === undefined || body === null ? undefined : decodeBase64(body, 'body');
  const bytes =
    raw && raw.includes('{{secret:')
      ? Buffer.from(secrets.fill(raw.toString('utf8'), 'body'), 'utf8')
      : raw;
  if (bytes && bytes.length > HTTP_REQUEST_BODY_CAP)
    throw new HostFunctionError(`the request body is larger than ${HTTP_REQUEST_BODY_CAP} bytes`);
  const remaining = context.remainingMs();
  if (remaining <= 0) throw new HostFunctionError('the call has no time left for a request');

  const policy: CheckedFetchPolicy = {
    hosts: context.grant.hosts,
    allowPrivate: context.grant.allowPrivate,
    timeoutMs: remaining,
    maxResponseBytes: Math.min(HTTP_RESPONSE_CAP, Math.floor(context.memoryBytes / 4)),
    maxRedirects: HTTP_MAX_REDIRECTS,
    // A header that carries a secret never follows a redirect to another origin.
    sensitiveHeaders: Object.entries((headers as Record<string, string> | undefined) ?? {})
      .filter(([, value]) => value.includes('{{secret:'))
      .map(([name]) => name.toLowerCase()),
    sensitiveBody: bytes !== raw,
  };
  try {
    const response = await checkedFetch(
      { method, url, headers: filledHeaders, body: bytes },
      policy,
      { signal: context.signal },
    );
    // A host that echoes what it was sent would hand the plugin the secret it holds only by handle.
    if (
      secrets.leaks(Buffer.from(response.body).toString('utf8')) ||
      secrets.leaks(JSON.stringify(response.headers))
    )
      throw new HostFunctionError(
        "the response contained a secret of this call's credential and was withheld",
      );
    return {
      status: response.status,
      headers: response.headers,
      body: Buffer.from(response.body).toString('base64'),
    };
  } catch (error) {
    if (error instanceof CheckedFetchError) throw new HostFunctionError(error.message);
    throw error;
  }
}
