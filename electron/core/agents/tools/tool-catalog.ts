import { z } from 'zod';
import { BUILTIN_TOOL_NAMES } from '../../../../shared/builtin-tools';
import { CustodianError } from '../../../../shared/errors';
import { TOOL_NAME_PATTERN, type PluginManifest } from '../../../../shared/manifest';
import { containsSecretForm } from '../../plugins/secret-scan';
import type { StoredCredential } from '../../vault/vault-content';
import {
  HTTP_CREDENTIAL_TYPES,
  HTTP_DEFAULTS,
  HTTP_REQUEST_DESCRIPTION,
  HTTP_REQUEST_SCHEMA,
  httpRequestArgs,
  runHttpRequest,
  type HttpRequestOptions,
} from './http-request';
import { overrideSchema, schemaForAction, type JsonSchema } from './json-schema';
import { article, cleanText, TOOL_DESCRIPTION_MAX, TOOL_NAME_MAX } from './text';
import { textResult, type AgentTool, type ToolDeps, type ToolResult } from './types';
import { allSecretForms } from '../../credentials/secret-values';
import { sameCredentialName } from '../../credentials/credential-names';
import { UsageRecorder } from './usage-recorder';

// Every tool an agent may see, and calling them. Built-ins run here; plugin
// tools go through PluginCalls, which checks parameters and withholds the
// credential's secrets. Whatever a tool answers is checked once more against
// every stored secret in the vault before it is returned.

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

const BUILTINS: AgentTool[] = [
  {
    name: 'list_credentials',
    description:
      'List the credentials stored in Custodian: names, types and descriptions (never secret values). Optionally filter by text or by type.',
    inputSchema: {
      type: 'object',
      properties: {
        query: {
          type: 'string',
          description: 'Text to look for in names, types and descriptions.',
        },
        type: { type: 'string', description: 'Only credentials of this type, e.g. api_key.' },
      },
      additionalProperties: false,
    },
    readOnly: true,
    source: { kind: 'builtin' },
  },
  {
    name: 'credential_info',
    description:
      'Details of one credential by name: its type, description, dates and which fields are set (never their values).',
    inputSchema: {
      type: 'object',
      properties: { credential: { type: 'string', description: 'The credential’s name.' } },
      required: ['credential'],
      additionalProperties: false,
    },
    readOnly: true,
    source: { kind: 'builtin' },
  },
  {
    name: 'http_request',
    description: HTTP_REQUEST_DESCRIPTION,
    inputSchema: HTTP_REQUEST_SCHEMA,
    readOnly: false,
    source: { kind: 'builtin' },
  },
];

/** Plugin actions that only read: get_*, list_*, verify*, key_info. */
export function isReadOnlyAction(action: string): boolean {
  return /^(get_|list_|verify)/.test(action) || action === 'key_info';
}

export class ToolCatalog {
  private readonly http: HttpRequestOptions;
  private readonly usage: UsageRecorder;

  constructor(
    private readonly deps: ToolDeps,
    options: ToolCatalogOptions = {},
  ) {
    this.http = { ...HTTP_DEFAULTS, ...options.http };
    this.usage = new UsageRecorder(deps.vault);
  }

  /** Once every credential's last-used time so far is saved (before locking, and for tests). */
  usageSaved(): Promise<void> {
    return this.usage.settled();
  }

  /** Built-ins first, then each loaded plugin's tools (plugins by name, tools in manifest order). */
  list(): AgentTool[] {
    const tools = BUILTINS.map((tool) => structuredClone(tool));
    const taken = new Set<string>(BUILTIN_TOOL_NAMES);
    for (const info of this.deps.plugins.list()) {
      if (info.status !== 'loaded') continue;
      const plugin = this.deps.plugins.get(info.name);
      if (!plugin) continue;
      for (const tool of pluginTools(plugin.name, plugin.manifest, (n) => this.typeName(n))) {
        if (taken.has(tool.name)) continue;
        taken.add(tool.name);
        tools.push(tool);
      }
    }
    return tools;
  }

  /** One tool by name, if an agent may see it. */
  get(name: string): AgentTool | undefined {
    return this.list().find((tool) => tool.name === name);
  }

  /** Runs a tool. Never throws: every failure is an isError result with a message for the agent. */
  async callTool(name: string, args: unknown, signal?: AbortSignal): Promise<ToolResult> {
    let result: ToolResult;
    try {
      result = await this.dispatch(name, args ?? {}, signal);
    } catch (error) {
      result = textResult(
        error instanceof CustodianError
          ? error.message
          : `${cleanText(name, TOOL_NAME_MAX)} failed unexpectedly`,
        true,
      );
    }
    return this.screen(name, result);
  }

  private async dispatch(name: string, args: unknown, signal?: AbortSignal): Promise<ToolResult> {
    if (!args || typeof args !== 'object' || Array.isArray(args))
      return textResult(`${name}: the arguments must be a JSON object`, true);
    switch (name) {
      case 'list_credentials':
        return this.listCredentials(args);
      case 'credential_info':
        return this.credentialInfo(args);
      case 'http_request':
        return this.httpRequest(args);
    }
    const tool = this.get(name);
    if (tool?.source.kind !== 'plugin')
      return textResult(
        `No tool named "${cleanText(name, TOOL_NAME_MAX)}". List the tools to see what is available.`,
        true,
      );
    return this.pluginTool(tool, tool.source, args as Record<string, unknown>, signal);
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
    return textResult(JSON.stringify({ credentials: list }, null, 2));
  }

