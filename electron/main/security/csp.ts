// The renderer's Content-Security-Policy, sent as a header by the app://
// protocol (and by the e2e server, so tests run under the same policy).
// style-src allows inline styles because Radix Dialog injects a <style> element
// for its scroll lock; scripts stay strictly same-origin.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
