import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsSecret } from '../../../electron/core/credentials/secret-scan';
import { HANDLE_PREFIX } from '../../../shared/plugin-abi';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { hexLayers } from '../../support/leaks';
import { editedFixture, fixtureDir } from '../../support/plugin-fixtures';

// A credential type's import entry (plugins/fixtures/key-import), on the real
// core and plugin host: the import reads the values with the person present,
// without network or log; the vault keeps what it sealed; later calls reach
// the sealed key only by a handle of that call.

const seed = randomBytes(32).toString('hex');
const PASSPHRASE = 'let me in';

let fixture: CoreFixture;
const stored = (name: string) =>
  fixture.core.vault.read((content) =>
    structuredClone(content.credentials.find((c) => c.name === name)),
  );
/** The stored credential, which the test expects to exist. */
function saved(name: string) {
  const credential = stored(name);
  if (!credential) throw new Error(`no credential "${name}" in the vault`);
  return credential;
}
/** The sealed key the import made for it. */
function sealedKey(name: string): string {
  const key = saved(name).imported?.sealed.signing_key;
  if (key === undefined) throw new Error(`"${name}" has no sealed key`);
  return key;
}
const run = (action: string, name: string, parameters: Record<string, unknown> = {}) =>
  fixture.core.pluginCalls.run({ plugin: 'key-import', action, credential: { name }, parameters });

beforeAll(async () => {
  fixture = await startCore();
  resultOf(await fixture.core.dispatch('vault:create', {}));
  await fixture.core.plugins.installFromDirectory(fixtureDir('key-import'), { source: 'test' });
}, 120_000);
afterAll(() => fixture.cleanup());

