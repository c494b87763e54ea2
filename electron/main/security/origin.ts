// The origin of a URL, computed the way Chromium does for the schemes the
// renderer can be served from. Node's URL reports "null" as the origin of a
// custom scheme, so app:// is handled here; every other scheme (file:, data:,
// blob:, about:, javascript:, …) has no origin we could ever trust.

export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  switch (parsed.protocol) {
    case 'app:':
      // app:// is registered as a standard scheme, whose host Chromium lowercases.
      return parsed.host ? `app://${parsed.host.toLowerCase()}` : null;
    case 'http:':
    case 'https:':
      return parsed.origin;
    default:
      return null;
  }
}
