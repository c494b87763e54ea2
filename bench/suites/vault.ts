import { randomUUID } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKey } from '../../electron/core/crypto/argon2';
import { SecretBytes } from '../../electron/core/crypto/secret-bytes';
import { normalizeRecoveryPassphrase } from '../../electron/core/crypto/recovery-passphrase';
import type { KeyStore } from '../../electron/core/keychain/key-store';
import { writeFileAtomic } from '../../electron/core/files/atomic-file';
import type { StoredCredential } from '../../electron/core/vault/vault-content';
import { decodeVaultFile } from '../../electron/core/vault/vault-format';
import { createHeadlessCore } from '../../electron/headless/headless-core';
import { resultOf } from '../../test/support/core-fixture';
import type { Suite } from '../harness';

// A vault of 10,000 credentials on a headless core: unlocking with the
// keychain's key (read, check, decrypt, parse and validate every credential;
// no KDF), and saving after one change (copy, serialise, encrypt, write, fsync,
// rename, keep the .bak). The KDF is timed apart, at the cost the vault
// calibrated on this machine, since it depends on nothing but that cost. The
// peers read and write the same content as plain JSON, the save as atomically
// and durably, so the ratios are what the encryption and the checks cost.

const CREDENTIALS = 10_000;

/** The keychain, in memory: the benchmark's key never lands in the person's. */
class MemoryKeyStore implements KeyStore {
  readonly label = 'the benchmark keychain';
  private readonly keys = new Map<string, Buffer>();
  // Copies both ways: the vault zeroes the buffers it is given once it is done with them.
  async get(account: string) {
    const key = this.keys.get(account);
    return key ? SecretBytes.copyOf(key) : null;
  }
  async set(account: string, key: Buffer) {
    this.keys.set(account, Buffer.from(key));
  }
  async delete(account: string) {
    return this.keys.delete(account);
  }
}

// As the form saves an API key: every field, defaults included.
function credential(i: number, now: string): StoredCredential {
  return {
    id: randomUUID(),
    name: `service-${String(i).padStart(5, '0')}`,
    type: 'api_key',
    description: `The API key of service number ${i}, used by the deploy scripts`,
    fields: {
      key: `sk-${randomUUID().replaceAll('-', '')}${randomUUID().replaceAll('-', '')}`,
      header_name: 'Authorization',
      header_prefix: 'Bearer ',
      allowed_hosts: `api-${i}.example.com`,
    },
    createdAt: now,
    updatedAt: now,
    lastUsedAt: null,
  };
}

export const vaultSuite: Suite = {
  name: 'vault',
  async setup(scale) {
    const dataDir = await mkdtemp(join(tmpdir(), 'custodian-bench-vault-'));
    // No fixed cost: the vault calibrates its Argon2id on this machine, as a person's does.
    const core = await createHeadlessCore({ dataDir, keyStore: new MemoryKeyStore() });
    const teardown = async () => {
      await core.close();
      await rm(dataDir, { recursive: true, force: true });
    };
    try {
      const { recoveryPassphrase } = resultOf(await core.dispatch('vault:create', {}));
      const now = new Date().toISOString();
      await core.vault.update((content) => {
        for (let i = 0; i < CREDENTIALS; i++) content.credentials.push(credential(i, now));
      });
      // A copy: locking wipes the vault's own, and the peers need it whole.
      const content = core.vault.read((c) => structuredClone(c));
      const target = content.credentials[CREDENTIALS / 2];
      if (!target) throw new Error('the vault did not take 10,000 credentials');
      const { kdf } = decodeVaultFile(await readFile(core.vault.path), core.vault.path).header;

      const plainPath = join(dataDir, 'plain.json');
      const plainSave = () =>
        writeFileAtomic(plainPath, Buffer.from(JSON.stringify(content)), {
          fs: nodeFs,
          backup: true,
        });
      await writeFile(plainPath, JSON.stringify(content));
      let edits = 0;
      const n = (x: number, least: number) => Math.max(least, Math.round(x * scale));
      return {
        figures: [
          {
            name: 'vault_10k_unlock',
            label: `unlock with the keychain, ${CREDENTIALS} credentials (no KDF)`,
            warmup: 2,
            iterations: n(30, 5),
            before: async () => resultOf(await core.dispatch('vault:lock', {})),
            run: async () => resultOf(await core.dispatch('vault:unlock', {})),
          },
          {
            name: 'plain_10k_read',
            label: 'the same content read and parsed as plain JSON',
            warmup: 2,
            iterations: n(30, 5),
            run: async () => JSON.parse(await readFile(plainPath, 'utf8')) as unknown,
          },
          {
            name: 'kdf',
            label: `Argon2id at the calibrated cost (${kdf.memoryKiB} KiB, ${kdf.iterations} passes)`,
            warmup: 1,
            iterations: n(10, 3),
            run: () => deriveKey(normalizeRecoveryPassphrase(recoveryPassphrase), kdf),
          },
          {
            name: 'vault_10k_save',
            label: `save after one change, ${CREDENTIALS} credentials`,
            warmup: 2,
            iterations: n(30, 5),
            run: async () =>
              resultOf(
                await core.dispatch('credentials:update', {
                  id: target.id,
                  description: `Edited ${++edits} times by the benchmark`,
                }),
              ),
          },
          {
            name: 'plain_10k_save',
            label: 'the same content saved as plain JSON, atomically and durably',
            warmup: 2,
            iterations: n(30, 5),
            run: plainSave,
          },
        ],
        ratios: [
          {
            name: 'vault_10k_unlock/plain_10k_read',
            label: 'unlock / plain JSON read',
            numerator: 'vault_10k_unlock',
            denominator: 'plain_10k_read',
          },
          {
            name: 'vault_10k_save/plain_10k_save',
            label: 'save / plain JSON save',
            numerator: 'vault_10k_save',
            denominator: 'plain_10k_save',
          },
        ],
        teardown,
      };
    } catch (error) {
      await teardown();
      throw error;
    }
  },
};
