import { BUILTIN_TOOL_NAMES } from '../../../../shared/builtin-tools';
import type { CredentialTypeInfo } from '../../../../shared/fields';
import { TOOL_NAME_PATTERN, type PluginManifest } from '../../../../shared/manifest';
import { HTTP_REQUEST_DESCRIPTION, HTTP_REQUEST_SCHEMA } from './http-request';
import { overrideSchema, schemaForAction, type JsonSchema } from './json-schema';
import { article, cleanText, TOOL_DESCRIPTION_MAX, TOOL_NAME_MAX } from './text';
import type { AgentTool, ToolDeps } from './types';

// The tools an agent may see, built once per set of loaded plugins and their
// credential types. Built-ins first, then each loaded plugin's tools (plugins
// by name, tools in manifest order); a name taken first stays taken.

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

/**
 * What the list is built from: each loaded plugin's manifest and the types it
 * defines, as the registries hold them now. The registries make new objects
 * whenever a plugin loads, reloads or unloads and whenever a type is
 * registered, so comparing these by identity tells a change from none, with
 * nothing to keep in step with their events (unloading at lock sends none).
 */
type Inputs = readonly (string | PluginManifest | CredentialTypeInfo | undefined)[];

export class ToolList {
  private inputs: Inputs | undefined;
  private tools: readonly AgentTool[] = [];
  private byName = new Map<string, AgentTool>();

  constructor(private readonly deps: Pick<ToolDeps, 'plugins' | 'types'>) {}

  /** Every tool, frozen: the same objects until a plugin or a type changes. */
  all(): readonly AgentTool[] {
    const plugins = this.loadedPlugins();
    const inputs = plugins.flatMap(({ name, manifest }) => [
      name,
      manifest,
      ...manifest.credential_types.map((t) => this.deps.types.get(t.name)),
    ]);
    if (!this.inputs || !sameInputs(this.inputs, inputs)) {
      this.tools = deepFreeze(this.build(plugins));
      this.byName = new Map(this.tools.map((tool) => [tool.name, tool]));
      this.inputs = inputs;
    }
    return this.tools;
  }

  get(name: string): AgentTool | undefined {
    this.all();
    return this.byName.get(name);
  }

  private loadedPlugins(): { name: string; manifest: PluginManifest }[] {
    const loaded: { name: string; manifest: PluginManifest }[] = [];
    for (const info of this.deps.plugins.list()) {
      if (info.status !== 'loaded') continue;
      const plugin = this.deps.plugins.get(info.name);
      if (plugin) loaded.push({ name: plugin.name, manifest: plugin.manifest });
    }
    return loaded;
  }

  private build(plugins: { name: string; manifest: PluginManifest }[]): AgentTool[] {
    // Copies: the list is frozen, and the built-ins' schema constants stay as they are.
    const tools = structuredClone(BUILTINS);
    const taken = new Set<string>(BUILTIN_TOOL_NAMES);
    const typeName = (type: string) => this.deps.types.get(type)?.display_name ?? type;
    for (const { name, manifest } of plugins) {
      for (const tool of pluginTools(name, manifest, typeName)) {
        if (taken.has(tool.name)) continue;
        taken.add(tool.name);
        tools.push(tool);
      }
    }
    return tools;
  }
}

function sameInputs(a: Inputs, b: Inputs): boolean {
  return a.length === b.length && a.every((input, i) => input === b[i]);
}

/** The list is shared by every caller, so none may change it for the others. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
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
