import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshKeygen, type SshTestKey } from '../../support/ssh-keygen';
import { keyLines, SshCore } from './ssh-core';

// No key file can crash the import or hang it: fast-check changes, cuts and
// extends the binary body of real ssh-keygen keys (one of each type, one
// protected), rearmors it, and saves it. Every save either imports a key
// that still matches its own public key (a change the format does not
// notice, such as in the comment) or is refused with a message; none takes
// the plugin host down (a good key imports straight after), and no message
// holds a line of the key. Each refusal is the plugin's reason about the
// key (cut short, not matching its public key, a wrong check number...),
// never a trap of the module or a failure of the host. The seed is fixed
// (SSH_FUZZ_SEED overrides it).

const SEED = Number(process.env.SSH_FUZZ_SEED ?? 16);
const RUNS = 150;
const PASSPHRASE = 'fuzzed passphrase';
let keygen: SshKeygen;
let ssh: SshCore;
const keys: SshTestKey[] = [];

beforeAll(async () => {
  keygen = await SshKeygen.start();
  ssh = await SshCore.start();
  keys.push(await keygen.generate('ed25519'));
  keys.push(await keygen.generate('ecdsa-p256'));
  keys.push(await keygen.generate('rsa-2048'));
  keys.push(await keygen.generate('ed25519', PASSPHRASE));
});
afterAll(async () => {
  await ssh?.close();
  await keygen?.close();
});

function body(key: SshTestKey): Buffer {
  const lines = key.privateKey.trim().split('\n');
  return Buffer.from(lines.slice(1, -1).join(''), 'base64');
}

function armor(data: Buffer): string {
  const text = data.toString('base64');
  return [
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    ...(text.match(/.{1,70}/g) ?? []),
    '-----END OPENSSH PRIVATE KEY-----',
    '',
  ].join('\n');
}

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    bit: fc.integer({ min: 0, max: 7 }),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('set32' as const),
    at: fc.nat(),
    value: fc.nat({ max: 0xffffffff }),
  }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(data: Buffer, m: Mutation): Buffer {
  const copy = Buffer.from(data);
  if (m.kind === 'flip') {
    const at = m.at % copy.length;
    copy.writeUInt8(copy.readUInt8(at) ^ (1 << m.bit), at);
    return copy;
  }
  if (m.kind === 'cut') return copy.subarray(0, m.at % copy.length);
  if (m.kind === 'set32') {
    const at = m.at % Math.max(1, copy.length - 4);
    copy.writeUInt32BE(m.value, at);
    return copy;
  }
  return Buffer.concat([copy, Buffer.from(m.bytes)]);
}

describe('damaged key files', () => {
  it(`${RUNS} changed keys are imported whole or refused, and the host stays up`, async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: keys.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (which, mutations) => {
          const key = keys[which] as SshTestKey;
          let data = body(key);
          for (const m of mutations) data = mutate(data, m);
          const saved = await ssh.save(`fuzzed ${Math.random()}`, armor(data), key.passphrase);
          if ('error' in saved) {
            refused++;
            if (process.env.SSH_FUZZ_LOG) console.log(saved.error.message);
            expect(saved.error.message.length).toBeGreaterThan(0);
            for (const line of keyLines(key.privateKey))
              expect(saved.error.message.includes(line)).toBe(false);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(refused).toBeGreaterThan(RUNS / 2);
    // The plugin host answers a good key straight after.
    const facts = await ssh.add('good after fuzzing', keys[0] as SshTestKey);
    expect(facts.public_key).toBe(keys[0]?.publicLine);
  }, 600_000);
});
