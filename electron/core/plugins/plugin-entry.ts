import {
  MEMORY_DEFAULT_MB,
  OUTPUT_CAP_BYTES,
  TIMEOUT_CAP_MS,
  type PluginManifest,
} from '../../../shared/manifest';
import type { HostRequest, PluginAbi } from '../../../shared/plugin-host-protocol';
import type { PluginInfo } from '../../../shared/plugins';
import type { InstalledRecord } from './installed-record';

// One plugin as the registry holds it, and what loading it grants: the host
// is given only what the manifest asks for and the record says the person
// granted, within the time limit both allow, and the window is shown it as
// PluginInfo.

type LoadRequest = Omit<Extract<HostRequest, { kind: 'load' }>, 'id'>;

export interface PluginEntry {
  name: string;
  dir: string;
  manifest?: PluginManifest;
  record?: InstalledRecord;
  status: 'loaded' | 'disabled' | 'error';
  error?: string;
  abi?: PluginAbi;
}

/** The host's load request for a plugin: its module, its limits and what it was granted. */
export function loadRequest(
  name: string,
  manifest: PluginManifest,
  record: InstalledRecord,
  wasm: Buffer,
): LoadRequest {
  return {
    kind: 'load',
    plugin: name,
    wasm: new Uint8Array(wasm),
    limits: {
      timeoutMs: timeoutOf(manifest, record),
      memoryBytes: (manifest.limits.memory_mb ?? MEMORY_DEFAULT_MB) * 1024 * 1024,
      outputBytes: OUTPUT_CAP_BYTES,
    },
    grants: {
      crypto: manifest.capabilities.crypto && record.granted.crypto,
      log: manifest.capabilities.log && record.granted.log,
      http: {
        hosts: manifest.capabilities.http.filter((h) => record.granted.http.includes(h)),
        allowPrivate: record.allowPrivate,
      },
    },
  };
}

export function timeoutOf(manifest: PluginManifest, record: InstalledRecord): number {
  return Math.min(
    record.timeoutMs ?? manifest.limits.timeout_ms,
    manifest.limits.timeout_ms,
    TIMEOUT_CAP_MS,
  );
}

/** The plugin as the window and the agents see it, whatever state it is in. */
export function toInfo(entry: PluginEntry): PluginInfo {
  const m = entry.manifest;
  const record = entry.record;
  const none = { crypto: false, log: false, http: [] };
  return {
    name: entry.name,
    version: m?.plugin.version ?? record?.version ?? '?',
    description: m?.plugin.description ?? '',
    author: m?.plugin.author ?? '',
    license: m?.plugin.license,
    homepage: m?.plugin.homepage,
    enabled: record?.enabled ?? false,
    status: entry.status,
    error: entry.error,
    source: record?.source ?? 'unknown',
    installedAt: record?.installedAt ?? '',
    development: record?.development ?? false,
    ...(record?.catalogId !== undefined ? { catalogId: record.catalogId } : {}),
    abi: entry.abi,
    credentialTypes: (m?.credential_types ?? []).map((t) => ({
      name: t.name,
      display_name: t.display_name,
    })),
    actions: (m?.actions ?? []).map((a) => ({
      name: a.name,
      description: a.description,
      parameters: a.parameters.map((p) => ({
        name: p.name,
        type: p.type,
        required: p.required,
        description: p.description,
      })),
    })),
    tools: (m?.mcp_tools ?? []).map((t) => ({
      name: t.name,
      action: t.action,
      description: t.description,
    })),
    capabilities: m?.capabilities ?? none,
    granted: record?.granted ?? none,
    timeoutMs: m && record ? timeoutOf(m, record) : 0,
  };
}
