import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation';

// A plugin tool's output_schema, checked with the MCP SDK's own validator (the
// one its client uses on structuredContent): at install, that it compiles; at
// each call, that the plugin's data matches before it reaches the agent.

type Validator = JsonSchemaValidator<unknown>;

// One validator per schema object (tool lists are frozen and rebuilt only when
// a plugin changes), each on its own Ajv, so a schema's $id cannot collide with
// another plugin's and nothing compiled outlives the list that held it.
const validators = new WeakMap<object, Validator>();

function compile(schema: Record<string, unknown>): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    // $id would make Ajv cache it by name and $schema would send it looking for a meta-schema.
    const rest = { ...schema };
    delete rest.$id;
    delete rest.$schema;
    validator = new AjvJsonSchemaValidator().getValidator(rest as JsonSchemaType);
    validators.set(schema, validator);
  }
  return validator;
}

/** Why a manifest's output_schema cannot be used, or undefined when it compiles. */
export function outputSchemaProblem(schema: Record<string, unknown>): string | undefined {
  try {
    compile(schema);
    return undefined;
  } catch (error) {
    return `is not a usable JSON Schema (${(error as Error).message.slice(0, 200)})`;
  }
}

/** Undefined when `data` matches; else what is wrong, naming the field (e.g. "data/signature must be string"). */
export function outputMismatch(schema: Record<string, unknown>, data: unknown): string | undefined {
  const result = compile(schema)(data);
  return result.valid ? undefined : result.errorMessage;
}
