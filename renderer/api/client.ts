import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Envelope } from '../../shared/ipc/envelope';
import { fromWireError } from '../../shared/error-boundaries';

// The one place the renderer calls main. It unwraps the {result} | {error}
// envelope so features can use plain async/await and catch CustodianError.

type AnyMethod = (request: unknown) => Promise<Envelope<unknown>>;

const lockedListeners = new Set<() => void>();

/**
 * Calls `domain:method` on window.custodian. The name is the contract's channel
 * name, so a search for a channel finds its callers in the renderer too.
 */
export async function invoke<C extends Channel>(
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const [domain, method] = channel.split(':') as [string, string];
  const group = (window.custodian as unknown as Record<string, Record<string, AnyMethod>>)[domain];
  const call = group?.[method];
  if (!call) throw new Error(`window.custodian has no ${channel}`);
  const envelope = await call(request);
  if ('error' in envelope) {
    const error = fromWireError(envelope.error);
    // Any call can find the vault locked (auto-lock raced it): let the app re-read the status.
    if (error.code === 'vault_locked') for (const listener of lockedListeners) listener();
    throw error;
  }
  return envelope.result as ResponseOf<C>;
}

/** Called whenever main answers vault_locked; returns an unsubscribe. */
export function onVaultLocked(listener: () => void): () => void {
  lockedListeners.add(listener);
  return () => lockedListeners.delete(listener);
}
