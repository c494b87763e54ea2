import { argon2id } from 'hash-wasm';
import { z } from 'zod';
import { SecretBytes, type SecretBytesObserver } from './secret-bytes';

// Argon2id through hash-wasm (an audited WebAssembly build of the reference
// code) so the same KDF runs in Electron and on plain Node without a native addon.

/** Below this a stolen vault file is too cheap to guess at; above it unlocking could exhaust memory. */
export const KDF_FLOOR = { memoryKiB: 19_456, iterations: 2, parallelism: 1 } as const;
export const KDF_CAP = { memoryKiB: 1_048_576, iterations: 20, parallelism: 8 } as const;
export const SALT_BYTES = 16;

export const kdfParamsSchema = z
  .object({
    algorithm: z.literal('argon2id'),
    memoryKiB: z.number().int(),
    iterations: z.number().int(),
    parallelism: z.number().int(),
    salt: z.string(),
  })
  .strict();
export type KdfParams = z.infer<typeof kdfParamsSchema>;
export type KdfCost = Pick<KdfParams, 'memoryKiB' | 'iterations' | 'parallelism'>;

/** Says why these parameters are refused, or null when they are within the floor and the cap. */
export function checkKdfCost(cost: KdfCost): string | null {
  for (const key of ['memoryKiB', 'iterations', 'parallelism'] as const) {
    if (cost[key] < KDF_FLOOR[key])
      return `${key} ${cost[key]} is below the floor of ${KDF_FLOOR[key]}`;
    if (cost[key] > KDF_CAP[key]) return `${key} ${cost[key]} is above the cap of ${KDF_CAP[key]}`;
  }
  return null;
}

/**
 * The key, in a Buffer of its own (not a slice of Node's pool) for the caller
 * to wipe. The secret's UTF-8 bytes and the KDF's own output are zeroed here;
 * the string itself and the KDF's WebAssembly memory cannot be (README,
 * "What is not defended").
 */
export async function deriveKey(
  secret: string,
  params: KdfParams,
  observe?: SecretBytesObserver,
): Promise<Buffer> {
  const refusal = checkKdfCost(params);
  if (refusal) throw new Error(`Refusing Argon2id parameters: ${refusal}`);
  return SecretBytes.fromString(secret, 'utf8', observe).useOnce(async (password) => {
    const hash = await argon2id({
      password,
      salt: Buffer.from(params.salt, 'base64'),
      memorySize: params.memoryKiB,
      iterations: params.iterations,
      parallelism: params.parallelism,
      hashLength: 32,
      outputType: 'binary',
    });
    const key = Buffer.alloc(hash.length);
    key.set(hash);
    hash.fill(0);
    observe?.(key);
    return key;
  });
}

/**
 * Picks a cost for this machine: 64 MiB, and as many passes as fit in about
 * `targetMs`, never under the floor or over the cap.
 */
export async function calibrateKdfCost(
  targetMs = 500,
  now: () => number = performance.now.bind(performance),
): Promise<KdfCost> {
  const memoryKiB = 65_536;
  const probe = {
    algorithm: 'argon2id' as const,
    memoryKiB,
    iterations: 2,
    parallelism: 1,
    salt: Buffer.alloc(SALT_BYTES).toString('base64'),
  };
  const start = now();
  (await deriveKey('calibration', probe)).fill(0);
  const perPass = Math.max(1, (now() - start) / 2);
  const iterations = Math.min(10, Math.max(3, Math.round(targetMs / perPass)));
  return { memoryKiB, iterations, parallelism: 1 };
}
