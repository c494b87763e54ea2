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

  it('lets unrelated output through, and ignores values too short to mean anything', () => {
    expect(containsSecret('{"code":0,"data":"signature"}', [secret])).toBe(false);
    expect(containsSecret('yes', ['yes'])).toBe(false);
  });
});
