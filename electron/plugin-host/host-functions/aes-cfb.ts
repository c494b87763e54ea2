import { createCipheriv, createDecipheriv } from 'node:crypto';

// AES in CFB mode with full-block (128-bit) feedback, as OpenPGP uses it to
// protect secret keys, built on the AES block cipher alone: Electron's
// BoringSSL has aes-*-ecb but may lack aes-*-cfb.
//   C_i = P_i xor E_K(C_{i-1}),  C_0 = IV
// Decryption needs only E_K of blocks that are all known up front (the IV and
// the ciphertext), so it is one ECB encryption of IV || C_1 .. C_{n-1} and one
// xor. A last partial block uses the first bytes of its key stream block.

const BLOCK = 16;

function ecbName(key: Uint8Array): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError(`an AES key is 16, 24 or 32 bytes, not ${key.length}`);
  return `aes-${key.length * 8}-ecb`;
}

/** E_K over whole blocks, no padding (CTR's key stream is made the same way: aes-ctr.ts). */
export function encryptBlocks(key: Uint8Array, blocks: Uint8Array): Buffer {
  const cipher = createCipheriv(ecbName(key), key, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(blocks), cipher.final()]);
}

export function aesCfbDecrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== BLOCK) throw new RangeError(`the CFB IV is ${BLOCK} bytes, not ${iv.length}`);
  if (data.length === 0) {
    ecbName(key);
    return new Uint8Array(0);
  }
  const blocks = Math.ceil(data.length / BLOCK);
  // Feedback input: IV, then every ciphertext block but the last.
  const feedback = new Uint8Array(blocks * BLOCK);
  feedback.set(iv, 0);
  feedback.set(data.subarray(0, (blocks - 1) * BLOCK), BLOCK);
  const stream = encryptBlocks(key, feedback);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] ?? 0) ^ (stream[i] ?? 0);
  return out;
}

/** The inverse, for tests and for plugins that must write CFB (feedback is the output, so block by block). */
export function aesCfbEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== BLOCK) throw new RangeError(`the CFB IV is ${BLOCK} bytes, not ${iv.length}`);
  const cipher = createCipheriv(ecbName(key), key, null);
  cipher.setAutoPadding(false);
  const out = new Uint8Array(data.length);
  let previous: Uint8Array = iv;
  for (let offset = 0; offset < data.length; offset += BLOCK) {
    const stream = cipher.update(previous);
    const end = Math.min(offset + BLOCK, data.length);
    for (let i = offset; i < end; i++) out[i] = (data[i] ?? 0) ^ (stream[i - offset] ?? 0);
    previous = out.subarray(offset, offset + BLOCK);
  }
  cipher.final();
  return out;
}

/** AES-ECB decryption of whole blocks (no padding). */
export function aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % BLOCK !== 0)
    throw new RangeError(`ECB data is whole ${BLOCK}-byte blocks; got ${data.length} bytes`);
  const decipher = createDecipheriv(ecbName(key), key, null);
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(data), decipher.final()]);
}
