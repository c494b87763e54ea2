import { BUILTIN_TOOL_NAMES, BUILTIN_TOOLS } from '../../../../shared/builtin-tools';
import type { CredentialTypeInfo } from '../../../../shared/fields';
import {
  TOOL_NAME_PATTERN,
  type Capabilities,
  type PluginManifest,
} from '../../../../shared/manifest';
import { outputSchemaFor, overrideSchema, schemaForAction, type JsonSchema } from './json-schema';
import { article, cleanText, TOOL_DESCRIPTION_MAX, TOOL_NAME_MAX } from './text';
import type { AgentTool, ToolDeps } from './types';

// The tools an agent may see, built once per set of loaded plugins and their
// credential types. Built-ins first, then each loaded plugin's tools (plugins
// by name, tools in manifest order); a name taken first stays taken.

const BUILTINS: AgentTool[] = BUILTIN_TOOLS.map((tool) => ({
  name: tool.name,
  title: tool.title,
  description: tool.description,
  inputSchema: tool.inputSchema as JsonSchema,
  outputSchema: tool.outputSchema as JsonSchema,
  annotations: tool.annotations,
  // The policy's default: list_credentials and credential_info only read.
  readOnly: tool.annotations.readOnlyHint === true,
  // Of the built-ins only http_request sends anything anywhere.
  reachesOut: tool.name === 'http_request',
  source: { kind: 'builtin' },
}));

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
type Inputs = readonly (string | object | CredentialTypeInfo | undefined)[];

export class ToolList {
  private inputs: Inputs | undefined;
  private tools: readonly AgentTool[] = [];
  private byName = new Map<string, AgentTool>();

  constructor(private readonly deps: Pick<ToolDeps, 'plugins' | 'types'>) {}

  /** Every tool, frozen: the same objects until a plugin or a type changes. */
  all(): readonly AgentTool[] {
    const plugins = this.loadedPlugins();
    const inputs = plugins.flatMap(({ name, manifest, granted }) => [
      name,
      manifest,
      granted,
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

  private loadedPlugins(): LoadedTools[] {
    const loaded: LoadedTools[] = [];
    for (const info of this.deps.plugins.list()) {
      if (info.status !== 'loaded') continue;
      const plugin = this.deps.plugins.get(info.name);
      if (plugin)
        loaded.push({
          name: plugin.name,
          manifest: plugin.manifest,
          granted: plugin.record.granted,
        });
    }
    return loaded;
  }

  private build(plugins: LoadedTools[]): AgentTool[] {
    // Copies: the list is frozen, and the built-ins' schema constants stay as they are.
    const tools = structuredClone(BUILTINS);
    const taken = new Set<string>(BUILTIN_TOOL_NAMES);
    const typeName = (type: string) => this.deps.types.get(type)?.display_name ?? type;
    for (const { name, manifest, granted } of plugins) {
      // It reaches the open web exactly when it holds a granted host, whatever its manifest says.
      const openWorld = manifest.capabilities.http.some((host) => granted.http.includes(host));
      for (const tool of pluginTools(name, manifest, typeName, openWorld)) {
        if (taken.has(tool.name)) continue;
        taken.add(tool.name);
        tools.push(tool);
      }
    }
    return tools;
  }
}

/** A loaded plugin as its tools are built from: its manifest and what the person granted it. */
interface LoadedTools {
  name: string;
  manifest: PluginManifest;
  granted: Capabilities;
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
  openWorld: boolean,
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
    const readOnly = isReadOnlyAction(action.name);
    const title = cleanText(definition.title ?? '', 100) || titleOf(name);
    tools.push({
      name,
      title,
      description: cleanText(definition.description || action.description, TOOL_DESCRIPTION_MAX),
      inputSchema,
      ...(definition.output_schema
        ? { outputSchema: outputSchemaFor(definition.output_schema) }
        : {}),
      annotations: {
        title,
        readOnlyHint: definition.read_only ?? readOnly,
        ...(definition.destructive !== undefined
          ? { destructiveHint: definition.destructive }
          : {}),
        ...(definition.idempotent !== undefined ? { idempotentHint: definition.idempotent } : {}),
        openWorldHint: openWorld,
      },
      readOnly,
      reachesOut: openWorld,
      source: { kind: 'plugin', plugin, action: action.name },
    });
  }
  return tools;
}

/** A title from a tool's name when its manifest gives none: pgp_sign -> "Pgp sign". */
function titleOf(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
