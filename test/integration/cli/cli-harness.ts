import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import keytar from 'keytar';
import { makeTempDir } from '../../support/core-fixture';

// The CLI run as a person runs it: its own Node process through tsx, real
// keychain (the private gnome-keyring of with-keyring.sh) under a service
// name of its own, real sockets. Test files call killCommands() in afterEach
// and killAll() in afterAll, so nothing outlives a failed test: a server
// started in beforeAll lives through its describe block, a command no longer
// than its test.

const root = join(import.meta.dirname, '../../..');
export const CLI_ENTRY = join(root, 'electron/headless/cli/main.ts');

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

const children = new Set<ChildProcess>();
const servers = new WeakSet<ChildProcess>();

export async function makeSandbox(): Promise<Sandbox> {
  const dataDir = await makeTempDir('custodian-cli-');
  const keychainService = `custodian-test-${randomUUID()}`;
  const env = { ...process.env };
  delete env.CUSTODIAN_DATA_DIR;
  Object.assign(env, {
    CUSTODIAN_DATA_DIR: dataDir,
    CUSTODIAN_KEYCHAIN_SERVICE: keychainService,
    CUSTODIAN_KDF: 'test',
    // The plugin host runs from source, so the tests never depend on a stale build.
    CUSTODIAN_PLUGIN_HOST_FROM_SOURCE: '1',
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

function start(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
    cwd: root,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Runs one command to its end; `input` is written to its stdin (which is closed either way). */
export function cli(
  sandbox: Pick<Sandbox, 'env'>,
  args: readonly string[],
  input?: string,
): Promise<Outcome> {
  const child = start(args, sandbox.env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin?.end(input);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Server {
  child: ChildProcess;
  stderr(): string;
  /** The exit status once it has ended. */
  exited: Promise<number | null>;
}

/** Starts `custodian serve` and waits for its ready line (or its early end). */
export async function serve(sandbox: Sandbox, args: readonly string[] = []): Promise<Server> {
  const child = start(['serve', ...args], sandbox.env);
  servers.add(child);
  let log = '';
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('custodian: serving ')) resolve();
    });
    void exited.then((code) => reject(new Error(`serve ended (${code}) before it was ready`)));
    setTimeout(() => reject(new Error('serve was not ready within 30 s')), 30_000).unref();
  });
  const server = { child, stderr: () => log, exited };
  await ready.catch((error: Error) => {
    throw Object.assign(error, { server });
  });
  return server;
}

/** SIGKILLs every command still running (a test that failed while one waited). */
export function killCommands(): Promise<void> {
  return kill([...children].filter((child) => !servers.has(child)));
}

/** SIGKILLs whatever is still running, servers included. */
export function killAll(): Promise<void> {
  return kill([...children]);
}

async function kill(running: ChildProcess[]): Promise<void> {
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}
