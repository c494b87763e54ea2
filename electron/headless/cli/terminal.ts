import { AsyncLocalStorage } from 'node:async_hooks';

// Where a command reads and writes: the process's own streams, environment
// and signals, unless the command runs inside runInTerminal (the tests run
// commands in-process, each with its own captured streams, environment and
// signals; a `serve` started by one keeps its own while others run).

export interface Terminal {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  /** SIGTERM and SIGINT arrive here. */
  signals: {
    on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
    off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  };
}

const current = new AsyncLocalStorage<Terminal>();

const processTerminal = (): Terminal => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signals: process,
});

export function terminal(): Terminal {
  return current.getStore() ?? processTerminal();
}

export function runInTerminal<T>(own: Terminal, run: () => Promise<T>): Promise<T> {
  return current.run(own, run);
}
