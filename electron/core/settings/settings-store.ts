import { join } from 'node:path';
import { settingsSchema, type Settings } from '../../../shared/vault-status';
import { readFileIfExists, writeFileAtomic, type FileSystem } from '../files/atomic-file';
import { Sequencer } from '../../../shared/base/sequencer';

const DEFAULTS: Settings = { autoLockMinutes: 5 };

/** Preferences that are needed while the vault is locked, so they live beside it, unencrypted and secret-free. */
export class SettingsStore {
  private cached: Settings | undefined;
  // Updates run one after another so two at once cannot lose a change.
  private readonly queue = new Sequencer();

  constructor(
    private readonly dataDir: string,
    private readonly fs: FileSystem,
  ) {}

  private get path(): string {
    return join(this.dataDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    if (this.cached) return this.cached;
    const raw = await readFileIfExists(this.fs, this.path);
    let settings = DEFAULTS;
    if (raw) {
      // A damaged settings file falls back to defaults rather than locking the person out.
      try {
        settings = {
          ...DEFAULTS,
          ...settingsSchema.partial().parse(JSON.parse(raw.toString('utf8'))),
        };
      } catch {
        settings = DEFAULTS;
      }
    }
    this.cached = settings;
    return settings;
  }

  update(patch: Partial<Settings>): Promise<Settings> {
    return this.queue.queue(() => this.apply(patch));
  }

  private async apply(patch: Partial<Settings>): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    await writeFileAtomic(this.path, Buffer.from(JSON.stringify(next, null, 2)), {
      fs: this.fs,
      backup: false,
    });
    this.cached = next;
    return next;
  }
}
