// Runs async tasks one after another. Stores, the vault, the audit log and the
// plugin host each need "one change at a time"; this is that queue, written
// once. A task that fails rejects only its own promise: the queue goes on.

export class Sequencer {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every task queued before it has settled. */
  queue<T>(task: () => T | PromiseLike<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Resolves once every task queued so far has settled (it never rejects). */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}

/** One queue per key: tasks for the same key run in turn, different keys run side by side. */
export class SequencerByKey<K> {
  private readonly tails = new Map<K, Promise<unknown>>();

  queue<T>(key: K, task: () => T | PromiseLike<T>): Promise<T> {
    const run = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // A key whose queue ran empty is forgotten, so the map holds only busy keys.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Resolves once every task queued so far for `key` has settled (it never rejects). */
  idle(key: K): Promise<void> {
    return (this.tails.get(key) ?? Promise.resolve()).then(() => undefined);
  }

  /** How many keys have tasks queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
