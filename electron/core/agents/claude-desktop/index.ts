export { claudeConfigPath, CLAUDE_CONFIG_FILE } from './config-path';
export type { ClaudeConfigLocation, ClaudeConfigPathInput } from './config-path';
export { bridgeEntry, snippetForOtherClients, SERVER_NAME } from './bridge-entry';
export type { BridgeEntryInput, McpServerEntry } from './bridge-entry';
export {
  ClaudeConfigError,
  claudeDesktopConnection,
  connectClaudeDesktop,
  disconnectClaudeDesktop,
} from './connect';
export type {
  ClaudeConfigErrorCode,
  ClaudeConfigFs,
  ConnectInput,
  ConnectionState,
  ConnectResult,
  DisconnectResult,
} from './connect';
export { ClaudeLink, type ClaudeLinkOptions } from './claude-link';
