import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { KDF_FLOOR } from '../../electron/core/crypto/argon2';
import { createHeadlessCore } from '../../electron/headless/headless-core';
import { GnuPG, type GpgAlgorithm } from '../../test/support/gpg';
import type { Figure, Ratio, Suite } from '../harness';
import { NoKeyStore } from '../../electron/core/keychain/key-store';

// Signing 1 KiB: through the plugin host end to end (core.pluginCalls.run on
// a headless core with pgp-signing installed: main's checks, the forked host,
// a fresh Extism instance, the plugin's own OpenPGP code), beside one
// `gpg --detach-sign` process per signature and openpgp.js in this process.
// Same key (made by gpg for this run, unprotected so that no figure pays for
// S2K), same data, armored output and the same hash for all three: SHA-256 for
// RSA, SHA-512 for Ed25519 (openpgp.js will not pair Ed25519 with anything
// weaker). Each implementation's output is checked with `gpg --verify` (signer
// and hash) before it is timed.

const PLUGIN_BUILD = join(import.meta.dirname, '..', '..', 'plugins', 'pgp-signing', 'build');

const HASHES = {
  sha256: { gpg: 'SHA256', openpgp: openpgp.enums.hash.sha256, id: 8 },
  sha512: { gpg: 'SHA512', openpgp: openpgp.enums.hash.sha512, id: 10 },
} as const;

const KEYS: { name: string; gpg: GpgAlgorithm; label: string; hash: keyof typeof HASHES }[] = [
  { name: 'ed25519', gpg: 'ed25519', label: 'Ed25519', hash: 'sha512' },
  { name: 'rsa3072', gpg: 'rsa3072', label: 'RSA-3072', hash: 'sha256' },
];

export const pgpSignSuite: Suite = {
  name: 'pgp-sign',
  async setup(scale) {
    if (!existsSync(join(PLUGIN_BUILD, 'plugin.wasm')))
      throw new Error('plugins/pgp-signing is not built: run npm run plugins:build');
    const data = randomBytes(1024);
    const gpg = await GnuPG.create('bench-gpg');
    const dataDir = await mkdtemp(join(tmpdir(), 'custodian-bench-'));
    const core = await createHeadlessCore({
      dataDir,
      // No keychain: the vault stays open from creation, which is all a benchmark needs.
      keyStore: new NoKeyStore(),
      kdfCost: { ...KDF_FLOOR },
    });
    const teardown = async () => {
      await core.vault.lock().catch(() => {});
      await core.pluginHost.stop();
      await gpg.close();
      await rm(dataDir, { recursive: true, force: true });
    };
    try {
      const created = await core.dispatch('vault:create', {});
      if ('error' in created) throw new Error(created.error.message);
      await core.plugins.installFromDirectory(PLUGIN_BUILD, { source: 'bench' });

      const figures: Figure[] = [];
      const ratios: Ratio[] = [];
      for (const key of KEYS) {
        const fingerprint = await gpg.generateKey({
          userId: `Bench ${key.label} <bench-${key.name}@custodian.test>`,
          algorithm: key.gpg,
        });
        const armoredKey = await gpg.exportSecretKeyArmored(fingerprint);
        const saved = await core.dispatch('credentials:create', {
          type: 'pgp_key',
          name: `bench-${key.name}`,
          fields: { private_key: armoredKey },
        });
        if ('error' in saved)
          throw new Error(`saving the ${key.label} key: ${saved.error.message}`);
        const signingKey = await openpgp.readPrivateKey({ armoredKey });
        const hash = HASHES[key.hash];
        const openpgpConfig = { preferredHashAlgorithm: hash.openpgp };

        const viaPlugin = async (): Promise<string> => {
          const answer = await core.pluginCalls.run({
            plugin: 'pgp-signing',
            action: 'sign',
            credential: { name: `bench-${key.name}` },
            parameters: { data: data.toString('base64'), encoding: 'base64', hash: key.hash },
          });
          const signature = (answer.data as { signature?: string } | undefined)?.signature;
          if (answer.code !== 0 || !signature)
            throw new Error(`the plugin answered ${answer.code}: ${answer.error}`);
          return signature;
        };
        const viaGpg = async (): Promise<string> =>
          (await gpg.detachSign(data, {
            localUser: `${fingerprint}!`,
            digest: hash.gpg,
          })) as string;
        const viaOpenpgp = async (): Promise<string> =>
          (await openpgp.sign({
            message: await openpgp.createMessage({ binary: data }),
            signingKeys: signingKey,
            detached: true,
            config: openpgpConfig,
          })) as string;

        // Every implementation makes a signature gpg accepts, by this key, over the same bytes, with the same hash.
        for (const [who, make] of [
          ['plugin', viaPlugin],
          ['gpg', viaGpg],
          ['openpgp.js', viaOpenpgp],
        ] as const) {
          const verdict = await gpg.verifyDetached(await make(), data);
          if (
            !verdict.good ||
            verdict.signerFingerprint !== fingerprint ||
            verdict.hashAlgorithm !== hash.id
          )
            throw new Error(
              `${who}'s ${key.label} signature did not verify as ${hash.gpg}: ${verdict.status}`,
            );
        }

        const n = (x: number) => Math.max(1, Math.round(x * scale));
        figures.push(
          {
            name: `pgp_sign_${key.name}`,
            label: `plugin host, ${key.label}, ${hash.gpg}`,
            warmup: n(10),
            iterations: n(200),
            run: viaPlugin,
          },
          {
            name: `gpg_sign_${key.name}`,
            label: `gpg --detach-sign per call, ${key.label}, ${hash.gpg}`,
            warmup: n(3),
            iterations: n(30),
            run: viaGpg,
          },
          {
            name: `openpgpjs_sign_${key.name}`,
            label: `openpgp.js in process, ${key.label}, ${hash.gpg}`,
            warmup: n(10),
            iterations: n(200),
            run: viaOpenpgp,
          },
        );
        ratios.push(
          {
            name: `gpg_over_plugin_${key.name}`,
            label: `gpg / plugin, ${key.label}`,
            numerator: `gpg_sign_${key.name}`,
            denominator: `pgp_sign_${key.name}`,
          },
          {
            name: `openpgpjs_over_plugin_${key.name}`,
            label: `openpgp.js / plugin, ${key.label}`,
            numerator: `openpgpjs_sign_${key.name}`,
            denominator: `pgp_sign_${key.name}`,
          },
        );
      }
      return { figures, ratios, teardown };
    } catch (error) {
      await teardown();
      throw error;
    }
  },
};
