import type { ActionParameter, PluginAction } from '../../../../shared/manifest';
import { cleanJson, cleanText } from './text';

// MCP input schemas (JSON Schema) for plugin tools, generated from the action's
// declared parameters.

export interface JsonSchema {
  type: 'object';
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  additionalProperties?: boolean;
  [key: string]: unknown;
}

const PARAMETER_DESCRIPTION_MAX = 500;

function parameterSchema(parameter: ActionParameter): Record<string, unknown> {
  const schema: Record<string, unknown> = { type: parameter.type };
  const description = cleanText(parameter.description, PARAMETER_DESCRIPTION_MAX);
  if (description) schema.description = description;
  if (parameter.enum_values) schema.enum = [...parameter.enum_values];
  if (parameter.default !== undefined) schema.default = cleanJson(parameter.default);
  return schema;
}

/**
 * The schema of one action's parameters. `credential`, when given, is the
 * description of a required `credential` property naming the credential to use.
 */
export function schemaForAction(action: PluginAction, credential?: string): JsonSchema {
  const properties: JsonSchema['properties'] = {};
  const required: string[] = [];
  if (credential !== undefined) {
    properties.credential = credentialProperty(credential);
    required.push('credential');
  }
  for (const parameter of action.parameters) {
    properties[parameter.name] = parameterSchema(parameter);
    if (parameter.required) required.push(parameter.name);
  }
  return {
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

export function credentialProperty(description: string): Record<string, unknown> {
  return { type: 'string', description };
}

/**
 * A manifest's own input_schema: its strings cleaned, and the `credential`
 * property (when the plugin has credential types) put back as required,
 * whatever the override said about it.
 */
export function overrideSchema(override: Record<string, unknown>, credential?: string): JsonSchema {
  const cleaned = cleanJson(override) as Record<string, unknown>;
  const rawProperties = cleaned.properties;
  const properties: JsonSchema['properties'] =
    rawProperties && typeof rawProperties === 'object' && !Array.isArray(rawProperties)
      ? ({ ...rawProperties } as JsonSchema['properties'])
      : {};
  const required = Array.isArray(cleaned.required)
    ? cleaned.required.filter((r): r is string => typeof r === 'string')
    : [];
  if (credential !== undefined) {
    properties.credential = credentialProperty(credential);
    if (!required.includes('credential')) required.unshift('credential');
  }
  return {
    ...cleaned,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
  };
}

/** A manifest's output_schema as agents are shown it: its strings cleaned, always of type object. */
export function outputSchemaFor(schema: Record<string, unknown>): JsonSchema {
  const cleaned = cleanJson(schema) as Record<string, unknown>;
  const properties = cleaned.properties;
  return {
    ...cleaned,
    type: 'object',
    properties:
      properties && typeof properties === 'object' && !Array.isArray(properties)
        ? (properties as JsonSchema['properties'])
        : {},
  };
}
