// How a granted host ("api.example.com", "*.example.com", with or without
// ":port") is read and matched against a URL: the one reading the checked
// fetch enforces and the agents' http_request tool checks before it asks.

/** Host name and port as written in "host:port" entries: lower case, IPv6 in brackets. */
export function hostKey(url: URL): { host: string; port: number } {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname.toLowerCase().replace(/\.$/, ''), port };
}

/** A grant ("host", "*.host", with or without ":port") normalised the way URL normalises hosts. */
export function parseGrant(entry: string): { host: string; port: number | null } {
  const text = entry.trim().toLowerCase();
  const wildcard = text.startsWith('*.');
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(wildcard ? text.slice(2) : text);
  if (!match?.[1]) return { host: `invalid grant ${text}`, port: null };
  let host: string;
  try {
    host = new URL(`https://${match[1]}/`).hostname.replace(/\.$/, '');
  } catch {
    return { host: `invalid grant ${text}`, port: null };
  }
  return { host: wildcard ? `*.${host}` : host, port: match[2] ? Number(match[2]) : null };
}

/** Whether host:port, reached over `scheme`, is among the granted hosts (a wildcard grants subdomains only). */
export function hostGranted(
  hosts: readonly string[],
  host: string,
  port: number,
  scheme: string,
): boolean {
  const defaultPort = scheme === 'https:' ? 443 : 80;
  return hosts.some((entry) => {
    const grant = parseGrant(entry);
    if ((grant.port ?? defaultPort) !== port) return false;
    if (grant.host.startsWith('*.')) {
      const suffix = grant.host.slice(1);
      return host.endsWith(suffix) && host.length > suffix.length;
    }
    return grant.host === host;
  });
}
