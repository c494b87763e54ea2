import { Emitter } from '../../shared/base/emitter';
import type { EventName, EventPayload } from '../../shared/ipc/contract';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * Events the core emits for whoever shows them: the window in main, a page in
 * tests. One typed Emitter per event name, so a listener that throws does not
 * keep the others from hearing (its error still reaches the emitter's caller).
 */
export class CoreEvents {
  // Each emitter carries its own event's payload; the map cannot say so, the accessors do.
  private readonly emitters = new Map<EventName, Emitter<unknown>>();

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    const subscription = this.emitter(event).event(listener);
    return () => subscription.dispose();
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitters.get(event)?.fire(payload);
  }

  private emitter<E extends EventName>(event: E): Emitter<EventPayload<E>> {
    let emitter = this.emitters.get(event);
    if (!emitter) this.emitters.set(event, (emitter = new Emitter<unknown>()));
    return emitter as unknown as Emitter<EventPayload<E>>;
  }
}
