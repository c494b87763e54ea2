// Timers as the RPC core uses them: globalThis's by default (this folder runs
// in Node and in the window alike), a fake clock's in tests.

export interface RpcTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export function systemTimers(unref: boolean): RpcTimers {
  return {
    setTimeout: (fn, ms) => {
      const handle = globalThis.setTimeout(fn, ms);
      // Node only: a call waiting on its deadline need not keep the process alive.
      if (unref) (handle as { unref?: () => void }).unref?.();
      return handle;
    },
    clearTimeout: (handle) =>
      globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
  };
}
