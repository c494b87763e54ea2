import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';

// The template in handle mode, through the real core and host: it holds its
// HMAC key only as a handle, and the signature is the one node:crypto makes
// with the key itself.

const SECRET = 'template-shared-secret-0042';
let fixture: CoreFixture;

beforeAll(async () => {
  fixture = await startCore();
  const { core } = fixture;
  resultOf(await core.dispatch('vault:create', {}));
  await core.plugins.installFromDirectory(
    join(import.meta.dirname, '..', '..', '..', 'plugins', 'template', 'build'),
    { source: 'test' },
  );
  resultOf(
    await core.dispatch('credentials:create', {
      type: 'template_hmac_key',
      name: 'hook',
      fields: { secret: SECRET, key_id: 'hook-1' },
    }),
  );
}, 120_000);
afterAll(() => fixture.cleanup());

it('signs by handle exactly as with the key', async () => {
  const answer = await fixture.core.pluginCalls.run({
    plugin: 'template',
    action: 'sign',
    credential: { name: 'hook' },
    parameters: { message: 'hello ✓', algorithm: 'sha256' },
  });
  expect(answer).toEqual({
    code: 0,
    data: {
      signature: createHmac('sha256', SECRET).update('hello ✓').digest('hex'),
      algorithm: 'hmac-sha256',
      key_id: 'hook-1',
    },
    error: null,
  });
}, 60_000);
