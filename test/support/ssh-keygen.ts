import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// OpenSSH's ssh-keygen for tests: keys made as people make them (every type
// the ssh-signing plugin takes, with and without a passphrase) in a throwaway
// folder, and every SSH signature checked by `ssh-keygen -Y verify`. Errors
// name the operation and ssh-keygen's own message, never key material.

export type SshKeyKind =
  'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa-2048' | 'rsa-3072' | 'rsa-4096';

export const SSH_KEY_KINDS: readonly SshKeyKind[] = [
  'ed25519',
  'ecdsa-p256',
  'ecdsa-p384',
  'rsa-2048',
  'rsa-3072',
  'rsa-4096',
];

const KEYGEN_ARGS: Record<SshKeyKind, string[]> = {
  ed25519: ['-t', 'ed25519'],
  'ecdsa-p256': ['-t', 'ecdsa', '-b', '256'],
  'ecdsa-p384': ['-t', 'ecdsa', '-b', '384'],
  'rsa-2048': ['-t', 'rsa', '-b', '2048'],
  'rsa-3072': ['-t', 'rsa', '-b', '3072'],
  'rsa-4096': ['-t', 'rsa', '-b', '4096'],
};

export interface SshTestKey {
  kind: SshKeyKind;
  /** The private key file's text, as a person pastes it. */
  privateKey: string;
  /** '' for an unprotected key. */
  passphrase: string;
  /** The .pub file's line: type, base64 blob, comment. */
  publicLine: string;
  /** `ssh-keygen -lf KEY.pub`: "256 SHA256:… comment (ED25519)". */
  fingerprintLine: string;
  comment: string;
}

export interface VerifyOutcome {
  ok: boolean;
  output: string;
}

export class SshKeygen {
  private constructor(readonly dir: string) {}

  static async start(): Promise<SshKeygen> {
    return new SshKeygen(await mkdtemp(join(tmpdir(), 'custodian-ssh-')));
  }

  private run(args: string[], input?: Buffer | string) {
    return spawnSync('ssh-keygen', args, {
      input: typeof input === 'string' ? Buffer.from(input) : input,
      timeout: 60_000,
    });
  }

  /** A new key; the private key file is deleted once read (the test holds it in memory). */
  async generate(
    kind: SshKeyKind,
    passphrase = '',
    name = `${kind}-${passphrase ? 'p' : 'u'}`,
  ): Promise<SshTestKey> {
    const path = join(this.dir, name);
    const comment = `${name}@custodian-test`;
    const made = this.run([
      '-q',
      ...KEYGEN_ARGS[kind],
      '-N',
      passphrase,
      '-C',
      comment,
      '-f',
      path,
    ]);
    if (made.status !== 0)
      throw new Error(`ssh-keygen could not make a ${kind} key: ${made.stderr.toString()}`);
    const privateKey = await readFile(path, 'utf8');
    const publicLine = (await readFile(`${path}.pub`, 'utf8')).trim();
    const listed = this.run(['-lf', `${path}.pub`]);
    await rm(path);
    return {
      kind,
      privateKey,
      passphrase,
      publicLine,
      fingerprintLine: listed.stdout.toString().trim(),
      comment,
    };
  }

  /** `ssh-keygen -Y verify` of `signature` over `data` by the key of `publicLine` in `namespace`. */
  async verify(
    publicLine: string,
    namespace: string,
    data: Buffer | string,
    signature: string,
  ): Promise<VerifyOutcome> {
    const signers = join(this.dir, 'allowed_signers');
    const sig = join(this.dir, 'data.sig');
    await writeFile(signers, `tester@example ${publicLine}\n`);
    await writeFile(sig, signature);
    const checked = this.run(
      ['-Y', 'verify', '-f', signers, '-I', 'tester@example', '-n', namespace, '-s', sig],
      data,
    );
    return {
      ok: checked.status === 0,
      output: `${checked.stdout.toString()}${checked.stderr.toString()}`.trim(),
    };
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
