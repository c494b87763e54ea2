import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsSecret } from '../../../electron/core/credentials/secret-scan';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { editedFixture, fixtureDir } from '../../support/plugin-fixtures';

// A plugin that tries (plugins/fixtures/handle-thief): it returns its whole
// input, its whole linear memory and every host-function response in hex, and
// tries each handle wherever a host function takes bytes. In handle mode no
// stored secret may appear in what the agent receives, in any form, for a
// credential shaped like each first-party type. The same plugin given values
// gets them out past output screening (reversed), which is why handles matter.

const secrets = {
  thief_api_key: { key: `sk_live_${randomBytes(20).toString('hex')}`, header_name: 'x-api-key' },
  thief_basic_auth: {
    username: 'ada',
    password: `correct horse ${randomBytes(6).toString('hex')}`,
  },
  thief_note: { note: `line one ${randomBytes(8).toString('hex')}\nline two, secret` },
  thief_pgp: {
    private_key: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }),
    passphrase: `pass-${randomBytes(8).toString('base64')}`,
  },
  // 32 bytes in hex: every encoding a handle offers resolves, so the host really uses it.
  thief_hmac: { secret: randomBytes(32).toString('hex'), key_id: 'hook-1' },
  thief_totp: {
    secret: 'JBSWY3DPEHPK3PXP'.toLowerCase() + randomBytes(4).toString('hex'),
    algorithm: 'SHA1',
  },
  thief_jwt: {
    key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    }),
    kid: 'deploy-1',
  },
  thief_aws: {
    access_key_id: 'AKIAIOSFODNN7EXAMPLE',
    secret_access_key: `wJalrXUtnFEMI/${randomBytes(18).toString('base64')}`,
    session_token: `IQoJb3JpZ2luX2Vj${randomBytes(24).toString('base64')}`,
  },
} as const;
const SECRET_FIELDS = new Set([
  'key',
  'password',
  'note',
  'private_key',
  'passphrase',
  'secret',
  'secret_access_key',
  'session_token',
]);

function storedSecrets(type: keyof typeof secrets): string[] {
  return Object.entries(secrets[type])
    .filter(([field]) => SECRET_FIELDS.has(field))
    .map(([, value]) => value as string);
}

/** Every hex string in the answer, decoded, recursively: where a secret would hide. */
function hexLayers(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') {
    out.push(value);
    if (/^(?:[0-9a-f]{2})+$/.test(value)) {
      const text = Buffer.from(value, 'hex').toString('latin1');
      out.push(text);
      try {
        hexLayers(JSON.parse(text), out);
      } catch {
        // not JSON: the text itself was kept
      }
    }
  } else if (value && typeof value === 'object')
    for (const inner of Object.values(value)) hexLayers(inner, out);
  return out;
}

function revealed(answer: unknown, secret: string): boolean {
  const reversed = [...secret].reverse().join('');
  return hexLayers(answer).some(
    (text) => containsSecret(text, [secret]) || text.includes(reversed),
  );
}

let fixture: CoreFixture;
const run = (plugin: string, action: string, type: string, parameters = {}) =>
  fixture.core.pluginCalls.run({ plugin, action, credential: { name: type }, parameters });

beforeAll(async () => {
  fixture = await startCore();
  const { core } = fixture;
  resultOf(await core.dispatch('vault:create', {}));
  await core.plugins.installFromDirectory(fixtureDir('handle-thief'), { source: 'test' });
  for (const [type, fields] of Object.entries(secrets))
    resultOf(await core.dispatch('credentials:create', { type, name: type, fields }));
}, 120_000);
afterAll(() => fixture.cleanup());

describe('a hostile plugin in handle mode', () => {
  it.each(Object.keys(secrets) as (keyof typeof secrets)[])(
    'gets nothing of a %s credential out: not from its input, its memory or the host functions',
    async (type) => {
      const answer = await run('handle-thief', 'steal', type);
      // Not withheld: the agent receives all of it, so the proof is in what it holds.
      expect(answer.code).toBe(0);
      const data = answer.data as { input: string; memory: string; outputs: string[] };
      const input = Buffer.from(data.input, 'hex').toString('utf8');
      expect(input).toContain(HANDLE_PREFIX);
      expect(data.memory.length).toBeGreaterThan(100_000);
      // The host really used the handles (an HMAC came back) and refused them where bytes belong.
      const replies = data.outputs.map((hex) => Buffer.from(hex, 'hex').toString('utf8'));
      expect(replies.some((r) => r.startsWith('{"ok":true,"result"'))).toBe(true);
      expect(replies).toContain(
        '{"ok":false,"error":"\\"data\\" takes bytes, not a handle; handles go only where key material does"}',
      );
      expect(replies.some((r) => r.includes('"passphrase\\" takes bytes, not a handle'))).toBe(
        true,
      );
      // It derived keys from the handles (hmac with output handle) and used them.
      expect(replies.some((r) => r.startsWith(`{"ok":true,"handle":"${HANDLE_PREFIX}`))).toBe(true);
      for (const secret of storedSecrets(type)) expect(revealed(answer, secret)).toBe(false);
      // Non-secret fields arrive as values.
      for (const [field, value] of Object.entries(secrets[type]))
        if (!SECRET_FIELDS.has(field)) expect(input).toContain(`"${field}":"${value}"`);
    },
    60_000,
  );

  it('cannot use a handle from another call', async () => {
    const first = await run('handle-thief', 'steal', 'thief_hmac');
    const input = JSON.parse(
      Buffer.from((first.data as { input: string }).input, 'hex').toString('utf8'),
    ) as { credential: { secret: string } };
    const old = input.credential.secret;
    expect(old.startsWith(HANDLE_PREFIX)).toBe(true);
    const second = await run('handle-thief', 'steal', 'thief_hmac', { foreign: old });
    const replies = (second.data as { outputs: string[] }).outputs.map((hex) =>
      Buffer.from(hex, 'hex').toString('utf8'),
    );
    expect(replies).toContain(
      '{"ok":false,"error":"\\"key\\" is not a handle of this call: a handle is valid only for the credential of the call that received it, and only during that call"}',
    );
    // Each call gets fresh handles.
    const again = JSON.parse(
      Buffer.from((second.data as { input: string }).input, 'hex').toString('utf8'),
    ) as { credential: { secret: string } };
    expect(again.credential.secret).not.toBe(old);
  }, 60_000);

  it('in value mode gets the secret past output screening, which is what handles prevent', async () => {
    const { core } = fixture;
    await core.plugins.uninstall('handle-thief');
    const dir = await editedFixture('handle-thief', (toml) =>
      toml.replace('[capabilities]', '[capabilities]\nsecret_access = "values"'),
    );
    await core.plugins.installFromDirectory(dir, { source: 'test' });
    const answer = await run('handle-thief', 'reversed', 'thief_api_key');
    expect(answer.code).toBe(0);
    expect(revealed(answer, secrets.thief_api_key.key)).toBe(true);
    await core.plugins.uninstall('handle-thief');
    await core.plugins.installFromDirectory(fixtureDir('handle-thief'), { source: 'test' });
    const safe = await run('handle-thief', 'reversed', 'thief_api_key');
    expect(safe.code).toBe(0);
    expect(revealed(safe, secrets.thief_api_key.key)).toBe(false);
  }, 60_000);
});
