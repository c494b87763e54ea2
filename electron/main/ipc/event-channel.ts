import type { EventName, EventPayload } from '../../../shared/ipc/contract';

export { EVENT_CHANNEL } from '../../../shared/ipc/channels';

export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

export function toEventMessage<E extends EventName>(
  event: E,
  payload: EventPayload<E>,
): EventMessage<E> {
  return { event, payload };
}
