import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstPartyHost } from './first-party-host';

// The totp plugin against oathtool (liboath, what people already trust) and
// RFC 6238's published test vectors, at fixed times: the plugin's clock is
// the `now` main gives it, so every case is at a time the test chose.

interface Imported {
  info: Record<string, string>;
  sealed: { totp_key: string };
  public: Record<string, string>;
}
interface Code {
  code: string;
  valid_for: number;
}

const plugin = new FirstPartyHost('totp');
beforeAll(() => plugin.start());
afterAll(async () => {
  expect(plugin.printedASecret()).toBe(false);
  await plugin.stop();
});

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** What oathtool says at `now` (Unix seconds). */
function oathtool(keyHex: string, now: number, algorithm: string, digits: number, period = 30) {
  return execFileSync(
    'oathtool',
    [
      `--totp=${algorithm}`,
      `--digits=${digits}`,
      `--time-step-size=${period}s`,
      `--now=@${now}`,
      keyHex,
    ],
    { encoding: 'utf8' },
  ).trim();
}

async function imported(secret: string): Promise<Imported> {
  const answer = await plugin.call<Imported>('import_secret', { values: { secret } });
  expect(answer.error).toBeNull();
  return answer.data;
}

async function codeAt(
  key: Imported,
  now: number,
  fields: Record<string, string> = {},
): Promise<Code> {
  const answer = await plugin.call<Code>('code', {
    values: { algorithm: 'SHA1', digits: '6', period: '30', ...fields, ...key.public },
    secrets: { totp_key: key.sealed.totp_key },
    now,
  });
  expect(answer.error).toBeNull();
  return answer.data;
}

describe('RFC 6238 appendix B test vectors', () => {
  const seeds = {
    SHA1: '12345678901234567890',
    SHA256: '12345678901234567890123456789012',
    SHA512: '1234567890123456789012345678901234567890123456789012345678901234',
  };
  const vectors: [number, string, string, string][] = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [1111111111, '14050471', '67062674', '99943326'],
    [1234567890, '89005924', '91819424', '93441116'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [now, sha1, sha256, sha512] of vectors)
    it(`at ${now}`, async () => {
      for (const [algorithm, expected] of [
        ['SHA1', sha1],
        ['SHA256', sha256],
        ['SHA512', sha512],
      ] as const) {
        const key = await imported(base32(Buffer.from(seeds[algorithm])));
        const got = await codeAt(key, now, { algorithm, digits: '8' });
        expect(got.code).toBe(expected);
        expect(got.code).toBe(
          oathtool(Buffer.from(seeds[algorithm]).toString('hex'), now, algorithm, 8),
        );
      }
    });
});

describe('against oathtool in the same period', () => {
  const seed = randomBytes(20);
  // Written the way people paste it: lower case, in groups of four.
  const typed = base32(seed)
    .toLowerCase()
    .replace(/(.{4})/g, '$1 ');
  const times = [1_700_000_000, 1_700_000_029, 1_700_000_030, 1_765_432_101];

  for (const [algorithm, digits] of [
    ['SHA1', 6],
    ['SHA256', 8],
    ['SHA512', 6],
    ['SHA512', 8],
  ] as const)
    it(`${algorithm}, ${digits} digits`, async () => {
      const key = await imported(typed);
      for (const now of times) {
        const got = await codeAt(key, now, { algorithm, digits: String(digits) });
        expect(got).toEqual({
          code: oathtool(seed.toString('hex'), now, algorithm, digits),
          valid_for: 30 - (now % 30),
        });
      }
    });

  it('with a period of 60 seconds', async () => {
    const key = await imported(typed);
    const got = await codeAt(key, 1_700_000_005, { period: '60' });
    expect(got).toEqual({
      code: oathtool(seed.toString('hex'), 1_700_000_005, 'SHA1', 6, 60),
      valid_for: 60 - (1_700_000_005 % 60),
    });
  });
});

describe('an otpauth://totp/ URI pasted into the secret', () => {
  const seed = randomBytes(20);
  const uri = `otpauth://totp/ACME%20Co:jane%40example.com?secret=${base32(seed)}&issuer=ACME%20Co&algorithm=SHA256&digits=8&period=60`;

  it('fills the algorithm, digits and period, and says so', async () => {
    const key = await imported(uri);
    expect(key.public).toEqual({ uri_algorithm: 'SHA256', uri_digits: '8', uri_period: '60' });
    expect(key.info).toEqual({
      issuer: 'ACME Co',
      account: 'jane@example.com',
      settings:
        'From the otpauth URI: algorithm SHA256, 8 digits, a period of 60 s (these win over the fields below)',
      key: '160-bit seed',
    });
    expect(Buffer.from(key.sealed.totp_key, 'base64').equals(seed)).toBe(true);
    // The form's defaults (SHA1, 6, 30) lose to what the URI said.
    const now = 1_765_432_101;
    expect(await codeAt(key, now)).toEqual({
      code: oathtool(seed.toString('hex'), now, 'SHA256', 8, 60),
      valid_for: 60 - (now % 60),
    });
  });

  it('refuses what is not a usable time-based key, saying why', async () => {
    const refused = async (secret: string) =>
      (await plugin.call('import_secret', { values: { secret } })).error;
    expect(await refused('otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1')).toBe(
      'The otpauth URI is an otpauth://hotp/ URI: counter-based codes are not supported, only time-based (totp)',
    );
    expect(await refused('otpauth://totp/x?issuer=y')).toBe(
      'The otpauth URI has no secret= parameter',
    );
    expect(await refused(`otpauth://totp/x?secret=${base32(seed)}&algorithm=MD5`)).toBe(
      'The otpauth URI asks for algorithm MD5: only SHA1, SHA256 and SHA512 are supported',
    );
    expect(await refused('JBSWY3DPEHPK3PX1')).toBe(
      'The setup key is not base32: it may hold only the letters A to Z and the digits 2 to 7',
    );
    expect(await refused('JBSWY3DP')).toBe(
      'The setup key is 5 bytes long; a real one has at least 10 (16 base32 characters). Check it was copied whole.',
    );
  });
});
