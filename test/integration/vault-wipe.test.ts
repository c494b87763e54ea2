import { createHash, randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { KeytarKeyStore } from '../../electron/core/keychain/keytar-key-store';
import { Vault } from '../../electron/core/vault/vault';
import type { StoredCredential } from '../../electron/core/vault/vault-content';
import {
  makeTempDir,
  resultOf,
  startCore,
  TEST_KDF_COST,
  type CoreFixture,
} from '../support/core-fixture';

// Issue 14, point 5: keys and decrypted vault bytes are overwritten, not only
// dropped. The vault tells this test of every Buffer that held key material or
// decrypted content (its observeSecretBytes seam); each must own its memory
// (a slice of Node's shared pool would leave copies beside unrelated data) and
// be all zeros once its use is over: the data key on lock, the others at once.

const SECRET = 'sk-wipe-test-SECRET-0123456789';

interface Setup {
  vault: Vault;
  seen: Buffer[];
  cleanup(): Promise<void>;
}
let setup: Setup | undefined;
let fixture: CoreFixture | undefined;
afterEach(async () => {
  await setup?.cleanup();
  setup = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

async function makeVault(): Promise<Setup> {
  const dataDir = await makeTempDir();
  const service = `custodian-test-${randomUUID()}`;
  const seen: Buffer[] = [];
  const vault = new Vault({
    path: join(dataDir, 'vault.cvlt'),
    fs: nodeFs,
    keyStore: new KeytarKeyStore(service),
    kdfCost: TEST_KDF_COST,
    observeSecretBytes: (bytes) => seen.push(bytes),
  });
  return {
    vault,
    seen,
    async cleanup() {
      await vault.lock();
      for (const { account } of await keytar.findCredentials(service).catch(() => []))
        await keytar.deletePassword(service, account);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function credential(): StoredCredential {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name: 'wiped',
    type: 'api_key',
    description: '',
    fields: { key: SECRET, allowed_hosts: 'api.example.com' },
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

const isZero = (bytes: Buffer) => bytes.every((b) => b === 0);
/** Not a view into a larger ArrayBuffer such as Node's 8 KiB pool. */
const ownsItsMemory = (bytes: Buffer) =>
  bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length;
const storedKey = (vault: Vault) => vault.read((content) => content.credentials[0]?.fields.key);

describe('secrets leave memory on lock', () => {
  it('zeroes every key and decrypted buffer: transient ones at once, the data key on lock', async () => {
    setup = await makeVault();
    const { vault, seen } = setup;
    await vault.create();
    await vault.update((content) => void content.credentials.push(credential()));
    // 32-byte keys (data, keychain, recovery) and the content's plaintext of each save.
    expect(seen.filter((b) => b.length === 32).length).toBeGreaterThanOrEqual(3);
    expect(seen.some((b) => b.length > 32)).toBe(true);
    for (const bytes of seen) expect(ownsItsMemory(bytes)).toBe(true);
    // Only the data key is still needed while the vault is open.
    const live = seen.filter((b) => !isZero(b));
    expect(live).toHaveLength(1);
    expect(live[0]?.length).toBe(32);

    await vault.lock();
    expect(seen.every(isZero)).toBe(true);
  });

  it('zeroes what unlocking with the keychain used, and the data still opens after a new unlock', async () => {
    setup = await makeVault();
    const { vault, seen } = setup;
    await vault.create();
    await vault.update((content) => void content.credentials.push(credential()));
    await vault.lock();
    seen.length = 0;

    await vault.unlock();
    // The keychain key, the unwrapped data key and the decrypted content.
    expect(seen.filter((b) => b.length === 32).length).toBeGreaterThanOrEqual(2);
    expect(seen.some((b) => b.length > 32)).toBe(true);
    for (const bytes of seen) expect(ownsItsMemory(bytes)).toBe(true);
    expect(seen.filter((b) => !isZero(b))).toHaveLength(1);
    expect(storedKey(vault)).toBe(SECRET);

    await vault.lock();
    expect(seen.every(isZero)).toBe(true);
    expect(() => storedKey(vault)).toThrow(/locked/);
    await vault.unlock();
    expect(storedKey(vault)).toBe(SECRET);
  });

  it('zeroes what the recovery passphrase unlocked with, and the keys of the old unlock it replaced', async () => {
    setup = await makeVault();
    const { vault, seen } = setup;
    const { recoveryPassphrase } = await vault.create();
    await vault.update((content) => void content.credentials.push(credential()));
    const before = [...seen];

    // Recovering while open replaces the data key: the old one is wiped at once.
    await vault.recover(recoveryPassphrase);
    expect(before.every(isZero)).toBe(true);
    const afterRecover = seen.filter((b) => !isZero(b));
    expect(afterRecover).toHaveLength(1);
    for (const bytes of seen) expect(ownsItsMemory(bytes)).toBe(true);
    expect(storedKey(vault)).toBe(SECRET);

    await vault.lock();
    expect(seen.every(isZero)).toBe(true);
    await vault.recover(recoveryPassphrase);
    expect(storedKey(vault)).toBe(SECRET);
  });

  it('zeroes the keys of a failed unlock: wrong passphrase, damaged content', async () => {
    setup = await makeVault();
    const { vault, seen } = setup;
    await vault.create();
    await vault.lock();
    seen.length = 0;
    await expect(vault.recover('AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF')).rejects.toMatchObject({
      code: 'wrong_passphrase',
    });
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every(isZero)).toBe(true);

    // A flipped content byte: the data key unwraps, the content does not open.
    const file = await nodeFs.readFile(vault.path);
    const at = file.length - 40;
    file[at] = (file[at] ?? 0) ^ 1;
    // The checksum trailer would catch the flip first; recompute it so the AEAD is what refuses.
    createHash('sha256')
      .update(file.subarray(0, file.length - 32))
      .digest()
      .copy(file, file.length - 32);
    await nodeFs.writeFile(vault.path, file);
    seen.length = 0;
    await expect(vault.unlock()).rejects.toMatchObject({ code: 'vault_damaged' });
    expect(seen.filter((b) => b.length === 32).length).toBeGreaterThanOrEqual(2);
    expect(seen.every(isZero)).toBe(true);
  });

  it("a lock through the lock lifecycle (the window's and the socket's lock) zeroes the data key", async () => {
    fixture = await startCore();
    const { core } = fixture;
    resultOf(await core.dispatch('vault:create', {}));
    // The core's vault has no observer: reach in for the very buffer it holds.
    const heldKey = () =>
      (
        core.vault as unknown as { unlocked: { dataKey: { use<T>(fn: (b: Buffer) => T): T } } }
      ).unlocked.dataKey.use((bytes) => bytes);
    const created = heldKey();
    expect(ownsItsMemory(created)).toBe(true);
    expect(isZero(created)).toBe(false);
    resultOf(await core.dispatch('vault:lock', {}));
    expect(isZero(created)).toBe(true);

    // Unwrapped from the keychain's wrap this time.
    resultOf(await core.dispatch('vault:unlock', {}));
    const unwrapped = heldKey();
    expect(ownsItsMemory(unwrapped)).toBe(true);
    expect(unwrapped.equals(created)).toBe(false); // the old one is zeros now
    expect(isZero(unwrapped)).toBe(false);
    resultOf(await core.dispatch('vault:lock', {}));
    expect(isZero(unwrapped)).toBe(true);
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(core.vault.isUnlocked).toBe(true);
  });
});
