import type { ActionParameter } from '../../../shared/manifest';

// Every rule an action's parameters declare, checked in main before a call
// reaches a plugin: required, type, enum_values; defaults applied.

export type ParameterCheck =
  { ok: true; parameters: Record<string, unknown> } | { ok: false; message: string };

export function checkParameters(
  declared: readonly ActionParameter[],
  given: Record<string, unknown>,
): ParameterCheck {
  const known = new Set(declared.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) return { ok: false, message: `Unknown parameter "${name}"` };
  }
  const parameters: Record<string, unknown> = {};
  for (const parameter of declared) {
    let value = given[parameter.name];
    if (value === undefined || value === null) {
      if (parameter.default !== undefined) value = parameter.default;
      else if (parameter.required)
        return { ok: false, message: `Parameter "${parameter.name}" is required` };
      else continue;
    }
    const typeError = checkType(parameter, value);
    if (typeError) return { ok: false, message: typeError };
    if (parameter.enum_values && !parameter.enum_values.includes(value as string | number)) {
      return {
        ok: false,
        message: `Parameter "${parameter.name}" must be one of ${parameter.enum_values.map((v) => JSON.stringify(v)).join(', ')}`,
      };
    }
    parameters[parameter.name] = value;
  }
  return { ok: true, parameters };
}

function checkType(parameter: ActionParameter, value: unknown): string | undefined {
  const fits = {
    string: typeof value === 'string',
    integer: typeof value === 'number' && Number.isSafeInteger(value),
    number: typeof value === 'number' && Number.isFinite(value),
    boolean: typeof value === 'boolean',
    object: typeof value === 'object' && value !== null && !Array.isArray(value),
    array: Array.isArray(value),
  }[parameter.type];
  const article = /^[aeiou]/.test(parameter.type) ? 'an' : 'a';
  return fits ? undefined : `Parameter "${parameter.name}" must be ${article} ${parameter.type}`;
}
