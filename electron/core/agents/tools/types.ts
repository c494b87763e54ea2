import type { CredentialRef } from '../../credentials/credential-lookup';
import type { CredentialService } from '../../credentials/credential-service';
import type { CredentialTypeRegistry } from '../../credentials/type-registry';
import type { PluginCalls, ResolvedActionCall } from '../../plugins/plugin-calls';
import type { PluginRegistry } from '../../plugins/plugin-registry';
import type { Vault } from '../../vault/vault';
import type { ToolAnnotations } from '../../../../shared/builtin-tools';
import type { JsonSchema } from './json-schema';

/** One tool an agent may see. */
export interface AgentTool {
  /** Exactly as the agent calls it. */
  name: string;
  description: string;
  /** MCP inputSchema. */
  inputSchema: JsonSchema;
  /** A short name for people (MCP title). */
  title: string;
  /** MCP outputSchema: what structuredContent holds when the call succeeds. */
  outputSchema?: JsonSchema;
  /** MCP annotations: hints for the client, never read by Custodian's own policy. */
  annotations: ToolAnnotations;
  /**
   * Reads only (the policy allows these by default); false for anything that
   * signs, sends or changes. Decided by Custodian (built-ins, the action's
   * name), never by what a manifest claims.
   */
  readOnly: boolean;
  /**
   * It has effects outside Custodian: it sends over the network (http_request,
   * a plugin granted a host). Its call is recorded as decided before it runs;
   * any other allowed call is recorded once, decision and outcome together.
   */
  reachesOut: boolean;
  /** Where it comes from: Custodian itself, or a plugin's action. */
  source: { kind: 'builtin' } | { kind: 'plugin'; plugin: string; action: string };
}

/**
 * One tool call, looked up once by the catalog: what the policy, the person,
 * the audit log and the run all use, so none of them looks anything up again.
 */
export interface ResolvedToolCall {
  readonly tool: AgentTool;
  /** Exactly as the agent sent them (the audit log hashes these). */
  readonly args: Record<string, unknown>;
  /** The stored credential the call names, by id, name and type; null when it names none that exists. */
  readonly credential: CredentialRef | null;
  /** How it runs: a built-in, a plugin action resolved once, or an answer already known. */
  readonly plan:
    | {
        kind: 'builtin';
        /** Looking the credential up failed (locked): told when it runs. */ lookupFailed?: unknown;
      }
    | { kind: 'plugin'; action: ResolvedActionCall }
    | { kind: 'refused'; result: ToolResult };
}

/** An MCP tools/call result. */
export interface ToolResult {
  content: { type: 'text'; text: string }[];
  /** For a tool with an outputSchema: the same data as the text, as the schema describes it. */
  structuredContent?: Record<string, unknown>;
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

/** A successful result of a tool with an outputSchema: the data, and the same as text (as MCP asks). */
export function structuredResult(data: Record<string, unknown>): ToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(data, null, 2) }],
    structuredContent: data,
  };
}
