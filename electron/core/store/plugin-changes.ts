import { capabilityTexts, effectiveCapabilities } from '../../../shared/capability-words';
import semver from 'semver';
import type { CatalogPlugin } from '../../../shared/catalog';
import type { Capabilities, PluginManifest } from '../../../shared/manifest';
import type { PluginInfo } from '../../../shared/plugins';
import type { PluginChanges } from '../../../shared/store';

// What moving from one version of a plugin to another changes, for the person
// to agree to. Wider capabilities, and any tool an agent would be told about
// in words the person has not seen (a new tool, a changed description), need
// fresh consent; narrower ones and removals do not.

export interface PluginShape {
  capabilities: Capabilities;
  tools: readonly { name: string; description: string }[];
  credentialTypes: readonly string[];
}

function difference(a: Capabilities, b: Capabilities): Capabilities {
  return {
    crypto: a.crypto && !b.crypto,
    log: a.log && !b.log,
    http: a.http.filter((host) => !b.http.includes(host)),
    ...(a.secret_access === 'values' && b.secret_access !== 'values'
      ? { secret_access: 'values' as const }
      : {}),
  };
}

function isEmptyCapabilities(c: Capabilities): boolean {
  return !c.crypto && !c.log && c.http.length === 0 && c.secret_access !== 'values';
}

export function pluginChanges(before: PluginShape, after: PluginShape): PluginChanges {
  const oldTools = new Map(before.tools.map((t) => [t.name, t.description]));
  const newTools = new Map(after.tools.map((t) => [t.name, t.description]));
  const addedCapabilities = difference(after.capabilities, before.capabilities);
  const addedTools = after.tools
    .filter((t) => !oldTools.has(t.name))
    .map((t) => ({ name: t.name, description: t.description }));
  const changedTools = after.tools.flatMap((t) => {
    const previous = oldTools.get(t.name);
    return previous !== undefined && previous !== t.description
      ? [{ name: t.name, before: previous, after: t.description }]
      : [];
  });
  return {
    addedCapabilities,
    removedCapabilities: difference(before.capabilities, after.capabilities),
    addedTools,
    removedTools: before.tools.filter((t) => !newTools.has(t.name)).map((t) => t.name),
    changedTools,
    addedTypes: after.credentialTypes.filter((t) => !before.credentialTypes.includes(t)),
    removedTypes: before.credentialTypes.filter((t) => !after.credentialTypes.includes(t)),
    needsConsent:
      !isEmptyCapabilities(addedCapabilities) || addedTools.length > 0 || changedTools.length > 0,
  };
}

/** The changes in one line each, for a CLI refusal or a log. */
export function describeChanges(changes: PluginChanges): string[] {
  const lines: string[] = [];
  for (const { text } of capabilityTexts(changes.addedCapabilities))
    lines.push(`new: ${text.charAt(0).toLowerCase()}${text.slice(1)}`);
  for (const tool of changes.addedTools) lines.push(`new tool ${tool.name}: "${tool.description}"`);
  for (const tool of changes.changedTools)
    lines.push(`tool ${tool.name} now says "${tool.after}" (was "${tool.before}")`);
  return lines;
}

/** Whether `candidate` is an update to `installed` (any version replaces one that is not semver). */
export function isNewer(candidate: string, installed: string): boolean {
  return !semver.valid(installed) || semver.gt(candidate, installed);
}

export function shapeOfInfo(info: PluginInfo): PluginShape {
  return {
    capabilities: effectiveCapabilities(info.capabilities, info.abi),
    tools: info.tools,
    credentialTypes: info.credentialTypes.map((t) => t.name),
  };
}

export function shapeOfManifest(manifest: PluginManifest): PluginShape {
  return {
    capabilities: manifest.capabilities,
    tools: manifest.mcp_tools,
    credentialTypes: manifest.credential_types.map((t) => t.name),
  };
}

export function shapeOfCatalog(plugin: CatalogPlugin): PluginShape {
  return {
    capabilities: plugin.capabilities,
    tools: plugin.tools,
    credentialTypes: plugin.credential_types.map((t) => t.name),
  };
}
