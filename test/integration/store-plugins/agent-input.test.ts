import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirstPartyHost } from './first-party-host';

// Whatever an agent passes (any text as method, url, headers, body, service,
// region, time, claims), the plugins answer with a result or a refusal that
// names the parameter: never a trap, a timeout or a secret.

const aws = new FirstPartyHost('aws-sigv4');
const jwt = new FirstPartyHost('jwt');
const SECRET = `wJalrXUtnFEMI/${randomBytes(18).toString('base64')}`;
const HS_SECRET = `hs-${randomBytes(24).toString('hex')}`;

beforeAll(async () => {
  await aws.start({ http: { hosts: ['*.amazonaws.com'], allowPrivate: [] } });
  await jwt.start();
});
afterAll(async () => {
  expect(aws.printedASecret()).toBe(false);
  expect(jwt.printedASecret()).toBe(false);
  await aws.stop();
  await jwt.stop();
});

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', '{{secret:secret_access_key}}', 'https://', 'http://[::1', '..', '%', '?&=&'),
);

describe('agent input the plugins did not expect', () => {
  it('aws_sign answers or refuses, for any url, method, headers, body and time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          method: text,
          url: fc.oneof(
            text,
            text.map((t) => `https://s3.amazonaws.com/${t}`),
          ),
          headers: fc.dictionary(text, text, { maxKeys: 3 }),
          body: text,
          service: text,
          region: text,
          time: text,
        }),
        async (parameters) => {
          const answer = await aws.call('sign', {
            values: { access_key_id: 'AKIAIOSFODNN7EXAMPLE', region: 'us-east-1' },
            secrets: { secret_access_key: SECRET },
            parameters,
            now: 1_765_000_000,
          });
          expect([0, -3]).toContain(answer.code);
          if (answer.code !== 0)
            expect(answer.error).toMatch(/^"(method|url|headers|body|service|region|time)"/);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('jwt_sign answers or refuses, for any claims and expiry', async () => {
    const key = await jwt.call<{ public: Record<string, string> }>('import_key', {
      values: { algorithm: 'HS256', key: HS_SECRET },
    });
    await fc.assert(
      fc.asyncProperty(
        fc.record({ claims: fc.jsonValue({ maxDepth: 4 }), expires_in: fc.integer() }),
        async (parameters) => {
          const answer = await jwt.call('sign', {
            values: { algorithm: 'HS256', ...key.data.public },
            secrets: { key: HS_SECRET },
            parameters,
            now: 1_765_000_000,
          });
          expect([0, -3]).toContain(answer.code);
        },
      ),
      { numRuns: 150 },
    );
  });
});
