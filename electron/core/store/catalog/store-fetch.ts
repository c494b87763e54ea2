import { CATALOG_MAX_BYTES } from '../../../../shared/catalog';
import { checkedFetch, type CheckedFetchOptions } from '../../net/checked-fetch';
import type { StoreFetch } from './catalog-store';

// How the store fetches catalogs: through the same checked fetch plugins and
// agents use, so a catalog URL (or a redirect) can never reach a loopback or
// private address, and size and time are capped. The signature is what makes
// a catalog trustworthy; these rules stop the URL itself being used to probe
// the person's network.

const STORE_FETCH_TIMEOUT_MS = 30_000;
const MAX_REDIRECTS = 3;

export interface StoreFetchOptions {
  /**
   * Exact "host:port" pairs that may be loopback or private and plain http
   * (tests: the 127.0.0.1 server they start). Empty in the app.
   */
  allowPrivate?: readonly string[];
  maxResponseBytes?: number;
  timeoutMs?: number;
  /** Passed to checkedFetch (a test resolver, a cancel signal). */
  fetchOptions?: CheckedFetchOptions;
}

export function createStoreFetch(options: StoreFetchOptions = {}): StoreFetch {
  return async (url, call = {}) => {
    // The person granted this catalog's host by adding its URL; only that host
    // is granted, so for now a redirect to another host is refused (TODO:
    // release hosts that redirect to a CDN need a per-hop grant).
    const host = new URL(url).host;
    const response = await checkedFetch(
      { url, headers: { accept: 'application/json' } },
      {
        hosts: [host],
        allowPrivate: options.allowPrivate ?? [],
        timeoutMs: call.timeoutMs ?? options.timeoutMs ?? STORE_FETCH_TIMEOUT_MS,
        maxResponseBytes: call.maxBytes ?? options.maxResponseBytes ?? CATALOG_MAX_BYTES,
        maxRedirects: MAX_REDIRECTS,
      },
      { ...options.fetchOptions, onProgress: call.onProgress },
    );
    return { status: response.status, body: Buffer.from(response.body) };
  };
}
