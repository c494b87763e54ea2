import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshKeygen, type SshTestKey } from '../../support/ssh-keygen';
import { keyLines, SshCore } from './ssh-core';

// What the import refuses, each with a reason a person can act on, and
// nothing of the key or the passphrase in any message: a wrong or missing
// passphrase, the wrong kind of paste (a public key, a PEM key), a damaged or
// cut file, key types and sizes it does not take, a KDF cost past its limit.
// And what sign refuses from an agent: a namespace that is empty or would
// read as something else in the approval.

const PASSPHRASE = 'tr0ub4dor &3 passphrase';
let keygen: SshKeygen;
let ssh: SshCore;
let plain: SshTestKey;
let locked: SshTestKey;

beforeAll(async () => {
  keygen = await SshKeygen.start();
  ssh = await SshCore.start();
  plain = await keygen.generate('ed25519');
  locked = await keygen.generate('ecdsa-p256', PASSPHRASE);
});
afterAll(async () => {
  await ssh?.close();
  await keygen?.close();
});

/** The save's refusal message, checked to hold nothing of the key or its passphrase. */
async function refusal(
  privateKey: string,
  passphrase = '',
  secrets: string[] = [],
): Promise<string> {
  const saved = await ssh.save(`refused ${Math.random()}`, privateKey, passphrase);
  if (!('error' in saved)) throw new Error('the save was accepted');
  const message = saved.error.message;
  for (const secret of [...keyLines(privateKey), ...secrets, ...(passphrase ? [passphrase] : [])])
    expect(message.includes(secret)).toBe(false);
  return message;
}

/** A key file made by ssh-keygen with extra arguments, read and deleted. */
function keyFile(name: string, ...args: string[]): string {
  const path = join(keygen.dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-C', name, '-f', path, ...args]);
  return readFileSync(path, 'utf8');
}

/**
 * The key file with one byte changed: in the public key its header holds
 * ('header'), or in the seed of its private half ('seed'). Ed25519 keys only:
 * the public key's 32 bytes appear in both places.
 */
function damaged(key: SshTestKey, where: 'header' | 'seed'): string {
  const lines = key.privateKey.trim().split('\n');
  const body = Buffer.from(lines.slice(1, -1).join(''), 'base64');
  const publicKey = Buffer.from(key.publicLine.split(' ')[1] ?? '', 'base64').subarray(-32);
  const at = where === 'header' ? body.indexOf(publicKey) + 7 : body.lastIndexOf(publicKey) - 7;
  body.writeUInt8(body.readUInt8(at) ^ 0x40, at);
  return [lines[0], ...(body.toString('base64').match(/.{1,70}/g) ?? []), lines.at(-1), ''].join(
    '\n',
  );
}

describe('import refuses, saying why', () => {
  it('a wrong passphrase, and a missing one', async () => {
    expect(await refusal(locked.privateKey, 'not the passphrase', [PASSPHRASE])).toMatch(
      /Wrong passphrase/,
    );
    expect(await refusal(locked.privateKey)).toMatch(/protected: enter its passphrase/);
  });

  it('a public key, a PEM key and something else entirely', async () => {
    expect(await refusal(plain.publicLine)).toMatch(/This is a public key/);
    const pem = keyFile('pem', '-t', 'rsa', '-b', '2048', '-m', 'PEM');
    expect(pem).toMatch(/BEGIN RSA PRIVATE KEY/);
    expect(await refusal(pem)).toMatch(/PEM private key.*ssh-keygen -p/);
    expect(await refusal('hello')).toMatch(/Paste an OpenSSH private key/);
  });

  it('a damaged or cut key file', async () => {
    expect(await refusal(damaged(plain, 'header'))).toMatch(/does not match the public key/);
    expect(await refusal(damaged(plain, 'seed'))).toMatch(/does not belong to its public key/);
    const lines = plain.privateKey.split('\n');
    const cut = [...lines.slice(0, 3), lines.at(-2), ''].join('\n');
    expect(await refusal(cut)).toMatch(/cut short|damaged|not valid base64/);
  });

  it('P-521, RSA below 2048 bits, and bcrypt rounds beyond its limit', async () => {
    expect(await refusal(keyFile('p521', '-t', 'ecdsa', '-b', '521'))).toMatch(/P-521/);
    expect(await refusal(keyFile('rsa1024', '-t', 'rsa', '-b', '1024'))).toMatch(
      /2048 to 8192 bits.*1024/,
    );
    const path = join(keygen.dir, 'slow');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-a', '300', '-N', 'pw', '-f', path]);
    expect(await refusal(readFileSync(path, 'utf8'), 'pw')).toMatch(/bcrypt rounds \(300\)/);
  });

  it('stores nothing it refused', async () => {
    expect(await ssh.core.dispatch('credentials:list', {})).toEqual({ result: [] });
    // (A changed comment is no damage the format can tell: it is the person's label.)
  });
});

describe('sign refuses a namespace the approval could misread', () => {
  beforeAll(async () => {
    await ssh.add('plain', plain);
  });

  it('one with a space or a line break, and an empty one', async () => {
    for (const namespace of ['git file', 'git\nfile'])
      expect(await ssh.sign('plain', namespace, 'data')).toMatchObject({
        code: -3,
        error: expect.stringMatching(/spaces or control characters/),
      });
    const empty = await ssh.sign('plain', '', 'data');
    expect(empty.code).not.toBe(0);
  });
});
