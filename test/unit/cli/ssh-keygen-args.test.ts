import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeygenArgs } from '../../../electron/headless/cli/ssh/keygen-args';
import { fromLine, readPublicKey } from '../../../electron/headless/cli/ssh/public-key-file';

// custodian ssh-sign reads git's ssh-keygen arguments as ssh-keygen does, and
// finds the public key in what -f names: a key line or a private key file's
// clear header (a protected one too: its passphrase is never asked for).

describe('the ssh-keygen arguments git passes', () => {
  it('reads git’s sign call, with and without -U, grouped or not', () => {
    const sign = { kind: 'sign', namespace: 'git', keyFile: '/tmp/k', files: ['/tmp/buf'] };
    expect(readKeygenArgs(['-Y', 'sign', '-n', 'git', '-f', '/tmp/k', '/tmp/buf'])).toEqual(sign);
    expect(readKeygenArgs(['-Y', 'sign', '-n', 'git', '-f', '/tmp/k', '-U', '/tmp/buf'])).toEqual(
      sign,
    );
    expect(readKeygenArgs(['-Ysign', '-ngit', '-Uqf', '/tmp/k', '/tmp/buf'])).toEqual(sign);
    expect(
      readKeygenArgs(['-Y', 'sign', '-O', 'hashalg=sha512', '-n', 'file', '-f', 'k', 'a', 'b']),
    ).toEqual({ kind: 'sign', namespace: 'file', keyFile: 'k', files: ['a', 'b'] });
    expect(readKeygenArgs(['-Y', 'sign', '-n', 'git', '-f', 'k', '--', '-'])).toMatchObject({
      files: ['-'],
    });
  });

  it('leaves every other operation to ssh-keygen', () => {
    for (const argv of [
      ['-Y', 'verify', '-n', 'git', '-f', 'allowed', '-I', 'me', '-s', 'x.sig'],
      ['-Y', 'find-principals', '-f', 'allowed', '-s', 'x.sig'],
      ['-Y', 'check-novalidate', '-n', 'git', '-s', 'x.sig'],
      ['-l', '-f', 'key.pub'],
      // ssh-keygen, not us, tells the person what is missing here.
      ['-Y', 'verify', '-f'],
      [],
    ])
      expect(readKeygenArgs(argv), argv.join(' ')).toEqual({ kind: 'other' });
  });

  it('refuses a sign call it cannot honour, by name', () => {
    const refused = (argv: string[]) => () => readKeygenArgs(argv);
    expect(refused(['-Y', 'sign', '-f', 'k', 'f'])).toThrow(/needs a namespace/);
    expect(refused(['-Y', 'sign', '-n', 'git', 'f'])).toThrow(/-f KEYFILE/);
    expect(refused(['-Y', 'sign', '-n', 'git', '-f', 'k'])).toThrow(/file to sign/);
    expect(refused(['-Y', 'sign', '-n', 'git', '-f'])).toThrow(/-f needs a value/);
    expect(refused(['-Y', 'sign', '-O', 'hashalg=sha256', '-n', 'g', '-f', 'k', 'f'])).toThrow(
      /hashalg=sha256 is not supported/,
    );
    expect(refused(['-Y', 'sign', '-n', 'g', '-f', 'k', '-s', 'x', 'f'])).toThrow(/-s here/);
    try {
      readKeygenArgs(['-Y', 'sign', '-f', 'k', 'f']);
    } catch (error) {
      expect(error).toMatchObject({ code: 'usage' });
    }
  });
});

describe('the public key in KEYFILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-sshkey-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keygen = (name: string, ...args: string[]) => {
    execFileSync('ssh-keygen', ['-q', '-C', 'me@example', '-f', join(dir, name), ...args]);
    return {
      private: readFileSync(join(dir, name), 'utf8'),
      line: readFileSync(join(dir, `${name}.pub`), 'utf8'),
    };
  };

  it('is the same from the .pub line and from the private key file, protected or not', () => {
    for (const [name, args] of [
      ['ed', ['-t', 'ed25519', '-N', '']],
      ['ec', ['-t', 'ecdsa', '-b', '384', '-N', 'pass phrase']],
      ['rsa', ['-t', 'rsa', '-b', '2048', '-N', 'pass phrase']],
    ] as const) {
      const key = keygen(name, ...args);
      const fromPub = readPublicKey(key.line, name);
      expect(fromPub.type).toBe(key.line.split(' ')[0]);
      expect(fromPub.blob).toBe(key.line.split(' ')[1]);
      expect(readPublicKey(key.private, name)).toEqual(fromPub);
      // What git writes for user.signingkey = "key::…": the line, maybe without a comment.
      expect(readPublicKey(`${key.line.split(' ').slice(0, 2).join(' ')}\n`, name)).toEqual(
        fromPub,
      );
    }
  });

  it('refuses what holds no key, and a line whose type and blob disagree', () => {
    const ed = keygen('ed2', '-t', 'ed25519', '-N', '').line.split(' ');
    expect(fromLine(`ssh-rsa ${ed[1]}`)).toBeNull();
    expect(() => readPublicKey('hello\n', 'k')).toThrow(/k holds no SSH public key/);
    expect(() => readPublicKey('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA', 'k')).toThrow(
      /cut short/,
    );
    expect(() =>
      readPublicKey(
        '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----',
        'k',
      ),
    ).toThrow(/not an openssh-key-v1/);
  });
});
