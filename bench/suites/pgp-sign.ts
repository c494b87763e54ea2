import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import type { Figure, Ratio, Suite } from '../harness';
import { toolText, type BenchContext } from '../support/bench-context';
import type { GpgAlgorithm } from '../../test/support/gpg';

// Signing 1 KiB end to end: an MCP client calls pgp_sign through the bundled
// bridge (the socket, the core's policy and audit, the forked plugin host, a
// fresh Extism instance, the plugin's own OpenPGP code), beside one
// `gpg --detach-sign` process per signature and openpgp.js in this process.
// Same key (made by gpg for this run, unprotected so that no figure pays for
// S2K), same data, armored output and the same hash for all three: SHA-256 for
// RSA, SHA-512 for Ed25519 (openpgp.js will not pair Ed25519 with anything
// weaker). Each implementation's output is checked with `gpg --verify` (signer
// and hash) before it is timed.

const HASHES = {
  sha256: { gpg: 'SHA256', openpgp: openpgp.enums.hash.sha256, id: 8 },
  sha512: { gpg: 'SHA512', openpgp: openpgp.enums.hash.sha512, id: 10 },
} as const;

const KEYS: { name: string; gpg: GpgAlgorithm; label: string; hash: keyof typeof HASHES }[] = [
  { name: 'ed25519', gpg: 'ed25519', label: 'Ed25519', hash: 'sha512' },
  { name: 'rsa3072', gpg: 'rsa3072', label: 'RSA-3072', hash: 'sha256' },
];

export const pgpSignSuite: Suite<BenchContext> = {
  name: 'pgp-sign',
  async setup(scale, context) {
    const data = randomBytes(1024);
    const gpg = await context.gpg();
    const agent = await context.agent();
    const figures: Figure[] = [];
    const ratios: Ratio[] = [];
    for (const key of KEYS) {
      const { fingerprint, armoredKey, credential } = await context.pgpKey(key.gpg);
      const signingKey = await openpgp.readPrivateKey({ armoredKey });
      const hash = HASHES[key.hash];

      const viaBridge = async (): Promise<string> => {
        const text = await toolText(agent, 'pgp_sign', {
          credential,
          data: data.toString('base64'),
          encoding: 'base64',
          hash: key.hash,
        });
        const signature = (JSON.parse(text) as { signature?: string }).signature;
        if (!signature) throw new Error('pgp_sign answered no signature');
        return signature;
      };
      const viaGpg = async (): Promise<string> =>
        (await gpg.detachSign(data, { localUser: `${fingerprint}!`, digest: hash.gpg })) as string;
      const viaOpenpgp = async (): Promise<string> =>
        (await openpgp.sign({
          message: await openpgp.createMessage({ binary: data }),
          signingKeys: signingKey,
          detached: true,
          config: { preferredHashAlgorithm: hash.openpgp },
        })) as string;

      // Every implementation makes a signature gpg accepts, by this key, over the same bytes, with the same hash.
      for (const [who, make] of [
        ['the bridge', viaBridge],
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
      const figure = `pgp_sign_${key.name}`;
      figures.push(
        {
          name: figure,
          label: `pgp_sign through the bridge, ${key.label}, ${hash.gpg}`,
          warmup: n(10),
          iterations: n(200),
          run: viaBridge,
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
          name: `${figure}/gpg_sign_${key.name}`,
          label: `bridge / gpg per call, ${key.label}`,
          numerator: figure,
          denominator: `gpg_sign_${key.name}`,
        },
        {
          name: `${figure}/openpgpjs_sign_${key.name}`,
          label: `bridge / openpgp.js, ${key.label}`,
          numerator: figure,
          denominator: `openpgpjs_sign_${key.name}`,
        },
        {
          name: `gpg_sign_${key.name}/${figure}`,
          label: `gpg per call / bridge, ${key.label} (how many times faster)`,
          numerator: `gpg_sign_${key.name}`,
          denominator: figure,
        },
        {
          name: `${figure}/durable_floor`,
          label: `bridge / the floor, ${key.label}`,
          numerator: figure,
          denominator: 'durable_floor',
        },
        {
          name: `${figure}-durable_floor`,
          label: `bridge − the floor, ${key.label} (ms)`,
          numerator: figure,
          denominator: 'durable_floor',
          kind: 'difference',
        },
      );
    }
    return { figures, ratios, teardown: async () => {} };
  },
};
