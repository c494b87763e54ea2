import { getDomain } from 'tldts';

// How a granted host ("api.example.com", "*.example.com", with or without
// ":port") is read and matched against a URL: the one reading the checked
// fetch enforces and the agents' http_request tool checks before it asks.
//
// A wildcard must name at least one label below a public suffix: "*.com",
// "*.co.uk" or "*.github.io" would reach every site anyone can register
// there. The public suffix list (ICANN and private sections) comes bundled
// with tldts, so the check works offline.

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

/**
 * Why a wildcard grant reaches too far ("*", or "*." over a public suffix),
 * or undefined when it names a site (or is no wildcard at all).
 */
export function wildcardScopeProblem(entry: string): string | undefined {
  const text = entry.trim();
  if (!text.startsWith('*')) return undefined;
  if (!text.startsWith('*.'))
    return `"${text}" would allow every host: name a site, such as *.example.com`;
  const { host } = parseGrant(text);
  const below = host.startsWith('*.') ? host.slice(2) : host;
  if (getDomain(below, { allowPrivateDomains: true }) !== null) return undefined;
  return `"${text}" covers every site under "${below}", a public suffix anyone can register names under: name a site below it, such as *.example.com`;
}

/** The entries of a written list of grants, separated by commas, spaces or new lines. */
export function grantEntries(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

/** Why a written list of grants may not be saved: its first wildcard that reaches too far. */
export function grantListProblem(value: string | boolean | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  for (const entry of grantEntries(value)) {
    const problem = wildcardScopeProblem(entry.replace(/^https?:\/\//i, '').replace(/\/$/, ''));
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Whether host:port, reached over `scheme`, is among the granted hosts (a
 * wildcard grants subdomains only; one over a public suffix grants nothing,
 * even when it was stored before that rule).
 */
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
      if (wildcardScopeProblem(grant.host)) return false;
      const suffix = grant.host.slice(1);
      return host.endsWith(suffix) && host.length > suffix.length;
    }
    return grant.host === host;
  });
}
