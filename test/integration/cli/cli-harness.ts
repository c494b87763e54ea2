import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import keytar from 'keytar';
import { runCommandLine } from '../../../electron/headless/cli/run';
import { runInTerminal, type Terminal } from '../../../electron/headless/cli/terminal';
import { makeTempDir } from '../../support/core-fixture';

// The CLI run in this process: each command is the same runCommandLine the
// `custodian` process runs, with its own captured stdout and stderr, its own
// stdin and environment, and `serve` its own signals. Real keychain (the
// private gnome-keyring of with-keyring.sh) under a service name of its own,
// real sockets, a real plugin host. Test files call stopServers() in
// afterAll, so no server outlives its file. spawned.test.ts runs the bundle
// as a person does.

// Read by the core itself, which runs here: the plugin host from source, so
// the tests never depend on a stale build.
process.env.CUSTODIAN_PLUGIN_HOST_FROM_SOURCE = '1';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Sandbox {
  dataDir: string;
  keychainService: string;
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

export async function makeSandbox(): Promise<Sandbox> {
  const dataDir = await makeTempDir('custodian-cli-');
  const keychainService = `custodian-test-${randomUUID()}`;
  const env = { ...process.env };
  Object.assign(env, {
    CUSTODIAN_DATA_DIR: dataDir,
    CUSTODIAN_KEYCHAIN_SERVICE: keychainService,
    CUSTODIAN_KDF: 'test',
  });
  return {
    dataDir,
    keychainService,
    env,
    async cleanup() {
      await deleteKeychainEntries(keychainService);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function deleteKeychainEntries(service: string): Promise<void> {
  for (const { account } of await keytar.findCredentials(service).catch(() => [])) {
    await keytar.deletePassword(service, account);
  }
}

interface Run {
  done: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  signals: EventEmitter;
}

function start(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Run {
  let stdout = '';
  let stderr = '';
  const signals = new EventEmitter();
  const terminal: Terminal = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    // Closed either way, as a spawned command's stdin was.
    stdin: Readable.from(input === undefined ? [] : [Buffer.from(input)]),
    env,
    signals,
  };
  const done = runInTerminal(terminal, () => runCommandLine(args)).then((outcome) =>
    'exitCode' in outcome ? outcome.exitCode : null,
  );
  return { done, stdout: () => stdout, stderr: () => stderr, signals };
}

/** Runs one command to its end; `input` is its stdin. */
export async function cli(
  sandbox: Pick<Sandbox, 'env'>,
  args: readonly string[],
  input?: string,
): Promise<Outcome> {
  const run = start(args, sandbox.env, input);
  const code = await run.done;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

export interface Server {
  stderr(): string;
  /** Delivers SIGTERM or SIGINT, as the process would receive it. */
  signal(name: NodeJS.Signals): void;
  /** The exit status once it has ended. */
  exited: Promise<number | null>;
}

const running = new Set<Server>();

/** Starts `custodian serve` and waits for its ready line (or its early end). */
export async function serve(sandbox: Sandbox, args: readonly string[] = []): Promise<Server> {
  const run = start(['serve', ...args], sandbox.env);
  const server: Server = {
    stderr: run.stderr,
    signal: (name) => run.signals.emit(name, name),
    exited: run.done,
  };
  running.add(server);
  void run.done.finally(() => running.delete(server));
  await eventuallyReady(run);
  return server;
}

async function eventuallyReady(run: Run): Promise<void> {
  let ended: number | null | undefined;
  void run.done.then((code) => (ended = code));
  // Bounded: the hook timeout would say less.
  const deadline = Date.now() + 60_000;
  while (!run.stderr().includes('custodian: serving ')) {
    if (ended !== undefined)
      throw new Error(`serve ended (${ended}) before it was ready: ${run.stderr()}`);
    if (Date.now() > deadline) throw new Error('serve was not ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** SIGTERMs every server still serving and waits for each to close its core. */
export async function stopServers(): Promise<void> {
  await Promise.all(
    [...running].map((server) => {
      server.signal('SIGTERM');
      return server.exited;
    }),
  );
}
