import type { FSWatcher, WatchListener } from 'node:fs';
import { join } from 'node:path';
import { INSTALLED_FILE } from './installed-record';

export type WatchFn = (path: string, listener: WatchListener<string>) => FSWatcher;

/**
 * Reloads a plugin when files in its folder change, so plugin authors see a
 * rebuild without restarting the app. Changes are debounced: a build writes
 * several files in a burst.
 */
export class PluginWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly root: string,
    private readonly watch: WatchFn,
    private readonly reload: (name: string) => Promise<void>,
    private readonly listFolders: () => Promise<string[]>,
    private readonly debounceMs = 200,
  ) {}

  private started = false;

  async start(): Promise<void> {
    this.started = true;
    this.add('', this.root);
    await this.sync();
  }

  /** Watches every plugin folder the registry knows; called after each change so a new install is watched at once. */
  async sync(): Promise<void> {
    if (!this.started) return;
    for (const name of await this.listFolders()) this.add(name, join(this.root, name));
  }

  stop(): void {
    this.started = false;
    for (const watcher of this.watchers.values()) watcher.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.watchers.clear();
    this.timers.clear();
  }

  private add(name: string, path: string): void {
    if (this.watchers.has(name)) return;
    try {
      const watcher = this.watch(path, (_event, file) => this.changed(name, file ?? ''));
      watcher.on('error', () => this.drop(name));
      this.watchers.set(name, watcher);
    } catch {
      // The folder vanished between listing and watching; the root watcher will see it.
    }
  }

  private drop(name: string): void {
    this.watchers.get(name)?.close();
    this.watchers.delete(name);
  }

  private changed(folder: string, file: string): void {
    // On the root, the file name is the plugin folder that appeared or went away.
    const name = folder || file;
    if (!name || name.startsWith('.')) return;
    // The registry writes .installed.json itself (through a temp file); reloading
    // on its own writes would only repeat the reload it is already doing.
    if (folder && file.startsWith(INSTALLED_FILE)) return;
    clearTimeout(this.timers.get(name));
    this.timers.set(
      name,
      setTimeout(() => {
        this.timers.delete(name);
        this.drop(name);
        void this.reload(name).then(() => this.add(name, join(this.root, name)));
      }, this.debounceMs),
    );
  }
}
