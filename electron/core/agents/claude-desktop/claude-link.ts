import type { AgentConnectionInfo, ConnectResultInfo } from '../../../../shared/agents';
import { CustodianError } from '../../../../shared/errors';
import {
  bridgeEntry,
  snippetForOtherClients,
  type BridgeEntryInput,
  type McpServerEntry,
} from './bridge-entry';
import { claudeConfigPath, type ClaudeConfigPathInput } from './config-path';
import {
  ClaudeConfigError,
  claudeDesktopConnection,
  connectClaudeDesktop,
  type ClaudeConfigFs,
} from './connect';

// The Connect screen's two questions, answered for this install: is Claude
// Desktop set up to start our bridge, and please set it up. The composition
// root says how the bridge is started (the packaged launcher, or node and the
// built file); the data folder is always this core's own.

export interface ClaudeLinkOptions {
  /** Where Claude Desktop's config lives (the real OS, or a temporary home in tests). */
  location: ClaudeConfigPathInput;
  bridge: Omit<BridgeEntryInput, 'dataDir'>;
  dataDir: string;
  fs: ClaudeConfigFs;
}

export class ClaudeLink {
  constructor(private readonly options: ClaudeLinkOptions) {}

  entry(): McpServerEntry {
    return bridgeEntry({ ...this.options.bridge, dataDir: this.options.dataDir });
  }

  async connection(): Promise<AgentConnectionInfo> {
    const entry = this.entry();
    const snippet = snippetForOtherClients(entry);
    const location = claudeConfigPath(this.options.location);
    if (location.path === null)
      return {
        claude: { state: 'unavailable', path: null, message: location.reason },
        snippet,
        entry,
      };
    try {
      const state = await claudeDesktopConnection({
        path: location.path,
        entry,
        fs: this.options.fs,
      });
      return { claude: { state, path: location.path }, snippet, entry };
    } catch (error) {
      if (!(error instanceof ClaudeConfigError)) throw error;
      return {
        claude: { state: 'unreadable', path: location.path, message: error.message },
        snippet,
        entry,
      };
    }
  }

  async connect(): Promise<ConnectResultInfo> {
    const location = claudeConfigPath(this.options.location);
    if (location.path === null) throw new CustodianError('not_found', location.reason);
    try {
      return await connectClaudeDesktop({
        path: location.path,
        entry: this.entry(),
        fs: this.options.fs,
      });
    } catch (error) {
      if (!(error instanceof ClaudeConfigError)) throw error;
      throw new CustodianError('invalid_input', error.message);
    }
  }
}