  private credentialInfo(raw: object): ToolResult {
    const args = infoArgs.safeParse(raw);
    if (!args.success) return invalid('credential_info', args.error);
    const credential = this.find(args.data.credential);
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
    return textResult(
      JSON.stringify(
        {
          name: credential.name,
          type: credential.type,
          type_name: this.typeName(credential.type),
          description: credential.description,
          created_at: credential.createdAt,
          updated_at: credential.updatedAt,
          last_used_at: credential.lastUsedAt,
          fields,
        },
        null,
        2,
      ),
    );
  }

  private async httpRequest(raw: object): Promise<ToolResult> {
    const args = httpRequestArgs.safeParse(raw);
    if (!args.success) return invalid('http_request', args.error);
    const credential = this.find(args.data.credential);
    if (!credential) return noCredential(args.data.credential);
    if (!(HTTP_CREDENTIAL_TYPES as readonly string[]).includes(credential.type))
      return wrongType(
        credential,
        this.typeName(credential.type),
        'http_request',
        HTTP_CREDENTIAL_TYPES.map((t) => this.typeName(t)),
      );
    const forms = allSecretForms(this.deps.vault, this.deps.types);
    const result = await runHttpRequest(args.data, credential, forms, this.http);
    if (!result.isError || result.content[0]?.text.includes('(HTTP '))
      this.usage.mark(credential.id);
    return result;
  }

  private async pluginTool(
    tool: AgentTool,
    source: { plugin: string; action: string },
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ToolResult> {
    const plugin = this.deps.plugins.get(source.plugin);
    if (!plugin) return textResult(`The plugin behind ${tool.name} is not loaded`, true);
    const ownTypes = plugin.manifest.credential_types.map((t) => t.name);
    const { credential: name, ...parameters } = args;
    let credential: StoredCredential | undefined;
    if (ownTypes.length > 0) {
      if (typeof name !== 'string' || name.trim() === '')
        return textResult(
          `${tool.name} needs "credential": the name of the credential to use`,
          true,
        );
      credential = this.find(name);
      if (!credential) return noCredential(name);
      if (!ownTypes.includes(credential.type))
        return wrongType(
          credential,
          this.typeName(credential.type),
          tool.name,
          ownTypes.map((t) => this.typeName(t)),
        );
    } else if (name !== undefined) {
      return textResult(`${tool.name} takes no credential`, true);
    }
    const response = await this.deps.pluginCalls.run(
      {
        plugin: source.plugin,
        action: source.action,
        ...(credential ? { credential: { name: credential.name } } : {}),
        parameters,
      },
      signal,
    );
    if (response.code !== 0)
      return textResult(response.error ?? `${tool.name} failed (code ${response.code})`, true);
    if (credential) this.usage.mark(credential.id);
    const data = response.data;
    return textResult(
      typeof data === 'string' ? data : (JSON.stringify(data ?? null, null, 2) ?? 'null'),
    );
  }

  /** The last line of defence: no stored secret of any credential leaves in a tool result. */
  private screen(name: string, result: ToolResult): ToolResult {
    let forms: string[];
    try {
      forms = allSecretForms(this.deps.vault, this.deps.types);
    } catch {
      return result; // locked: nothing decrypted to leak
    }
    const text = result.content.map((c) => c.text).join('\n');
    if (!containsSecretForm(text, forms)) return result;
    return textResult(`${name} returned a stored secret, so Custodian withheld its output.`, true);
  }

  private find(name: string): StoredCredential | undefined {
    const wanted = name.trim();
    return this.deps.vault.read((content) => {
      const found = content.credentials.find((c) => sameCredentialName(c.name, wanted));
      return found ? structuredClone(found) : undefined;
    });
  }

  private typeName(type: string): string {
    return this.deps.types.get(type)?.display_name ?? type;
  }
}

/** The tools one plugin offers; a tool whose name breaks the rules is left out. */
function pluginTools(
  plugin: string,
  manifest: PluginManifest,
  typeName: (type: string) => string,
): AgentTool[] {
  const displayNames = manifest.credential_types.map((t) =>
    cleanText(typeName(t.name) || t.display_name, 100),
  );
  const credential =
    displayNames.length > 0
      ? `Name of ${article(displayNames[0] ?? '')} ${displayNames.join(' or ')} credential`
      : undefined;
  const tools: AgentTool[] = [];
  for (const definition of manifest.mcp_tools) {
    const name = definition.name;
    if (name.length > TOOL_NAME_MAX || !TOOL_NAME_PATTERN.test(name)) continue;
    const action = manifest.actions.find((a) => a.name === definition.action);
    if (!action) continue;
    const inputSchema: JsonSchema = definition.input_schema
      ? overrideSchema(definition.input_schema, credential)
      : schemaForAction(action, credential);
    tools.push({
      name,
      description: cleanText(definition.description || action.description, TOOL_DESCRIPTION_MAX),
      inputSchema,
      readOnly: isReadOnlyAction(action.name),
      source: { kind: 'plugin', plugin, action: action.name },
    });
  }
  return tools;
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
  credential: StoredCredential,
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
