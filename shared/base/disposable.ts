// Something that holds a resource or a subscription until it is disposed.
// Small on purpose: the emitter, the lock lifecycle and the composition roots
// hand these out so whoever subscribed can let go in one call.

export interface IDisposable {
  dispose(): void;
}

/** A disposable that runs `fn` once, however often it is disposed. */
export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/**
 * Collects disposables and disposes them together, newest first (what was
 * set up last may depend on what was set up before it). Every one is disposed
 * even if an earlier one throws; the failures are thrown together afterwards.
 * Once disposed, anything added is disposed at once: nothing can leak into a
 * store nobody will dispose again.
 */
export class DisposableStore implements IDisposable {
  private readonly items: IDisposable[] = [];
  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  add<T extends IDisposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    throwAll(errors, 'Some disposables failed to dispose.');
  }
}

/** Throws nothing, the one error, or an AggregateError of several. */
export function throwAll(errors: readonly unknown[], message: string): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, message);
}
