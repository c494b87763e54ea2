import { randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NoKeyStore } from '../../electron/core/keychain/key-store';
import { Vault } from '../../electron/core/vault/vault';
import type { StoredCredential } from '../../electron/core/vault/vault-content';
import { makeTempDir, TEST_KDF_COST } from '../support/core-fixture';

// Issue 17: a save no longer copies the whole content. The draft shares the
// stored credentials with the content before it, so those are frozen: a
// change replaces a credential, and one that tries to change it in place
// fails before anything is written. The content before a save is never
// touched by it, whether the save lands or fails.

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function makeVault(): Promise<{ vault: Vault; path: string }> {
  const dataDir = await makeTempDir();
  const path = join(dataDir, 'vault.cvlt');
  // No keychain: the recovery wrap alone opens it; nothing here reopens it.
  const vault = new Vault({ path, fs: nodeFs, keyStore: new NoKeyStore(), kdfCost: TEST_KDF_COST });
  await vault.create();
  cleanup = async () => {
    await vault.lock();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { vault, path };
}

function credential(name: string): StoredCredential {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name,
    type: 'note',
    description: '',
    fields: { text: `text of ${name}` },
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

describe('a save shares what it does not change', () => {
  it('freezes stored credentials: changing one in place throws and saves nothing', async () => {
    const { vault, path } = await makeVault();
    await vault.update((content) => void content.credentials.push(credential('a')));
    const stored = vault.read((content) => content.credentials[0]);
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored?.fields)).toBe(true);
    const before = await readFile(path);
    await expect(
      vault.update((content) => {
        const first = content.credentials[0];
        if (first) first.description = 'changed in place';
      }),
    ).rejects.toThrow(TypeError);
    expect(await readFile(path)).toEqual(before);
    expect(vault.read((content) => content.credentials[0]?.description)).toBe('');
  });

  it('replaces only the credential that changes; the content before stays as it was', async () => {
    const { vault } = await makeVault();
    await vault.update((content) => {
      content.credentials.push(credential('a'), credential('b'));
    });
    const before = vault.read((content) => content);
    const [a, b] = before.credentials;
    await vault.update((content) => {
      const index = content.credentials.findIndex((c) => c.name === 'b');
      const old = content.credentials[index];
      if (old) content.credentials[index] = { ...old, description: 'edited' };
    });
    const after = vault.read((content) => content);
    expect(after).not.toBe(before);
    // The untouched credential is the same object; the edited one is new.
    expect(after.credentials[0]).toBe(a);
    expect(after.credentials[1]).not.toBe(b);
    expect(after.credentials[1]?.description).toBe('edited');
    expect(b?.description).toBe('');
    expect(before.credentials.map((c) => c.description)).toEqual(['', '']);
  });

  it('a save that fails leaves the content as it was', async () => {
    const { vault, path } = await makeVault();
    await vault.update((content) => void content.credentials.push(credential('a')));
    const before = vault.read((content) => content);
    // The vault's folder turned into a file's path: the temp file cannot be made.
    await rm(path.replace(/vault\.cvlt$/, ''), { recursive: true, force: true });
    await expect(
      vault.update((content) => void content.credentials.push(credential('b'))),
    ).rejects.toThrow();
    expect(vault.read((content) => content)).toBe(before);
    expect(before.credentials.map((c) => c.name)).toEqual(['a']);
  });
});
