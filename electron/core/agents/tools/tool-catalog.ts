import { z } from 'zod';
import { CustodianError } from '../../../../shared/errors';
import { containsSecretForm, type SecretForm } from '../../credentials/secret-scan';
import {
  findCredentialRef,
  storedCredential,
  type CredentialRef,
} from '../../credentials/credential-lookup';
import { allSecretForms } from '../../credentials/secret-values';
import { ResolvedActionCall } from '../../plugins/plugin-calls';
import {
  HTTP_CREDENTIAL_TYPES,
  HTTP_DEFAULTS,
  httpRequestArgs,
  runHttpRequest,
  type HttpRequestOptions,
} from './http-request';
import { article, cleanText, TOOL_NAME_MAX } from './text';
import { outputMismatch } from '../../plugins/output-schema';
import { ToolList } from './tool-list';
import {
  structuredResult,
  textResult,
  type AgentTool,
  type ResolvedToolCall,
  type ToolDeps,
  type ToolResult,
} from './types';
import { UsageRecorder } from './usage-recorder';

// Every tool an agent may see, and calling them. A call is resolved once (the
// tool, its plugin's action, the credential by id, name and type) and that is
// what the policy, the person, the audit log and the run all use. Built-ins
// run here; plugin tools go through PluginCalls, which checks parameters and
// withholds the credential's secrets. Whatever a tool answers is checked once
// more against every stored secret in the vault before it is returned.

export interface ToolCatalogOptions {
  http?: Partial<HttpRequestOptions>;
}

const listArgs = z
  .object({
    query: z.string().max(200).optional(),
    type: z.string().max(64).optional(),
  })
  .strict();
const infoArgs = z.object({ credential: z.string().min(1).max(200) }).strict();

/** Tools whose "credential" argument names a stored credential. */
const BUILTINS_WITH_CREDENTIAL: ReadonlySet<string> = new Set(['credential_info', 'http_request']);

export class ToolCatalog {
  private readonly http: HttpRequestOptions;
  private readonly usage: UsageRecorder;
  private readonly tools: ToolList;

  constructor(
    private readonly deps: ToolDeps,
    options: ToolCatalogOptions = {},
  ) {
    this.http = { ...HTTP_DEFAULTS, ...options.http };
    this.usage = new UsageRecorder(deps.vault);
    this.tools = new ToolList(deps);
  }

  /** Once every credential's last-used time so far is saved (before locking, and for tests). */
  usageSaved(): Promise<void> {
    return this.usage.settled();
  }

  /** Built-ins first, then each loaded plugin's tools (plugins by name, tools in manifest order). */
  list(): AgentTool[] {
    return [...this.tools.all()];
  }

  /** One tool by name, if an agent may see it. */
  get(name: string): AgentTool | undefined {
    return this.tools.get(name);
  }

  /**
   * Looks a call up once: the tool, and for a plugin tool its plugin and action;
   * the credential it names by id, name and type (never its fields). Undefined
   * when no such tool exists. Never throws: what stops the call from running
   * is kept and answered by run(), after the policy has had its say, as always.
   */
  resolve(name: string, args: Record<string, unknown>): ResolvedToolCall | undefined {
    const tool = this.get(name);
    if (!tool) return undefined;
    if (tool.source.kind === 'plugin') return this.resolvePlugin(tool, tool.source, args);
    if (!BUILTINS_WITH_CREDENTIAL.has(tool.name) || typeof args.credential !== 'string')
      return { tool, args, credential: null, plan: { kind: 'builtin' } };
    const named = args.credential;
    try {
      const credential = this.find(named) ?? null;
      return { tool, args, credential, plan: { kind: 'builtin' } };
    } catch (error) {
      return { tool, args, credential: null, plan: { kind: 'builtin', lookupFailed: error } };
    }
  }

  /** Runs a resolved call. Never throws: every failure is an isError result with a message for the agent. */
  async run(call: ResolvedToolCall, signal?: AbortSignal): Promise<ToolResult> {
    let result: ToolResult;
    try {
      result = await this.dispatch(call, signal);
    } catch (error) {
      result = failure(call.tool.name, error);
    }
    return this.screen(call.tool.name, result);
  }

