import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { WorkerMessage } from './protocol';

// Host functions are synchronous calls into the host thread: the worker posts
// the request, sleeps on a shared flag, and takes the reply from its own
// MessagePort with receiveMessageOnPort. The host thread owns every decision
// (grants, checked fetch, scrubbing); the worker only carries bytes. The host
// terminates the worker at the call's deadline, which ends the wait too.

/** Calls host function `fn` with a JSON request; returns its JSON reply. */
export type HostRpc = (fn: string, request: string) => string;

/** How long one wait sleeps before it looks at the flag again. */
const WAIT_SLICE_MS = 1000;

export function hostRpc(
  flag: Int32Array,
  replies: MessagePort,
  post: (message: WorkerMessage) => void,
): HostRpc {
  return (fn, request) => {
    Atomics.store(flag, 0, 0);
    post({ type: 'rpc', fn, request });
    while (Atomics.load(flag, 0) === 0) Atomics.wait(flag, 0, 0, WAIT_SLICE_MS);
    const reply = receiveMessageOnPort(replies) as { message: unknown } | undefined;
    if (!reply || typeof reply.message !== 'string')
      throw new Error('the host did not answer a host function call');
    return reply.message;
  };
}
