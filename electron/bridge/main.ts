import { bridgeFailed, runBridge } from './run';

// custodian-mcp: the stdio MCP bridge an MCP client (Claude Desktop) starts.

runBridge(process.argv.slice(2)).catch(bridgeFailed);
