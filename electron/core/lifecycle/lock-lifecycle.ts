import { toDisposable, type IDisposable } from '../../../shared/base/disposable';
import { Sequencer } from '../../../shared/base/sequencer';

/**
 * Something that lives while the vault is open (plugins, the watcher,
 * approvals and grants, the usage recorder) or until the core closes (the
 * socket, the plugin host, the audit log). Each step is optional.
 */
export interface LockParticipant {
  /** For logs and tests. */
  readonly name: string;
  /** After the vault opened; told in order of registration. */
  unlocked?(): Promise<void> | void;
  /** Before the vault locks; told in reverse order of registration. */
  locking?(): Promise<void> | void;
  /** On close, after the lock; told in reverse order of registration. */
  shutdown?(): Promise<void> | void;
}

export interface LockLifecycleOptions {
  /** Locks the vault itself, after every participant let go of it. */
  lockVault(): Promise<void>;
  log?: (message: string) => void;
}

/**
 * The one place that owns the order of unlock, lock and close. Transitions run
 * one after another; a lock asked for while one is under way joins it, so each
 * participant is told once. `close()` is a lock followed by the shutdown steps.
 */
export class LockLifecycle {
  private readonly participants: LockParticipant[] = [];
  private readonly transitions = new Sequencer();
  private locking: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: LockLifecycleOptions) {}

  register(participant: LockParticipant): IDisposable {
    this.participants.push(participant);
    return toDisposable(() => {
      const index = this.participants.indexOf(participant);
      if (index >= 0) this.participants.splice(index, 1);
    });
  }

  /** Opens the vault with `open`, then tells every participant, in order. */
  unlock<T>(open: () => Promise<T>): Promise<T> {
    return this.transitions.queue(async () => {
      if (this.closing) throw new Error('The core is closed.');
      const opened = await open();
      for (const participant of [...this.participants]) await participant.unlocked?.();
      return opened;
    });
  }

  /** Tells every participant, newest first, then locks the vault. */
  lock(): Promise<void> {
    return (this.locking ??= this.transitions
      .queue(() => this.runLock())
      .finally(() => (this.locking = undefined)));
  }

  /** Lock, then shut down what lives until the end; once. */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await this.lock();
      await this.transitions.queue(() =>
        this.each('shutdown', (participant) => participant.shutdown?.()),
      );
    })());
  }

  private async runLock(): Promise<void> {
    // The vault locks even if a participant failed to let go cleanly.
    try {
      await this.each('locking', (participant) => participant.locking?.());
    } finally {
      await this.options.lockVault();
    }
  }

  /**
   * Newest first. A participant that fails is logged and the rest still run,
   * so one broken step never leaves the vault open; the first failure is
   * thrown once all have run.
   */
  private async each(
    step: string,
    run: (participant: LockParticipant) => Promise<void> | void,
  ): Promise<void> {
    const failures: unknown[] = [];
    for (const participant of [...this.participants].reverse()) {
      try {
        await run(participant);
      } catch (error) {
        this.options.log?.(`${participant.name} failed at ${step}: ${(error as Error)?.name}`);
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }
}
