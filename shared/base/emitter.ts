import { throwAll, toDisposable, type IDisposable } from './disposable';

/** Subscribes a listener; dispose the result to stop hearing. */
export type Event<T> = (listener: (value: T) => void) => IDisposable;

/**
 * A typed event source (VS Code's Emitter, reduced to what we use). The owner
 * keeps the emitter and fires; everyone else gets `event` to subscribe with.
 *
 * - Each fire reaches the listeners subscribed when it began, in the order they
 *   subscribed; one disposed during a fire is not called after that.
 * - A listener that throws does not stop the others: every listener is called,
 *   then the failure is thrown to whoever fired (as it was before the emitter),
 *   unless `onListenerError` takes it.
 * - After `dispose()` nothing is delivered and subscribing does nothing.
 */
export class Emitter<T> implements IDisposable {
  private listeners: { call: (value: T) => void; live: boolean }[] = [];
  private disposed = false;

  constructor(private readonly options: { onListenerError?: (error: unknown) => void } = {}) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => {});
    const entry = { call: listener, live: true };
    this.listeners = [...this.listeners, entry];
    return toDisposable(() => {
      entry.live = false;
      this.listeners = this.listeners.filter((other) => other !== entry);
    });
  };

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  fire(value: T): void {
    const errors: unknown[] = [];
    // The array is replaced, never changed in place, so this is a snapshot.
    for (const entry of this.listeners) {
      if (!entry.live) continue;
      try {
        entry.call(value);
      } catch (error) {
        if (this.options.onListenerError) this.options.onListenerError(error);
        else errors.push(error);
      }
    }
    throwAll(errors, 'Some listeners failed.');
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.listeners) entry.live = false;
    this.listeners = [];
  }
}
