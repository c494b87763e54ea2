import type { ToolDeps } from './types';

// When each credential was last used, saved without holding up the call that
// used it: marks gather for a moment and go to the vault in one save, so a
// busy agent costs a save every couple of seconds rather than one per call
// (each save rewrites and syncs the whole vault, about 90 ms with 10,000
// credentials, and its syncs would queue behind the audit log's). Locking and
// closing save what is pending first. A last-used time is a convenience, not a
// record: the audit log is the record, so a mark lost to a failed save is only
// dropped.

export const USAGE_SAVE_DELAY_MS = 2_000;

export interface UsageRecorderOptions {
  delayMs?: number;
  now?: () => Date;
}

export class UsageRecorder {
  private pending = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly delayMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly vault: Pick<ToolDeps['vault'], 'update'>,
    options: UsageRecorderOptions = {},
  ) {
    this.delayMs = options.delayMs ?? USAGE_SAVE_DELAY_MS;
    this.now = options.now ?? (() => new Date());
  }

  mark(credentialId: string): void {
    this.pending.set(credentialId, this.now().toISOString());
    this.schedule();
  }

  /** Saves what is pending now, and resolves once nothing is left to save. */
  async settled(): Promise<void> {
    for (;;) {
      if (this.running) {
        await this.running;
        continue;
      }
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.pending.size === 0) return;
      await this.save();
    }
  }

  private schedule(): void {
    if (this.running || this.timer || this.pending.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.save();
    }, this.delayMs);
    // A pending mark never keeps a process alive; closing saves it.
    this.timer.unref();
  }

  private save(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    // .finally runs after `running` is set, however the write ends.
    const run = this.write(batch).finally(() => {
      this.running = undefined;
      this.schedule();
    });
    this.running = run;
    return run;
  }

  private async write(batch: Map<string, string>): Promise<void> {
    try {
      await this.vault.update((content) => {
        // Only the credentials used are replaced; the others stay shared with the content before.
        content.credentials.forEach((credential, i) => {
          const at = batch.get(credential.id);
          if (at) content.credentials[i] = { ...credential, lastUsedAt: at };
        });
      });
    } catch {
      // Locked meanwhile, or the save failed: the calls themselves are done.
    }
  }
}
