import { join } from 'node:path';
import { Sequencer } from '../../../shared/base/sequencer';
import { BUILTIN_TOOL_NAMES } from '../../../shared/builtin-tools';
import { CustodianError } from '../../../shared/errors';
import type { Capabilities, PluginManifest } from '../../../shared/manifest';
import type { PluginInfo } from '../../../shared/plugins';
import type { PluginAbi } from '../../../shared/plugin-host-protocol';
import type { CredentialTypeRegistry } from '../credentials/type-registry';
import { readFileIfExists } from '../files/atomic-file';
import { MANIFEST_FILE, type InstalledRecord } from './installed-record';
import { stageToFolder } from '../files/stage';
import { describeFsError } from '../files/fs-errors';
import { ManifestError, parseManifest } from './manifest-parser';
import type { PluginHostClient } from './plugin-host-client';
import { loadRequest, timeoutOf, toInfo, type PluginEntry } from './plugin-entry';
import {
  asideName,
  pluginFolders,
  readRecord,
  sha256,
  writeRecord,
  type PluginFs,
} from './plugin-folder';

export type { PluginFs } from './plugin-folder';

const NOT_INSTALLED = 'the plugin was not installed';

export interface LoadedPlugin {
  name: string;
  dir: string;
  manifest: PluginManifest;
  record: InstalledRecord;
  timeoutMs: number;
  abi?: PluginAbi;
}

export interface RegistryOptions {
  root: string;
  fs: PluginFs;
  host: PluginHostClient;
  types: CredentialTypeRegistry;
  appVersion: string;
  now?: () => Date;
  log?: (message: string) => void;
  /** Told after any plugin changed, so the window can show it (a hot reload among others). */
  onChange?: () => void;
}

export interface InstallOptions {
  source: string;
  /** What the person agreed to; defaults to everything the manifest asks for. */
  granted?: Capabilities;
  development?: boolean;
  allowPrivate?: string[];
  enabled?: boolean;
  /** A lower time limit than the manifest's, chosen by the person. */
  timeoutMs?: number;
  /** The store catalog it came from: updates come only from there. */
  catalogId?: string;
}

const typeSource = (plugin: string) => `plugin:${plugin}`;

/**
 * The registry's state: which plugins are loaded, off or broken. Loads the
 * plugins folder (plugin-folder.ts) into the host at unlock with what each
 * was granted (plugin-entry.ts), turns plugins on and off, installs and
 * removes them, and reloads one whose files change.
 */
export class PluginRegistry {
  private readonly entries = new Map<string, PluginEntry>();
  private active = false;
  private readonly reloads = new Sequencer();

  constructor(private readonly options: RegistryOptions) {}

  get root(): string {
    return this.options.root;
  }

  /** Plugins are loaded (the vault is unlocked): installs are possible. */
  isActive(): boolean {
    return this.active;
  }

  /** Loads every plugin in the folder (at unlock). A broken plugin is reported, never fatal. */
  async loadAll(): Promise<void> {
    this.active = true;
    await this.options.fs.mkdir(this.root, { recursive: true, mode: 0o700 });
    for (const name of await pluginFolders(this.options.fs, this.root)) await this.reload(name);
  }

  /** Unloads everything (at lock): plugin memory may hold what the last call saw. */
  async unloadAll(): Promise<void> {
    this.active = false;
    for (const entry of this.entries.values())
      this.options.types.unregisterSource(typeSource(entry.name));
    this.entries.clear();
    await this.options.host.stop();
  }

  list(): PluginInfo[] {
    return [...this.entries.values()].sort((a, b) => a.name.localeCompare(b.name)).map(toInfo);
  }

  /**
   * The list as the window and the command line show it: while a crash loop
   * has stopped the plugin host, every loaded plugin says why it runs nothing.
   * (Agents keep seeing the tools, and a call says the same.)
   */
  listShown(): PluginInfo[] {
    const halted = this.options.host.halted;
    return this.list().map((info) =>
      halted && info.status === 'loaded'
        ? { ...info, status: 'error' as const, error: halted }
        : info,
    );
  }

  get(name: string): LoadedPlugin | undefined {
    const entry = this.entries.get(name);
    if (entry?.status !== 'loaded' || !entry.manifest || !entry.record) return undefined;
    return {
      name,
      dir: entry.dir,
      manifest: entry.manifest,
      record: entry.record,
      timeoutMs: timeoutOf(entry.manifest, entry.record),
      ...(entry.abi ? { abi: entry.abi } : {}),
    };
  }

  /** The plugin that defines a credential type, if it is loaded. */
  pluginForType(type: string): LoadedPlugin | undefined {
    for (const entry of this.entries.values()) {
      if (entry.manifest?.credential_types.some((t) => t.name === type))
        return this.get(entry.name);
    }
    return undefined;
  }

