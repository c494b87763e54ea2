import { grantEntries, hostGranted, hostKey } from './host-grants';

// A credential's allowed_hosts, read as the checked fetch's policy.
//
// The rule:
// - "api.example.com", "*.example.com" (subdomains only), optionally with
//   ":port": https only, to public addresses only. Without a port only 443.
// - "http://HOST:PORT" (or "http://HOST", port 80): exactly that host and
//   port, and only it, may be reached over plain http and may resolve to a
//   loopback, private or link-local address. No wildcards in this form. This is
//   how a credential is used with a service on the person's own machine or LAN,
//   e.g. "http://127.0.0.1:8080".
// - "https://HOST[:PORT]" is the same as writing the host alone.
// Entries are separated by commas, spaces or new lines.
// - A wildcard must name a site below a public suffix: "*.com" and "*" are
//   refused on save (grantListProblem) and grant nothing if stored.

export interface HostPolicy {
  /** Granted hosts, as CheckedFetchPolicy.hosts. */
  hosts: string[];
  /** Exact host:port pairs allowed over http and to non-public addresses, as CheckedFetchPolicy.allowPrivate. */
  allowPrivate: string[];
  /** Entries that could not be read (ignored). */
  invalid: string[];
}

export function parseAllowedHosts(value: string | boolean | undefined): HostPolicy {
  const policy: HostPolicy = { hosts: [], allowPrivate: [], invalid: [] };
  if (typeof value !== 'string') return policy;
  for (const entry of grantEntries(value)) {
    const lower = entry.toLowerCase();
    if (lower.startsWith('http://')) {
      const exact = exactHttpHost(entry);
      if (!exact) policy.invalid.push(entry);
      else {
        policy.hosts.push(exact);
        policy.allowPrivate.push(exact);
      }
      continue;
    }
    const bare = lower.startsWith('https://')
      ? entry.slice('https://'.length).replace(/\/$/, '')
      : entry;
    if (!/^(\*\.)?(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i.test(bare))
      policy.invalid.push(entry);
    else policy.hosts.push(bare.toLowerCase());
  }
  return policy;
}

/** "http://host[:port][/]" as "host:port", or undefined when it is anything else. */
function exactHttpHost(entry: string): string | undefined {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || url.username || url.password) return undefined;
  if (url.pathname !== '/' || url.search || url.hash) return undefined;
  if (entry.includes('*')) return undefined;
  const port = url.port ? Number(url.port) : 80;
  return `${url.hostname.replace(/\.$/, '')}:${port}`;
}

/**
 * Whether a URL's host and port are among the granted hosts, read the way the
 * checked fetch reads them (which checks again, and checks every redirect).
 */
export function urlHostAllowed(hosts: readonly string[], url: URL): boolean {
  const { host, port } = hostKey(url);
  return hostGranted(hosts, host, port, url.protocol);
}
