import { parseArgs, USAGE, UsageError } from './args';
import { CustodianMcpServer } from './mcp-server';
import { GuardedStdioTransport, StdinGuard } from './stdin-guard';

// custodian-mcp: the stdio MCP bridge an MCP client (Claude Desktop) starts.
// stdout carries the protocol and nothing else; every word for people goes to
// stderr, which MCP clients keep as the server's log.

declare const __CUSTODIAN_VERSION__: string | undefined;
const VERSION = typeof __CUSTODIAN_VERSION__ === 'string' ? __CUSTODIAN_VERSION__ : '0.0.0-dev';

const log = (message: string) => process.stderr.write(`custodian-mcp: ${message}\n`);

// Nothing a dependency prints may land in the protocol stream.
console.log = console.info = console.debug = console.warn = console.error;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
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
  log(`version ${VERSION}, data folder ${dataDir} (from ${source})`);

  const bridge = new CustodianMcpServer({ dataDir, version: VERSION, log });
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

main().catch((error: unknown) => {
  log(`failed to start: ${(error as Error).message}`);
  process.exit(1);
});
