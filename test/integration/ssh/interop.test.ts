import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SSH_KEY_KINDS,
  SshKeygen,
  type SshKeyKind,
  type SshTestKey,
} from '../../support/ssh-keygen';
import { keyLines, SshCore, type KeyFacts } from './ssh-core';

// Every key type the plugin takes, made by ssh-keygen with and without a
// passphrase, saved as a person saves it: import shows what `ssh-keygen -lf`
// prints, and every signature the plugin makes (text and binary data, two
// namespaces) is accepted by `ssh-keygen -Y verify`, which refuses it over
// changed data, in another namespace and for another key.

const PASSPHRASE = 'correct horse battery staple';
/** A commit as git hands it to gpg.ssh.program: header lines, a blank line, the message. */
const COMMIT = [
  'tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  'author Test Person <test@example.org> 1764990000 +0000',
  'committer Test Person <test@example.org> 1764990000 +0000',
  '',
  'Grüße: a commit message with non-ASCII text',
  '',
].join('\n');
const BINARY = Buffer.from(Array.from({ length: 700 }, (_, i) => (i * 167 + 13) & 0xff));

let keygen: SshKeygen;
let ssh: SshCore;
const keys = new Map<string, SshTestKey>();
const facts = new Map<string, KeyFacts>();
const cases: [SshKeyKind, boolean][] = SSH_KEY_KINDS.flatMap((kind) => [
  [kind, false] as [SshKeyKind, boolean],
  [kind, true] as [SshKeyKind, boolean],
]);
const nameOf = (kind: SshKeyKind, protectedKey: boolean) =>
  `${kind}${protectedKey ? ' (protected)' : ''}`;

beforeAll(async () => {
  keygen = await SshKeygen.start();
  ssh = await SshCore.start();
  for (const [kind, protectedKey] of cases) {
    const key = await keygen.generate(kind, protectedKey ? PASSPHRASE : '');
    const name = nameOf(kind, protectedKey);
    keys.set(name, key);
    facts.set(name, await ssh.add(name, key));
  }
}, 300_000);
afterAll(async () => {
  await ssh?.close();
  await keygen?.close();
});

describe.each(cases)('an ssh-keygen %s key (protected: %s)', (kind, protectedKey) => {
  const name = nameOf(kind, protectedKey);
  const key = () => keys.get(name) as SshTestKey;

  it('imports to the public line and fingerprint ssh-keygen prints', () => {
    const found = facts.get(name) as KeyFacts;
    expect(found.public_key).toBe(key().publicLine);
    expect(`${found.bits} ${found.fingerprint} ${found.comment} (${found.type})`).toBe(
      key().fingerprintLine,
    );
    expect(found.protected).toBe(protectedKey);
  });

  it('signs text and binary data that ssh-keygen -Y verify accepts, and only those', async () => {
    for (const [namespace, data] of [
      ['git', COMMIT],
      ['file', BINARY],
    ] as const) {
      const answer = await ssh.sign(name, namespace, data);
      expect(answer.error ?? null).toBeNull();
      const signature = answer.data?.signature ?? '';
      expect(signature).toMatch(
        /^-----BEGIN SSH SIGNATURE-----\n[\s\S]+\n-----END SSH SIGNATURE-----\n$/,
      );
      for (const line of keyLines(key().privateKey)) expect(signature.includes(line)).toBe(false);

      const good = await keygen.verify(key().publicLine, namespace, data, signature);
      expect(good.ok, good.output).toBe(true);
      expect(good.output).toContain('Good "' + namespace + '" signature for tester@example');

      const changed =
        typeof data === 'string' ? data.replace('Grüße', 'Grüsse') : Buffer.from(data);
      if (Buffer.isBuffer(changed)) changed.writeUInt8(changed.readUInt8(350) ^ 1, 350);
      expect((await keygen.verify(key().publicLine, namespace, changed, signature)).ok).toBe(false);
      const elsewhere = namespace === 'git' ? 'file' : 'git';
      expect((await keygen.verify(key().publicLine, elsewhere, data, signature)).ok).toBe(false);
    }
  });

  it('keeps the key sealed as JWK and never answers a part of it', async () => {
    const stored = ssh.core.vault.read((c) => c.credentials.find((x) => x.name === name));
    const jwk = JSON.parse(stored?.imported?.sealed.private_jwk ?? '{}') as Record<string, string>;
    // The private parts, however the plugin might spell them: base64url as sealed, hex, base64.
    const parts = ['d', 'p', 'q', 'dp', 'dq', 'qi'].flatMap((k) => (jwk[k] ? [jwk[k]] : []));
    expect(parts.length).toBeGreaterThan(0);
    const spellings = parts.flatMap((part) => {
      const bytes = Buffer.from(part, 'base64url');
      return [part, bytes.toString('hex'), bytes.toString('base64').replace(/=+$/, '')];
    });
    const answers = [
      JSON.stringify(await ssh.sign(name, 'git', COMMIT)),
      JSON.stringify(await ssh.run('get_public_key', name)),
      JSON.stringify(facts.get(name)),
    ].join('\n');
    for (const spelling of spellings) expect(answers.includes(spelling)).toBe(false);
    // The passphrase was for the import only.
    if (protectedKey) expect(JSON.stringify(stored).includes(PASSPHRASE)).toBe(false);
  });

  it('answers its public key line and fingerprint', async () => {
    const answer = await ssh.run<{ public_key: string; fingerprint: string }>(
      'get_public_key',
      name,
    );
    expect(answer.data).toEqual({
      public_key: key().publicLine,
      fingerprint: (facts.get(name) as KeyFacts).fingerprint,
    });
  });
});

it('a signature by one key is refused for another key of the same type', async () => {
  const signed = await ssh.sign(nameOf('ed25519', false), 'git', COMMIT);
  const other = keys.get(nameOf('ed25519', true)) as SshTestKey;
  const verdict = await keygen.verify(
    other.publicLine,
    'git',
    COMMIT,
    signed.data?.signature ?? '',
  );
  expect(verdict.ok).toBe(false);
});
