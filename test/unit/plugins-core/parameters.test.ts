import { describe, expect, it } from 'vitest';
import { checkParameters } from '../../../electron/core/plugins/parameters';
import { actionParameterSchema } from '../../../shared/manifest';

const declared = [
  { name: 'data', type: 'string', required: true },
  { name: 'hash', type: 'string', default: 'sha256', enum_values: ['sha256', 'sha512'] },
  { name: 'count', type: 'integer' },
  { name: 'ratio', type: 'number' },
  { name: 'armor', type: 'boolean', default: true },
  { name: 'options', type: 'object' },
  { name: 'items', type: 'array' },
].map((p) => actionParameterSchema.parse(p));

describe('action parameters', () => {
  it('applies defaults and passes valid values through', () => {
    expect(
      checkParameters(declared, { data: 'x', count: 3, ratio: 0.5, options: {}, items: [] }),
    ).toEqual({
      ok: true,
      parameters: {
        data: 'x',
        hash: 'sha256',
        count: 3,
        ratio: 0.5,
        armor: true,
        options: {},
        items: [],
      },
    });
  });

  it.each([
    [{}, 'Parameter "data" is required'],
    [{ data: 1 }, 'Parameter "data" must be a string'],
    [{ data: 'x', count: 1.5 }, 'Parameter "count" must be an integer'],
    [{ data: 'x', ratio: 'a' }, 'Parameter "ratio" must be a number'],
    [{ data: 'x', ratio: Number.NaN }, 'Parameter "ratio" must be a number'],
    [{ data: 'x', armor: 'yes' }, 'Parameter "armor" must be a boolean'],
    [{ data: 'x', options: [] }, 'Parameter "options" must be an object'],
    [{ data: 'x', items: {} }, 'Parameter "items" must be an array'],
    [{ data: 'x', hash: 'md5' }, 'Parameter "hash" must be one of "sha256", "sha512"'],
    [{ data: 'x', extra: 1 }, 'Unknown parameter "extra"'],
  ])('refuses %j: %s', (given, message) => {
    expect(checkParameters(declared, given)).toEqual({ ok: false, message });
  });
});
