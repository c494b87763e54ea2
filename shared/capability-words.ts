import type { Capabilities } from './manifest';

// What a plugin may do, in the plain words the window, the CLI and the core's
// messages all use, so a person reads the same sentence everywhere.

export interface CapabilityText {
  /** A stable key ("crypto", "log", "http:HOST"). */
  key: string;
  /** "May send HTTPS requests to api.github.com". */
  text: string;
}

/** "api.github.com", or "any host under example.com" for a "*.example.com" grant. */
export function describeHost(host: string): string {
  return host.startsWith('*.') ? `any host under ${host.slice(2)}` : host;
}

/** One line per capability, empty when the plugin asks for nothing. */
export function capabilityTexts(capabilities: Capabilities): CapabilityText[] {
  const lines: CapabilityText[] = [];
  if (capabilities.crypto) lines.push({ key: 'crypto', text: 'May use cryptographic functions' });
  if (capabilities.log) lines.push({ key: 'log', text: 'May write to the app log' });
  for (const host of capabilities.http)
    lines.push({ key: `http:${host}`, text: `May send HTTPS requests to ${describeHost(host)}` });
  return lines;
}
