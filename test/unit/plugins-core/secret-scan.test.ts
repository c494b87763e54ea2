import { describe, expect, it } from 'vitest';
import { containsSecret } from '../../../electron/core/credentials/secret-scan';

const secret = 'ghp_Zx9Secret-Value/+42';

describe('secret scan of plugin output', () => {
  it('finds the secret raw, JSON-escaped, as hex in either case, and as base64 or base64url', () => {
    const bytes = Buffer.from(secret);
    const outputs = [
      `token=${secret}`,
      JSON.stringify({ data: `a "quoted" ${secret}` }),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      bytes.toString('base64'),
      bytes.toString('base64url'),
    ];
    outputs.forEach((output, index) =>
      expect(containsSecret(output, [secret]), `form ${index}`).toBe(true),
    );
  });

  it('finds the secret base64-encoded inside longer data, at every alignment', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      const encoded = Buffer.from(`${prefix}${secret}-and-more`).toString('base64');
      expect(containsSecret(`{"data":"${encoded}"}`, [secret]), `prefix ${prefix.length}`).toBe(
        true,
      );
    }
  });

  it('finds a hex or base64 secret leaked as the other encoding of the bytes it holds', () => {
    const hexSecret = 'deadbeefcafebabe00112233';
    const base64Secret = Buffer.from('a token of raw bytes').toString('base64');
    expect(containsSecret(Buffer.from(hexSecret, 'hex').toString('base64'), [hexSecret])).toBe(
      true,
    );
    expect(
      containsSecret(Buffer.from(base64Secret, 'base64').toString('hex'), [base64Secret]),
    ).toBe(true);
  });

  it('lets unrelated output through', () => {
    expect(containsSecret('{"code":0,"data":"signature"}', [secret])).toBe(false);
  });

  // Issue 14: a short secret is screened too, but only as a whole token, so
  // the words it hides inside are not refused.
  it('finds a short secret as a whole token, raw, JSON-escaped, or inside decoded base64 or hex', () => {
    const short = 'ab12z';
    for (const output of [
      short,
      `pin ${short}`,
      `{"password":"${short}"}`,
      `key=${short}&x=1`,
      `Basic ${Buffer.from(`alice:${short}`).toString('base64')}`,
      Buffer.from(short).toString('hex'),
      Buffer.from(`(${short})`).toString('base64url'),
    ])
      expect(containsSecret(output, [short]), output).toBe(true);
    expect(containsSecret(JSON.stringify({ p: 'a"b1' }), ['a"b1'])).toBe(true);
    expect(containsSecret('yes', ['yes'])).toBe(true);
    expect(containsSecret('Ünïcode ab12z…', [short])).toBe(true);
  });

  it('does not refuse ordinary words that merely contain a short secret', () => {
    for (const output of ['xab12zebra', 'ab12zz', 'ab12z9', 'éab12z', 'Ab12z', 'yesterday'])
      expect(containsSecret(output, ['ab12z', 'yes']), output).toBe(false);
    expect(containsSecret('', ['ab12z'])).toBe(false);
    expect(containsSecret('anything at all', [''])).toBe(false);
  });

  it('needs no boundary on a side where the short secret itself ends in a symbol', () => {
    expect(containsSecret('x-ab1-y', ['-ab1-'])).toBe(true);
    expect(containsSecret('x-ab1y', ['-ab1'])).toBe(false);
  });
});
