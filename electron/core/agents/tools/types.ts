import type { CredentialService } from '../../credentials/credential-service';
import type { CredentialTypeRegistry } from '../../credentials/type-registry';
import type { PluginCalls } from '../../plugins/plugin-calls';
import type { PluginRegistry } from '../../plugins/plugin-registry';
import type { Vault } from '../../vault/vault';
import type { JsonSchema } from './json-schema';

/** One tool an agent may see. */
export interface AgentTool {
  /** Exactly as the agent calls it. */
  name: string;
  description: string;
  /** MCP inputSchema. */
  inputSchema: JsonSchema;
  /** Reads only (the policy allows these by default); false for anything that signs, sends or changes. */
  readOnly: boolean;
  /** Where it comes from: Custodian itself, or a plugin's action. */
  source: { kind: 'builtin' } | { kind: 'plugin'; plugin: string; action: string };
}

/** An MCP tools/call result. */
export interface ToolResult {
  content: { type: 'text'; text: string }[];
  isError?: boolean;
}

/** The parts of the Core the tools use (a Core satisfies this). */
export interface ToolDeps {
  vault: Pick<Vault, 'read' | 'update'>;
  types: Pick<CredentialTypeRegistry, 'get'>;
  credentials: Pick<CredentialService, 'list'>;
  plugins: Pick<PluginRegistry, 'list' | 'get'>;
  pluginCalls: Pick<PluginCalls, 'run'>;
}

export function textResult(text: string, isError = false): ToolResult {
  return { content: [{ type: 'text', text }], ...(isError ? { isError: true } : {}) };
}
