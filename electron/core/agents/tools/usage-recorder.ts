import type { ToolDeps } from './types';

// When each credential was last used, saved without holding up the call that
// used it. Marks made while a save is running wait and go into the next save
// together, so a burst of calls costs two vault saves rather than one each,
// and a vault of 10,000 credentials does not add its save time to every
// signature. A last-used time is a convenience, not a record: the audit log
// is the record, so a mark lost to a lock or a failed save is only dropped.

export class UsageRecorder {
  private pending = new Map<string, string>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly vault: Pick<ToolDeps['vault'], 'update'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  mark(credentialId: string): void {
    this.pending.set(credentialId, this.now().toISOString());
    this.running ??= this.saveAll();
  }

  /** Once every mark made so far is saved (or dropped). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  // Called with a mark pending, so it always awaits before `finally`: the
  // loop's last check and clearing `running` happen in one step, and a mark
  // made after either finds a save under way that will take it or starts one.
  private async saveAll(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const batch = this.pending;
        this.pending = new Map();
        try {
          await this.vault.update((content) => {
            for (const credential of content.credentials) {
              const at = batch.get(credential.id);
              if (at) credential.lastUsedAt = at;
            }
          });
        } catch {
          // Locked meanwhile, or the save failed: the calls themselves are done.
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
