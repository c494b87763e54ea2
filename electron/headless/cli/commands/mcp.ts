import { bridgeFailed, runBridge } from '../../../bridge/run';
import { CLI_VERSION } from '../version';

/** The stdio MCP bridge; from here on stdout is the protocol's alone. */
export async function mcp(rest: readonly string[]): Promise<void> {
  await runBridge(rest, CLI_VERSION).catch(bridgeFailed);
}
