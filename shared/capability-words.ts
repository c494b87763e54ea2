import type { Capabilities } from './manifest';
import type { PluginAbi } from './plugin-host-protocol';

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

export const SECRET_VALUES_KEY = 'secret_values';
export const SECRET_VALUES_TEXT =
  'This plugin reads your secret values: it is given the stored secrets themselves, not handles to them';

/**
 * Whether a plugin receives a credential's secret values rather than handles:
 * a Vultrino-ABI module always does (its ABI passes values), an Extism one
 * only when its manifest asks for secret_access = "values".
 */
export function readsSecretValues(capabilities: Capabilities, abi?: PluginAbi): boolean {
  return abi === 'vultrino' || capabilities.secret_access === 'values';
}

/** What a plugin will really be given: a Vultrino-ABI module reads values whatever its manifest says. */
export function effectiveCapabilities(capabilities: Capabilities, abi?: PluginAbi): Capabilities {
  return abi === 'vultrino' ? { ...capabilities, secret_access: 'values' } : capabilities;
}

/**
 * One line per capability, empty when the plugin asks for nothing. Reading
 * secret values comes first: it is the one a person must not miss.
 */
export function capabilityTexts(capabilities: Capabilities, abi?: PluginAbi): CapabilityText[] {
  const lines: CapabilityText[] = [];
  if (readsSecretValues(capabilities, abi))
    lines.push({ key: SECRET_VALUES_KEY, text: SECRET_VALUES_TEXT });
  if (capabilities.crypto) lines.push({ key: 'crypto', text: 'May use cryptographic functions' });
  if (capabilities.log) lines.push({ key: 'log', text: 'May write to the app log' });
  for (const host of capabilities.http)
    lines.push({ key: `http:${host}`, text: `May send HTTPS requests to ${describeHost(host)}` });
  return lines;
}