  /** Resolves and runs a tool by name. Never throws, as run(). */
  async callTool(name: string, args: unknown, signal?: AbortSignal): Promise<ToolResult> {
    const input = args ?? {};
    if (typeof input !== 'object' || Array.isArray(input))
      return this.screen(name, textResult(`${name}: the arguments must be a JSON object`, true));
    const call = this.resolve(name, input as Record<string, unknown>);
    if (!call)
      return this.screen(
        name,
        textResult(
          `No tool named "${cleanText(name, TOOL_NAME_MAX)}". List the tools to see what is available.`,
          true,
        ),
      );
    return this.run(call, signal);
  }

  private async dispatch(call: ResolvedToolCall, signal?: AbortSignal): Promise<ToolResult> {
    const { plan } = call;
    if (plan.kind === 'refused') return plan.result;
    if (plan.kind === 'plugin')
      return this.pluginTool(call.tool, plan.action, call.credential, signal);
    switch (call.tool.name) {
      case 'list_credentials':
        return this.listCredentials(call.args);
      case 'credential_info':
        return this.credentialInfo(call);
      case 'http_request':
        return this.httpRequest(call);
    }
    throw new CustodianError('internal', `${call.tool.name} has no built-in implementation`);
  }

  private listCredentials(raw: object): ToolResult {
    const args = listArgs.safeParse(raw);
    if (!args.success) return invalid('list_credentials', args.error);
    const list = this.deps.credentials.list(args.data).map((c) => ({
      name: c.name,
      type: c.type,
      type_name: this.typeName(c.type),
      description: c.description,
    }));
    return structuredResult({ credentials: list });
  }

  private credentialInfo(call: ResolvedToolCall): ToolResult {
    const args = infoArgs.safeParse(call.args);
    if (!args.success) return invalid('credential_info', args.error);
    const ref = resolvedCredential(call);
    const credential = ref && storedCredential(this.deps.vault, ref.id);
    if (!credential) return noCredential(args.data.credential);
    const type = this.deps.types.get(credential.type);
    const names = type ? type.fields.map((f) => f.name) : Object.keys(credential.fields);
    const fields = names.map((field) => {
      const definition = type?.fields.find((f) => f.name === field);
      const value = credential.fields[field];
      return {
        name: field,
        label: definition?.label ?? field,
        secret: definition?.secret ?? true,
        set: value !== undefined && value !== '' && value !== false,
      };
    });
    return structuredResult({
      name: credential.name,
      type: credential.type,
      type_name: this.typeName(credential.type),
      description: credential.description,
      created_at: credential.createdAt,
      updated_at: credential.updatedAt,
      last_used_at: credential.lastUsedAt,
      fields,
    });
  }

  private async httpRequest(call: ResolvedToolCall): Promise<ToolResult> {
    const args = httpRequestArgs.safeParse(call.args);
    if (!args.success) return invalid('http_request', args.error);
    const ref = resolvedCredential(call);
    if (!ref) return noCredential(args.data.credential);
    if (!(HTTP_CREDENTIAL_TYPES as readonly string[]).includes(ref.type))
      return wrongType(
        ref,
        this.typeName(ref.type),
        'http_request',
        HTTP_CREDENTIAL_TYPES.map((t) => this.typeName(t)),
      );
    const credential = storedCredential(this.deps.vault, ref.id);
    if (!credential) return noCredential(args.data.credential);
    const forms = allSecretForms(this.deps.vault, this.deps.types);
    const result = await runHttpRequest(args.data, credential, forms, this.http);
    if (!result.isError || result.content[0]?.text.includes('(HTTP '))
      this.usage.mark(credential.id);
    return result;
  }

  /** A plugin tool's call, checked as an agent's input: the credential it needs, of a type its plugin defines. */
  private resolvePlugin(
    tool: AgentTool,
    source: { plugin: string; action: string },
    args: Record<string, unknown>,
  ): ResolvedToolCall {
    const refused = (result: ToolResult, credential: CredentialRef | null = null) => ({
      tool,
      args,
      credential,
      plan: { kind: 'refused' as const, result },
    });
    const plugin = this.deps.plugins.get(source.plugin);
    const action = plugin?.manifest.actions.find((a) => a.name === source.action);
    if (!plugin || !action)
      return refused(textResult(`The plugin behind ${tool.name} is not loaded`, true));
    const ownTypes = plugin.manifest.credential_types.map((t) => t.name);
    const { credential: name, ...parameters } = args;
    let credential: CredentialRef | undefined;
    if (ownTypes.length > 0) {
      if (typeof name !== 'string' || name.trim() === '')
        return refused(
          textResult(`${tool.name} needs "credential": the name of the credential to use`, true),
        );
      try {
        credential = this.find(name);
      } catch (error) {
        return refused(failure(tool.name, error));
      }
      if (!credential) return refused(noCredential(name));
      if (!ownTypes.includes(credential.type))
        return refused(
          wrongType(
            credential,
            this.typeName(credential.type),
            tool.name,
            ownTypes.map((t) => this.typeName(t)),
          ),
          credential,
        );
    } else if (name !== undefined) {
      return refused(textResult(`${tool.name} takes no credential`, true));
    }
    return {
      tool,
      args,
      credential: credential ?? null,
      plan: {
        kind: 'plugin',
        action: new ResolvedActionCall(plugin, action, credential, parameters),
      },
    };
  }

