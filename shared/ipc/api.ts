import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from './contract';
import type { Envelope } from './envelope';

// The shape of window.custodian: `custodian.vault.status({})` for the channel
// `vault:status`, and `custodian.on(event, listener)`.

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
type MethodOf<C extends string> = C extends `${string}:${infer M}` ? M : never;

export type CustodianApi = {
  [D in DomainOf<Channel>]: {
    [C in Channel as DomainOf<C> extends D ? MethodOf<C> : never]: (
      request: RequestOf<C>,
    ) => Promise<Envelope<ResponseOf<C>>>;
  };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export type Invoke = (channel: string, request: unknown) => Promise<unknown>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds window.custodian from the channel and event names of the contract.
 * It closes over nothing, so the e2e rig can inject this very function into a
 * page (via its source text) and bind it to a headless core's handlers.
 */
export function buildCustodianApi(
  channels: readonly string[],
  events: readonly string[],
  invoke: Invoke,
  subscribe: Subscribe,
): CustodianApi {
  const api: Record<string, unknown> = {};
  for (const channel of channels) {
    const [domain, method] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {}) as Record<string, unknown>;
    group[method] = (request: unknown) => invoke(channel, request ?? {});
  }
  api.on = (event: string, listener: (payload: unknown) => void) => {
    if (!events.includes(event)) throw new Error(`Unknown event "${event}"`);
    return subscribe(event, listener);
  };
  return api as CustodianApi;
}
