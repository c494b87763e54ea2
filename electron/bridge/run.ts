import { parseArgs, USAGE, UsageError } from './args';
import { CustodianMcpServer, PROGRESS_INTERVAL_MS } from './mcp-server';
import { GuardedStdioTransport, StdinGuard } from './stdin-guard';

// The stdio MCP bridge's whole run, shared by the bundled custodian-mcp and
// `custodian mcp`. stdout carries the protocol and nothing else; every word
// for people goes to stderr, which MCP clients keep as the server's log.

declare const __CUSTODIAN_VERSION__: string | undefined;
const BUNDLED_VERSION =
  typeof __CUSTODIAN_VERSION__ === 'string' ? __CUSTODIAN_VERSION__ : '0.0.0-dev';

const log = (message: string) => process.stderr.write(`custodian-mcp: ${message}\n`);

/**
 * Serves MCP on stdin/stdout until the client closes stdin or a signal
 * arrives, then exits the process. Resolves once connected; rejects when
 * the bridge cannot start. A usage error exits with status 2.
 */
export async function runBridge(
  argv: readonly string[],
  version: string = BUNDLED_VERSION,
): Promise<void> {
  // Nothing a dependency prints may land in the protocol stream.
  console.log = console.info = console.debug = console.warn = console.error;

  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(error.message);
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  if (parsed.kind === 'help') {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const { dataDir, source } = parsed.args;
  log(`version ${version}, data folder ${dataDir} (from ${source})`);

  const bridge = new CustodianMcpServer({
    dataDir,
    version,
    log,
    progressIntervalMs: progressInterval(process.env.CUSTODIAN_PROGRESS_INTERVAL_MS),
  });
  const guard = new StdinGuard(undefined, log);
  const transport = new GuardedStdioTransport(guard, process.stdout);

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}`);
    const timer = setTimeout(() => process.exit(0), 2_000);
    timer.unref();
    bridge.close().finally(() => process.exit(0));
  };
  process.stdin.on('end', () => stop('the MCP client closed stdin'));
  process.stdin.on('error', (error) => stop(`stdin failed (${error.message})`));
  process.stdout.on('error', (error) => stop(`stdout failed (${error.message})`));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => log(`unhandled rejection: ${String(reason)}`));

  process.stdin.pipe(guard);
  await bridge.connect(transport);
}

/**
 * CUSTODIAN_PROGRESS_INTERVAL_MS may only make the beat of progress
 * notifications faster (tests use it to see many beats in little time).
 */
function progressInterval(value: string | undefined): number {
  const ms = Number(value);
  return Number.isInteger(ms) && ms >= 50 && ms < PROGRESS_INTERVAL_MS ? ms : PROGRESS_INTERVAL_MS;
}

/** For a caller that could not start the bridge: says why and exits 1. */
export function bridgeFailed(error: unknown): never {
  log(`failed to start: ${(error as Error).message}`);
  process.exit(1);
}
