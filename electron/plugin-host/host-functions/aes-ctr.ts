import { encryptBlocks } from './aes-cfb';

// AES in CTR mode, as OpenSSH's aes128/192/256-ctr protect private key files:
// the key stream is E_K of the counter blocks IV, IV+1, IV+2, ... (the whole
// 128-bit block a big-endian counter that wraps), xored with the data. Every
// counter block is known up front, so the stream is one ECB encryption, on
// the block cipher alone like CFB (aes-cfb.ts). Encryption and decryption
// are the same operation.

const BLOCK = 16;

export function aesCtrCrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (iv.length !== BLOCK) throw new RangeError(`the CTR IV is ${BLOCK} bytes, not ${iv.length}`);
  const blocks = Math.ceil(data.length / BLOCK);
  const counters = new Uint8Array(Math.max(blocks, 1) * BLOCK);
  const counter = Uint8Array.from(iv);
  for (let block = 0; block < blocks; block++) {
    counters.set(counter, block * BLOCK);
    for (let i = BLOCK - 1; i >= 0; i--) {
      counter[i] = ((counter[i] ?? 0) + 1) & 0xff;
      if (counter[i] !== 0) break;
    }
  }
  // Also checks the key's size when there is no data.
  const stream = encryptBlocks(key, counters);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] ?? 0) ^ (stream[i] ?? 0);
  return out;
}
