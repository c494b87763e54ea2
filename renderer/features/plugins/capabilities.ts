import type { PluginInfo } from '../../../shared/plugins';

export interface CapabilityLine {
  /** A stable key for React. */
  key: string;
  /** What the plugin may do, in plain words. */
  text: string;
  granted: boolean;
}

/** "api.github.com", or "any host under example.com" for a "*.example.com" grant. */
export function describeHost(host: string): string {
  return host.startsWith('*.') ? `any host under ${host.slice(2)}` : host;
}

/**
 * What a plugin's manifest asks to do, one line each, and whether the person
 * granted it. A capability granted but not asked for is never in effect, so it
 * is not listed.
 */
export function capabilityLines(plugin: Pick<PluginInfo, 'capabilities' | 'granted'>) {
  const { capabilities: asked, granted } = plugin;
  const lines: CapabilityLine[] = [];
  if (asked.crypto)
    lines.push({
      key: 'crypto',
      text: 'May use cryptographic functions',
      granted: granted.crypto,
    });
  if (asked.log) lines.push({ key: 'log', text: 'May write to the app log', granted: granted.log });
  for (const host of asked.http)
    lines.push({
      key: `http:${host}`,
      text: `May send HTTPS requests to ${describeHost(host)}`,
      granted: granted.http.includes(host),
    });
  return lines;
}

/** "1 credential type", "2 actions": a count with its noun. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