  private async pluginTool(
    tool: AgentTool,
    action: ResolvedActionCall,
    credential: CredentialRef | null,
    signal?: AbortSignal,
  ): Promise<ToolResult> {
    const response = await this.deps.pluginCalls.run(action, signal);
    if (response.code !== 0)
      return textResult(response.error ?? `${tool.name} failed (code ${response.code})`, true);
    if (credential) this.usage.mark(credential.id);
    const data = response.data;
    if (tool.outputSchema) return structuredPluginResult(tool.name, tool.outputSchema, data);
    return textResult(
      typeof data === 'string' ? data : (JSON.stringify(data ?? null, null, 2) ?? 'null'),
    );
  }

  /** The last line of defence: no stored secret of any credential leaves in a tool result. */
  private screen(name: string, result: ToolResult): ToolResult {
    let forms: SecretForm[];
    try {
      forms = allSecretForms(this.deps.vault, this.deps.types);
    } catch {
      return result; // locked: nothing decrypted to leak
    }
    const text = [
      ...result.content.map((c) => c.text),
      ...(result.structuredContent ? [JSON.stringify(result.structuredContent)] : []),
    ].join('\n');
    if (!containsSecretForm(text, forms)) return result;
    return textResult(`${name} returned a stored secret, so Custodian withheld its output.`, true);
  }

  private find(name: string): CredentialRef | undefined {
    return findCredentialRef(this.deps.vault, { name: name.trim() });
  }

  private typeName(type: string): string {
    return this.deps.types.get(type)?.display_name ?? type;
  }
}

/** The credential a built-in's call resolved to; a lookup that failed (locked) fails here, where it always did. */
function resolvedCredential(call: ResolvedToolCall): CredentialRef | null {
  if (call.plan.kind === 'builtin' && 'lookupFailed' in call.plan) throw call.plan.lookupFailed;
  return call.credential;
}

/**
 * A plugin's data for a tool that declares an output_schema: checked with the
 * MCP SDK's validator before the agent sees it; a mismatch names the field.
 */
function structuredPluginResult(
  tool: string,
  schema: Record<string, unknown>,
  data: unknown,
): ToolResult {
  const problem =
    data !== null && typeof data === 'object' && !Array.isArray(data)
      ? outputMismatch(schema, data)
      : 'data must be object';
  if (problem)
    return textResult(
      `${tool}: the plugin's output does not match its output_schema (${cleanText(problem, 300)}), so Custodian did not pass it on.`,
      true,
    );
  return structuredResult(data as Record<string, unknown>);
}

function failure(tool: string, error: unknown): ToolResult {
  return textResult(
    error instanceof CustodianError
      ? error.message
      : `${cleanText(tool, TOOL_NAME_MAX)} failed unexpectedly`,
    true,
  );
}

function invalid(tool: string, error: z.ZodError): ToolResult {
  const issue = error.issues[0];
  const where = issue?.path.length ? `"${issue.path.join('.')}"` : 'the arguments';
  return textResult(
    `${tool}: ${where} ${issue ? issue.message.toLowerCase() : 'are invalid'}`,
    true,
  );
}

function noCredential(name: string): ToolResult {
  return textResult(
    `No credential named "${cleanText(name, 200)}". Use list_credentials to see the names.`,
    true,
  );
}

function wrongType(
  credential: CredentialRef,
  typeName: string,
  tool: string,
  needed: string[],
): ToolResult {
  const first = needed[0] ?? '';
  return textResult(
    `Credential "${credential.name}" is of type ${credential.type} (${typeName}); ${tool} needs ${article(first)} ${needed.join(' or ')}`,
    true,
  );
}