  async setEnabled(name: string, enabled: boolean): Promise<PluginInfo> {
    const entry = this.requireEntry(name);
    if (!entry.record)
      throw new CustodianError(
        'invalid_input',
        `Plugin "${name}" cannot be changed: ${entry.error ?? 'it is broken'}`,
      );
    await writeRecord(this.options.fs, entry.dir, { ...entry.record, enabled });
    await this.reload(name);
    return toInfo(this.requireEntry(name));
  }

  async uninstall(name: string): Promise<{ name: string }> {
    const entry = this.requireEntry(name);
    await this.unloadEntry(entry);
    this.entries.delete(name);
    // Rename first so a half-removed folder is never mistaken for a plugin.
    const trash = asideName(this.root, name, 'removed');
    await this.options.fs.rename(entry.dir, trash);
    await this.options.fs.rm(trash, { recursive: true, force: true });
    this.options.onChange?.();
    return { name };
  }

  /**
   * Installs a plugin folder (a build/ folder from `npm run plugins:build`):
   * its manifest and module are read and checked, then installed like an
   * archive's files.
   */
  async installFromDirectory(source: string, options: InstallOptions): Promise<PluginInfo> {
    const { fs } = this.options;
    this.requireActive();
    const manifestPath = join(source, MANIFEST_FILE);
    const text = await readFileIfExists(fs, manifestPath);
    if (!text) throw new CustodianError('invalid_input', `${manifestPath} does not exist`);
    const manifest = this.parse(text.toString('utf8'), manifestPath);
    const wasmPath = join(source, manifest.plugin.wasm_module);
    const wasm = await readFileIfExists(fs, wasmPath);
    if (!wasm) throw new CustodianError('invalid_input', `${wasmPath} does not exist`);
    const files = new Map([
      [MANIFEST_FILE, text],
      [manifest.plugin.wasm_module, wasm],
    ]);
    return this.installFiles(files, manifest, { ...options, replace: false });
  }

  /**
   * Puts checked files in place as a plugin: written to a staging folder and
   * renamed into the plugins folder only when complete. Replacing an installed
   * version moves it aside first and puts it back if the new one does not
   * load, so a failed update leaves the old version installed and working.
   */
  async installFiles(
    files: ReadonlyMap<string, Buffer>,
    manifest: PluginManifest,
    options: InstallOptions & { replace: boolean },
  ): Promise<PluginInfo> {
    const { fs } = this.options;
    this.requireActive();
    const name = manifest.plugin.name;
    const wasm = files.get(manifest.plugin.wasm_module);
    if (!wasm)
      throw new CustodianError('invalid_input', `${manifest.plugin.wasm_module} is missing`);
    this.checkConflicts(manifest);
    const target = join(this.root, name);
    const installed = Boolean(await readFileIfExists(fs, join(target, MANIFEST_FILE)));
    if (installed && !options.replace)
      throw new CustodianError(
        'invalid_input',
        `Plugin "${name}" is already installed; remove it first`,
      );
    const staging = await stageToFolder(files, this.root, name, fs);
    try {
      await writeRecord(this.options.fs, staging, {
        source: options.source,
        version: manifest.plugin.version,
        sha256: sha256(wasm),
        enabled: options.enabled ?? true,
        granted: options.granted ?? manifest.capabilities,
        installedAt: (this.options.now?.() ?? new Date()).toISOString(),
        allowPrivate: options.allowPrivate ?? [],
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        development: options.development ?? false,
        ...(options.catalogId !== undefined ? { catalogId: options.catalogId } : {}),
      });
    } catch (error) {
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw describeFsError(error, target, NOT_INSTALLED);
    }
    const previous = installed ? asideName(this.root, name, 'previous') : undefined;
    try {
      if (previous) await fs.rename(target, previous);
      await fs.rename(staging, target);
    } catch (error) {
      if (previous) await fs.rename(previous, target).catch(() => undefined);
      await fs.rm(staging, { recursive: true, force: true }).catch(() => undefined);
      throw describeFsError(error, target, NOT_INSTALLED);
    }
    await this.reload(name);
    const entry = this.requireEntry(name);
    if (entry.status === 'error' && previous) {
      const failed = asideName(this.root, name, 'failed');
      await fs.rename(target, failed);
      await fs.rename(previous, target);
      await this.reload(name);
      await fs.rm(failed, { recursive: true, force: true });
      throw new CustodianError(
        'invalid_input',
        `Version ${manifest.plugin.version} of "${name}" did not load (${entry.error ?? 'unknown error'}); the installed version stays in place`,
      );
    }
    if (previous) await fs.rm(previous, { recursive: true, force: true });
    return toInfo(entry);
  }

  private requireActive(): void {
    if (!this.active)
      throw new CustodianError('vault_locked', 'Unlock Custodian to install plugins.');
  }

  /** (Re)loads one plugin from its folder; drops it when the folder is gone. Reloads run one at a time. */
  reload(name: string): Promise<void> {
    return this.reloads.queue(() => this.reloadNow(name));
  }