describe('a type’s import entry', () => {
  let id: string;
  let publicKey: string;

  it('reads the values once, without network or log, and the vault keeps what it sealed but not the passphrase', async () => {
    const created = resultOf(
      await fixture.core.dispatch('credentials:create', {
        type: 'fixture_key',
        name: 'signer',
        fields: { seed, passphrase: PASSPHRASE, label: 'mine' },
      }),
    );
    id = created.id;
    const info = created.inspection as { public_key: string; http: string; logged: boolean };
    expect(info).toEqual({
      public_key: expect.stringMatching(/^[0-9a-f]{64}$/),
      http: 'no network during import',
      logged: false,
    });
    publicKey = info.public_key;
    const credential = stored('signer');
    expect(credential?.fields).toEqual({ seed, label: 'mine' });
    expect(credential?.imported).toMatchObject({
      plugin: 'key-import',
      version: '1.0.0',
      info,
      public: { public_key: Buffer.from(publicKey, 'hex').toString('base64') },
    });
    expect(JSON.parse(sealedKey('signer'))).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      d: Buffer.from(seed, 'hex').toString('base64url'),
    });
    // What the window reads of it: neither the sealed key nor where it is kept.
    const detail = resultOf(await fixture.core.dispatch('credentials:get', { id }));
    expect(JSON.stringify(detail)).not.toContain('signing_key');
    expect(detail.storedSecrets).toEqual(['seed']);
  });

  it('signs by a handle to the sealed key, gets public values as they are', async () => {
    const answer = await run('sign', 'signer', { message: 'hello' });
    expect(answer.code).toBe(0);
    const data = answer.data as { signature: string; public_key: string; handle: string };
    expect(data.handle.startsWith(HANDLE_PREFIX)).toBe(true);
    expect(data.public_key).toBe(Buffer.from(publicKey, 'hex').toString('base64'));
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'hex').toString('base64url') },
      format: 'jwk',
    });
    expect(verify(null, Buffer.from('hello'), key, Buffer.from(data.signature, 'base64'))).toBe(
      true,
    );
  });

  it('an agent call gets nothing of the seed, the passphrase or the sealed key, in its input, memory or host answers', async () => {
    const answer = await run('dump', 'signer');
    expect(answer.code).toBe(0);
    const data = answer.data as { input: string; outputs: string[]; memory: string };
    const input = Buffer.from(data.input, 'hex').toString('utf8');
    expect(input).toContain(HANDLE_PREFIX);
    expect(input).toContain('"public_key":');
    const replies = data.outputs.map((hex) => Buffer.from(hex, 'hex').toString('utf8'));
    expect(replies[0]).toMatch(/^\{"ok":true,"result"/);
    expect(replies[2]).toContain('takes bytes, not a handle');
    expect(replies[3]).toContain('"jwk\\" takes a handle, not inline key material');
    const jwk = sealedKey('signer');
    const d = (JSON.parse(jwk) as { d: string }).d;
    for (const secret of [seed, PASSPHRASE, jwk, d])
      expect(hexLayers(answer).some((text) => containsSecret(text, [secret]))).toBe(false);
  }, 60_000);

  it('the import entry cannot be called like an action: it would get values', async () => {
    await expect(run('import_key', 'signer')).rejects.toMatchObject({
      code: 'invalid_input',
      message:
        '"import_key" is the import of Fixture key credentials: it runs only when one is saved in Custodian',
    });
  });

  it('a handle of one call is refused in the next', async () => {
    const first = await run('sign', 'signer', { message: 'one' });
    const old = (first.data as { handle: string }).handle;
    const second = await run('sign', 'signer', { message: 'two', foreign: old });
    expect(second).toMatchObject({
      code: -1,
      error: expect.stringContaining('"jwk" is not a handle of this call'),
    });
  });

  it('screens output for the sealed key too: a plugin given values that returns it is withheld', async () => {
    const { core } = fixture;
    await core.plugins.uninstall('key-import');
    // In value mode the input holds the sealed JWK itself, which `dump` returns in hex.
    const dir = await editedFixture('key-import', (toml) =>
      toml.replace('[capabilities]', '[capabilities]\nsecret_access = "values"'),
    );
    await core.plugins.installFromDirectory(dir, { source: 'test' });
    try {
      const answer = await run('dump', 'signer');
      expect(answer).toMatchObject({
        code: -1,
        error:
          'Plugin "key-import" returned a secret of credential "signer"; the output was withheld',
      });
    } finally {
      await core.plugins.uninstall('key-import');
      await core.plugins.installFromDirectory(fixtureDir('key-import'), { source: 'test' });
    }
  });

  it('a refusal of the import names the field it is about; nothing is saved', async () => {
    const answer = await fixture.core.dispatch('credentials:create', {
      type: 'fixture_key',
      name: 'wrong',
      fields: { seed, passphrase: 'guess' },
    });
    expect(answer).toMatchObject({
      error: {
        code: 'invalid_input',
        message: 'Wrong passphrase',
        fields: { passphrase: 'Wrong passphrase' },
      },
    });
    expect(stored('wrong')).toBeUndefined();
  });

  it('an edit of non-secret fields keeps the import; a new secret imports again and needs the passphrase again', async () => {
    const before = saved('signer').imported;
    const renamed = resultOf(
      await fixture.core.dispatch('credentials:update', { id, fields: { label: 'ours' } }),
    );
    expect(renamed.inspection).toBeUndefined();
    expect(saved('signer').imported).toEqual(before);

    const other = randomBytes(32).toString('hex');
    expect(
      await fixture.core.dispatch('credentials:update', { id, fields: { seed: other } }),
    ).toMatchObject({ error: { message: 'Wrong passphrase' } });
    expect(saved('signer').fields.seed).toBe(seed);

    const changed = resultOf(
      await fixture.core.dispatch('credentials:update', {
        id,
        fields: { seed: other, passphrase: PASSPHRASE },
      }),
    );
    expect((changed.inspection as { public_key: string }).public_key).not.toBe(publicKey);
    const after = saved('signer');
    expect(after.fields).toEqual({ seed: other, label: 'ours' });
    expect(sealedKey('signer')).toContain(Buffer.from(other, 'hex').toString('base64url'));
  });

  it('an import that shows a secret is refused and nothing is saved', async () => {
    const { core } = fixture;
    await core.plugins.uninstall('key-import');
    const dir = await editedFixture('key-import', (toml) =>
      toml.replace('import = "import_key"', 'import = "import_leaky"'),
    );
    await core.plugins.installFromDirectory(dir, { source: 'test' });
    try {
      const answer = await core.dispatch('credentials:create', {
        type: 'fixture_key',
        name: 'leaky',
        fields: { seed, passphrase: PASSPHRASE },
      });
      expect(answer).toMatchObject({
        error: {
          code: 'invalid_input',
          message: expect.stringContaining('put a secret into what its import shows'),
        },
      });
      expect(JSON.stringify(answer)).not.toContain(seed);
      expect(stored('leaky')).toBeUndefined();
    } finally {
      await core.plugins.uninstall('key-import');
      await core.plugins.installFromDirectory(fixtureDir('key-import'), { source: 'test' });
    }
  });

  it('a credential without imported material is refused, saying what to do', async () => {
    // As a vault saved before imports holds it; stored credentials are replaced, not changed.
    await fixture.core.vault.update((content) => {
      const index = content.credentials.findIndex((c) => c.name === 'signer');
      const credential = content.credentials[index];
      if (!credential) return;
      const without = { ...credential };
      delete without.imported;
      content.credentials[index] = without;
    });
    await expect(run('sign', 'signer', { message: 'x' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Credential "signer" has no imported key: open it in Custodian and save it again',
    });
  });
});
