import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_VERSION, MAGIC } from '../../electron/core/vault/vault-format';
import { codeOf, startCore, type CoreFixture } from '../support/core-fixture';

// A damaged or hostile vault file must give a clear error, never crash, never
// unlock, and never be overwritten.

let fixture: CoreFixture;
let original: Buffer;
let passphrase: string;

beforeAll(async () => {
  fixture = await startCore();
  const { vault, credentials } = fixture.core;
  passphrase = (await vault.create()).recoveryPassphrase;
  await credentials.create({
    type: 'api_key',
    name: 'GitHub',
    description: 'CI token',
    fields: { key: 'ghp_example_value', allowed_hosts: 'api.github.com' },
  });
  await vault.lock();
  original = await readFile(vault.path);
});
afterAll(() => fixture.cleanup());

async function attempt(
  bytes: Buffer,
  how: 'keychain' | 'recovery' = 'keychain',
): Promise<{ code: string; message: string }> {
  const { vault } = fixture.core;
  await writeFile(vault.path, bytes);
  try {
    if (how === 'keychain') await vault.unlock();
    else await vault.recover(passphrase);
    await vault.lock();
    return { code: 'resolved', message: '' };
  } catch (error) {
    return {
      code: (error as { code?: string }).code ?? 'uncoded',
      message: (error as Error).message,
    };
  }
}

async function expectUntouched(bytes: Buffer) {
  expect((await readFile(fixture.core.vault.path)).equals(bytes)).toBe(true);
  const strays = (await readdir(fixture.dataDir)).filter((n) => n.includes('.tmp-'));
  expect(strays).toEqual([]);
}

function withChecksum(body: Buffer): Buffer {
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

function headerOf(file: Buffer): { json: Record<string, unknown>; end: number } {
  const length = file.readUInt32BE(MAGIC.length + 2);
  const start = MAGIC.length + 6;
  return {
    json: JSON.parse(file.subarray(start, start + length).toString('utf8')),
    end: start + length,
  };
}

function rebuild(file: Buffer, header: unknown, version = FORMAT_VERSION): Buffer {
  const { end } = headerOf(file);
  const headerBytes = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(MAGIC.length + 6);
  MAGIC.copy(prefix);
  prefix.writeUInt16BE(version, MAGIC.length);
  prefix.writeUInt32BE(headerBytes.length, MAGIC.length + 2);
  return withChecksum(Buffer.concat([prefix, headerBytes, file.subarray(end, file.length - 32)]));
}

describe('a damaged vault file', () => {
  it('truncated at every offset: vault_damaged, nothing overwritten', async () => {
    for (let length = 0; length < original.length; length++) {
      const cut = original.subarray(0, length);
      const { code, message } = await attempt(cut);
      expect(code, `cut at ${length}`).toBe('vault_damaged');
      expect(message).toContain(fixture.core.vault.path);
      await expectUntouched(cut);
    }
  });

  it('with any single bit flipped: refused with a clear error, nothing overwritten', async () => {
    for (let bit = 0; bit < original.length * 8; bit++) {
      const flipped = Buffer.from(original);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const { code } = await attempt(flipped);
      expect(['vault_damaged', 'vault_unsupported'], `bit ${bit}`).toContain(code);
      if (bit % 997 === 0) await expectUntouched(flipped);
    }
    // Thousands of unlocks: 10 to 35 s here, more when other builds share the machine.
  }, 180_000);

  it('tampered on purpose (checksum recomputed): never opens', async () => {
    // Past the checksum only authenticated encryption stands; flip every bit
    // of the header and every 5th bit of the ciphertext.
    const { end } = headerOf(original);
    const body = original.subarray(0, original.length - 32);
    const allowed = new Set<string>([
      'vault_damaged',
      'vault_unsupported',
      'recovery_required',
      'kdf_params_refused',
    ]);
    for (let bit = 0; bit < body.length * 8; bit += bit < end * 8 ? 1 : 5) {
      const flipped = Buffer.from(body);
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      const { code } = await attempt(withChecksum(flipped));
      expect(allowed.has(code), `bit ${bit}: ${code}`).toBe(true);
    }
  });

  it('is still the original once put back: the tests above destroyed nothing', async () => {
    expect(await attempt(original)).toEqual({ code: 'resolved', message: '' });
  });
});

describe('a hostile vault header', () => {
  it('absurd Argon2id parameters are refused before anything is derived', async () => {
    const { json } = headerOf(original);
    const kdf = json.kdf as Record<string, unknown>;
    for (const absurd of [
      { memoryKiB: 64 * 1024 * 1024 },
      { iterations: 1_000_000 },
      { parallelism: 255 },
      { memoryKiB: 8 },
    ]) {
      const hostile = rebuild(original, { ...json, kdf: { ...kdf, ...absurd } });
      // The refusal comes from reading the header, before the passphrase is touched.
      const { code, message } = await attempt(hostile, 'recovery');
      expect(code).toBe('kdf_params_refused');
      expect(message).toMatch(/outside the allowed range/);
      await expectUntouched(hostile);
    }
  });

  it('an unknown format version is refused and nothing is written', async () => {
    const { json } = headerOf(original);
    const future = rebuild(original, json, FORMAT_VERSION + 1);
    for (const how of ['keychain', 'recovery'] as const) {
      const { code, message } = await attempt(future, how);
      expect(code).toBe('vault_unsupported');
      expect(message).toMatch(/format version 2; this Custodian reads version 1/);
      await expectUntouched(future);
    }
  });

  it('a file that is not a vault at all is named as such', async () => {
    const { code, message } = await attempt(Buffer.from('{"hello":"world"}'));
    expect(code).toBe('vault_damaged');
    expect(message).toMatch(/is not a Custodian vault file/);
  });

  it('a header that is not JSON, or has an unexpected field, is refused', async () => {
    const { json } = headerOf(original);
    expect((await attempt(rebuild(original, { ...json, extra: 1 }))).message).toMatch(
      /header field/,
    );
    const { code } = await attempt(
      rebuild(original, { ...json, kdf: { ...(json.kdf as object), algorithm: 'scrypt' } }),
    );
    expect(code).toBe('vault_damaged');
  });

  it('no error message quotes the passphrase, a name or a secret', async () => {
    const messages: string[] = [];
    const { json } = headerOf(original);
    for (const bytes of [
      original.subarray(0, 100),
      rebuild(original, json, 9),
      rebuild(original, { ...json, extra: 1 }),
    ]) {
      messages.push((await attempt(bytes, 'recovery')).message);
    }
    await writeFile(fixture.core.vault.path, original);
    const wrong = passphrase.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    messages.push(
      await fixture.core.vault.recover(wrong).then(
        () => 'opened',
        (e: Error) => e.message,
      ),
    );
    expect(await codeOf(fixture.core.vault.recover(wrong))).toBe('wrong_passphrase');
    for (const message of messages) {
      expect(message.length).toBeGreaterThan(10);
      // Booleans, so a failure never prints a secret.
      [passphrase, wrong, 'ghp_example_value', 'GitHub', 'CI token'].forEach((secret, index) =>
        expect(message.includes(secret), `secret #${index}`).toBe(false),
      );
    }
  });
});