  private async reloadNow(name: string): Promise<void> {
    const previous = this.entries.get(name);
    if (previous) await this.unloadEntry(previous);
    this.entries.delete(name);
    if (!this.active) return;
    const dir = join(this.root, name);
    const entry: PluginEntry = { name, dir, status: 'error' };
    try {
      const manifestText = await readFileIfExists(this.options.fs, join(dir, MANIFEST_FILE));
      if (!manifestText) return; // the folder was removed
      entry.manifest = this.parse(manifestText.toString('utf8'), join(dir, MANIFEST_FILE));
      if (entry.manifest.plugin.name !== name) {
        throw new Error(
          `its plugin.toml names "${entry.manifest.plugin.name}" but its folder is "${name}"`,
        );
      }
      const wasm = await readFileIfExists(
        this.options.fs,
        join(dir, entry.manifest.plugin.wasm_module),
      );
      if (!wasm) throw new Error(`${entry.manifest.plugin.wasm_module} is missing`);
      entry.record =
        (await readRecord(this.options.fs, dir)) ?? (await this.adopt(dir, entry.manifest, wasm));
      const digest = sha256(wasm);
      if (digest !== entry.record.sha256) {
        if (!entry.record.development)
          throw new Error('its wasm module changed since it was installed; reinstall it');
        entry.record = { ...entry.record, sha256: digest, version: entry.manifest.plugin.version };
        await writeRecord(this.options.fs, dir, entry.record);
      }
      if (!entry.record.enabled) {
        entry.status = 'disabled';
        return;
      }
      this.checkConflicts(entry.manifest, name);
      for (const type of entry.manifest.credential_types)
        this.options.types.register(type, typeSource(name));
      const response = await this.options.host.load(
        loadRequest(name, entry.manifest, entry.record, wasm),
      );
      if (!response.ok) throw new Error(response.message);
      entry.abi = response.kind === 'loaded' ? response.abi : undefined;
      entry.status = 'loaded';
    } catch (error) {
      this.options.types.unregisterSource(typeSource(name));
      entry.status = 'error';
      entry.error = error instanceof Error ? error.message : String(error);
      this.options.log?.(`Plugin ${name} did not load: ${entry.error}`);
    } finally {
      // Shown only once settled: a plugin half way through loading is not listed as broken.
      if (entry.manifest || entry.error) this.entries.set(name, entry);
      this.options.onChange?.();
    }
  }

  private parse(text: string, file: string): PluginManifest {
    try {
      return parseManifest(text, file, this.options.appVersion);
    } catch (error) {
      if (error instanceof ManifestError) throw new CustodianError('invalid_input', error.message);
      throw error;
    }
  }

  /** Tool names are exposed exactly as written, so two plugins (or a plugin and a built-in) may not share one. */
  private checkConflicts(manifest: PluginManifest, self = manifest.plugin.name): void {
    const taken = new Map<string, string>(BUILTIN_TOOL_NAMES.map((n) => [n, 'Custodian itself']));
    for (const entry of this.entries.values()) {
      if (entry.name === self || entry.status !== 'loaded') continue;
      for (const tool of entry.manifest?.mcp_tools ?? [])
        taken.set(tool.name, `plugin "${entry.name}"`);
    }
    for (const tool of manifest.mcp_tools) {
      const owner = taken.get(tool.name);
      if (owner)
        throw new CustodianError(
          'invalid_input',
          `Tool "${tool.name}" is already offered by ${owner}`,
        );
    }
    for (const type of manifest.credential_types) {
      const existing = this.options.types.get(type.name);
      if (existing && existing.source !== typeSource(self)) {
        throw new CustodianError(
          'invalid_input',
          `Credential type "${type.name}" is already defined by ${existing.source}`,
        );
      }
    }
  }

  private async unloadEntry(entry: PluginEntry): Promise<void> {
    this.options.types.unregisterSource(typeSource(entry.name));
    if (entry.status === 'loaded') await this.options.host.unload(entry.name);
  }

  private requireEntry(name: string): PluginEntry {
    const entry = this.entries.get(name);
    if (!entry) throw new CustodianError('not_found', `No plugin named "${name}" is installed`);
    return entry;
  }

  /**
   * A folder a plugin author copied in by hand: it is adopted as a development
   * plugin, turned off and granted nothing, until the person turns it on.
   */
  private async adopt(
    dir: string,
    manifest: PluginManifest,
    wasm: Buffer,
  ): Promise<InstalledRecord> {
    const record: InstalledRecord = {
      source: 'plugins folder',
      version: manifest.plugin.version,
      sha256: sha256(wasm),
      enabled: false,
      granted: { crypto: false, log: false, http: [] },
      installedAt: (this.options.now?.() ?? new Date()).toISOString(),
      allowPrivate: [],
      development: true,
    };
    await writeRecord(this.options.fs, dir, record);
    this.options.log?.(
      `Found plugin ${manifest.plugin.name} in the plugins folder; it stays off until turned on.`,
    );
    return record;
  }
}
