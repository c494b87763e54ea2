import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// GnuPG for tests and benchmarks: a throwaway GNUPGHOME (0700) per suite,
// batch mode, loopback pinentry, no network, and its gpg-agent killed on close.
// Passphrases go to gpg as arguments (test keys only) and are blanked out of
// every error this module throws; key material is never part of a message.

/** What `gpg --quick-gen-key` and `--quick-add-key` take as the algorithm. */
export type GpgAlgorithm =
  | 'ed25519'
  | 'rsa2048'
  | 'rsa3072'
  | 'rsa4096'
  | 'nistp256'
  | 'nistp384'
  | 'cv25519'
  /** A P-256 signing subkey (for --quick-add-key, where plain nistp256 means ECDH). */
  | 'nistp256/ecdsa'
  | 'brainpoolP256r1'
  | 'secp256k1'
  | 'dsa2048';

export interface GpgRun {
  status: number | null;
  stdout: Buffer;
  stderr: string;
}

export interface GpgRunOptions {
  input?: string | Buffer;
  passphrase?: string;
  /** Seconds since the epoch, frozen: `--faked-system-time N!`. */
  fakedTime?: number;
  /** Do not throw on a non-zero exit. */
  allowFailure?: boolean;
}

/** One key of `gpg --with-colons --list-secret-keys`: the primary or a subkey. */
export interface GpgKey {
  primary: boolean;
  fingerprint: string;
  keyId: string;
  /** Public-key algorithm number (1 RSA, 17 DSA, 19 ECDSA, 22 EdDSA). */
  algorithm: number;
  bits: number;
  curve: string;
  created: number;
  /** Unix seconds, or 0 when it never expires. */
  expires: number;
  /** The key's own capabilities, lower case: "sc", "s", "c"... */
  capabilities: string;
  /** The validity field: "r" when revoked, "e" when expired, "u" ultimate... */
  validity: string;
}

/** What `gpg --status-fd 1 --verify` says about one signature. */
export interface GpgVerification {
  /** GOODSIG and VALIDSIG, and gpg exited 0. */
  good: boolean;
  /** BADSIG: the signature does not match the data. */
  bad: boolean;
  /** The (sub)key that made the signature, from VALIDSIG. */
  signerFingerprint?: string;
  /** Its primary key, from VALIDSIG. */
  primaryFingerprint?: string;
  /** Signature creation, Unix seconds. */
  created?: number;
  /** OpenPGP hash algorithm number (8 SHA-256, 10 SHA-512). */
  hashAlgorithm?: number;
  /** Signature class: 00 binary, 01 text. */
  signatureClass?: string;
  exitCode: number | null;
  /** The status lines, for failure messages: they hold no key material. */
  status: string;
}

export const HASH_IDS = { sha1: 2, sha256: 8, sha384: 9, sha512: 10 } as const;

const BASE_OPTIONS = [
  '--batch',
  '--no-tty',
  '--yes',
  '--pinentry-mode',
  'loopback',
  '--no-auto-key-locate',
  '--no-auto-key-retrieve',
  '--keyserver-options',
  'no-auto-key-retrieve',
  '--trust-model',
  'always',
  '--no-auto-check-trustdb',
];

export class GnuPG {
  private counter = 0;

  private constructor(
    /** The GNUPGHOME. */
    readonly home: string,
  ) {}

  /**
   * A fresh GNUPGHOME. agentS2kCount sets gpg-agent's s2k-count, which is the
   * iteration count GnuPG 2.2 writes into exported secret keys (the cipher and
   * hash it exports with are fixed: AES-128 and SHA-1).
   */
  static async create(label = 'gpg', options: { agentS2kCount?: number } = {}): Promise<GnuPG> {
    const home = await mkdtemp(join(tmpdir(), `custodian-${label}-`));
    await chmod(home, 0o700);
    await mkdir(join(home, 'work'), { mode: 0o700 });
    // No dirmngr, no keyserver, no network: keys come only from the tests.
    await writeFile(join(home, 'dirmngr.conf'), 'disable-http\ndisable-ldap\n', { mode: 0o600 });
    const agent = ['allow-loopback-pinentry'];
    if (options.agentS2kCount !== undefined) agent.push(`s2k-count ${options.agentS2kCount}`);
    await writeFile(join(home, 'gpg-agent.conf'), `${agent.join('\n')}\n`, { mode: 0o600 });
    return new GnuPG(home);
  }

  /** Runs gpg in this home. Throws (without the passphrase) on a non-zero exit. */
  run(args: string[], options: GpgRunOptions = {}): Promise<GpgRun> {
    const full = [...BASE_OPTIONS, '--homedir', this.home];
    if (options.passphrase !== undefined) full.push('--passphrase', options.passphrase);
    if (options.fakedTime !== undefined) full.push('--faked-system-time', `${options.fakedTime}!`);
    full.push(...args);
    return new Promise((resolve, reject) => {
      const child = spawn('gpg', full, {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GNUPGHOME: this.home, LC_ALL: 'C' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.on('close', (status) => {
        const result = {
          status,
          stdout: Buffer.concat(out),
          stderr: Buffer.concat(err).toString('utf8'),
        };
        if (status !== 0 && !options.allowFailure) {
          reject(
            new Error(
              `gpg ${redact(args, options.passphrase).join(' ')} exited ${status}: ${redactText(result.stderr, options.passphrase)}`,
            ),
          );
        } else resolve(result);
      });
      child.stdin.on('error', () => {});
      child.stdin.end(options.input ?? '');
    });
  }

  /** A file in this home's work folder; the name is unique per call. */
  async file(name: string, content: string | Buffer): Promise<string> {
    const path = join(this.home, 'work', `${++this.counter}-${name}`);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  }

  /**
   * `--quick-gen-key`; answers the new key's fingerprint. usage as gpg takes it
   * ("sign", "cert", "default"); expire as gpg takes it ("never", "1d", "2y").
   */
  async generateKey(options: {
    userId: string;
    algorithm: GpgAlgorithm;
    usage?: string;
    expire?: string;
    passphrase?: string;
    fakedTime?: number;
  }): Promise<string> {
    await this.run(
      [
        '--quick-gen-key',
        options.userId,
        options.algorithm,
        options.usage ?? 'sign',
        options.expire ?? 'never',
      ],
      { passphrase: options.passphrase ?? '', fakedTime: options.fakedTime },
    );
    const key = (await this.keys(options.userId)).find((k) => k.primary);
    if (!key) throw new Error(`gpg made no key for ${options.userId}`);
    return key.fingerprint;
  }

  /** `--quick-add-key`; answers the new subkey's fingerprint. */
  async addSubkey(
    primaryFingerprint: string,
    options: {
      algorithm: GpgAlgorithm;
      usage: string;
      expire?: string;
      passphrase?: string;
      fakedTime?: number;
    },
  ): Promise<string> {
    const before = new Set((await this.keys(primaryFingerprint)).map((k) => k.fingerprint));
    await this.run(
      [
        '--quick-add-key',
        primaryFingerprint,
        options.algorithm,
        options.usage,
        options.expire ?? 'never',
      ],
      { passphrase: options.passphrase ?? '', fakedTime: options.fakedTime },
    );
    const added = (await this.keys(primaryFingerprint)).find((k) => !before.has(k.fingerprint));
    if (!added) throw new Error(`gpg added no subkey to ${primaryFingerprint}`);
    return added.fingerprint;
  }

  /** `--quick-add-uid`: another user ID on the key. */
  async addUserId(fingerprint: string, userId: string, passphrase?: string): Promise<void> {
    await this.run(['--quick-add-uid', fingerprint, userId], { passphrase: passphrase ?? '' });
  }

  /** Revokes one subkey (`--edit-key`, `key N`, `revkey`, reason 0 "no reason"). */
  async revokeSubkey(primaryFingerprint: string, subkeyFingerprint: string): Promise<void> {
    const subkeys = (await this.keys(primaryFingerprint)).filter((k) => !k.primary);
    const index = subkeys.findIndex((k) => k.fingerprint === subkeyFingerprint) + 1;
    if (index === 0) throw new Error(`${subkeyFingerprint} is no subkey of ${primaryFingerprint}`);
    await this.run(['--command-fd', '0', '--edit-key', primaryFingerprint], {
      input: `key ${index}\nrevkey\ny\n0\n\ny\nsave\n`,
      passphrase: '',
    });
    const after = (await this.keys(primaryFingerprint)).find(
      (k) => k.fingerprint === subkeyFingerprint,
    );
    if (after?.validity !== 'r') throw new Error(`gpg did not revoke ${subkeyFingerprint}`);
  }

  /** The primary key and subkeys of one secret key, as gpg lists them. */
  async keys(selector: string): Promise<GpgKey[]> {
    const { stdout } = await this.run([
      '--with-colons',
      '--fingerprint',
      '--with-subkey-fingerprints',
      '--list-secret-keys',
      selector,
    ]);
    const keys: GpgKey[] = [];
    for (const line of stdout.toString('utf8').split('\n')) {
      const fields = line.split(':');
      const f = (i: number) => fields[i] ?? '';
      const last = keys[keys.length - 1];
      if (f(0) === 'sec' || f(0) === 'ssb') {
        keys.push({
          primary: f(0) === 'sec',
          validity: f(1),
          bits: Number(f(2)),
          algorithm: Number(f(3)),
          keyId: f(4),
          created: Number(f(5)),
          expires: f(6) ? Number(f(6)) : 0,
          capabilities: f(11).replace(/[A-Z]/g, ''),
          curve: f(16),
          fingerprint: '',
        });
      } else if (f(0) === 'fpr' && last && !last.fingerprint) {
        last.fingerprint = f(9);
      }
    }
    return keys;
  }

  /** The primary key's fingerprint as `gpg --with-colons --fingerprint` prints it. */
  async fingerprintOf(selector: string): Promise<string> {
    const { stdout } = await this.run(['--with-colons', '--fingerprint', selector]);
    const line = stdout
      .toString('utf8')
      .split('\n')
      .find((l) => l.startsWith('fpr:'));
    const fingerprint = line?.split(':')[9];
    if (!fingerprint) throw new Error(`gpg lists no fingerprint for ${selector}`);
    return fingerprint;
  }

  /** `--export-secret-keys --armor` (or binary); the passphrase unlocks the export. */
  async exportSecretKey(
    selector: string,
    options: { passphrase?: string; armor?: boolean } = {},
  ): Promise<string | Buffer> {
    const { stdout } = await this.run(
      [...(options.armor === false ? [] : ['--armor']), '--export-secret-keys', selector],
      { passphrase: options.passphrase ?? '' },
    );
    if (stdout.length === 0) throw new Error(`gpg exported no secret key for ${selector}`);
    return options.armor === false ? stdout : stdout.toString('utf8');
  }

  async exportSecretKeyArmored(selector: string, passphrase?: string): Promise<string> {
    return (await this.exportSecretKey(selector, { passphrase })) as string;
  }

  async exportSecretKeyBinary(selector: string, passphrase?: string): Promise<Buffer> {
    return (await this.exportSecretKey(selector, { passphrase, armor: false })) as Buffer;
  }

  async exportPublicKey(selector: string, armor = true): Promise<string | Buffer> {
    const { stdout } = await this.run([...(armor ? ['--armor'] : []), '--export', selector]);
    if (stdout.length === 0) throw new Error(`gpg exported no public key for ${selector}`);
    return armor ? stdout.toString('utf8') : stdout;
  }

  /** `--import`; answers gpg's status lines (IMPORT_OK lines name the fingerprints). */
  async importKey(key: string | Buffer, passphrase?: string): Promise<string> {
    const { stdout } = await this.run(['--status-fd', '1', '--import'], {
      input: key,
      passphrase,
    });
    return stdout.toString('utf8');
  }

  /** The fingerprints gpg reports as imported (IMPORT_OK). */
  async importedFingerprints(key: string | Buffer): Promise<string[]> {
    const status = await this.importKey(key);
    return [...status.matchAll(/^\[GNUPG:\] IMPORT_OK \d+ ([0-9A-F]{40})$/gm)].map(
      (m) => m[1] ?? '',
    );
  }

  /** The revocation certificate gpg wrote when it made the key, ready to import. */
  async storedRevocation(fingerprint: string): Promise<string> {
    const dir = join(this.home, 'openpgp-revocs.d');
    const name = (await readdir(dir)).find((n) => n.startsWith(fingerprint));
    if (!name) throw new Error(`gpg stored no revocation certificate for ${fingerprint}`);
    // gpg prefixes the armor's first line with ':' so it is not imported by accident.
    return (await readFile(join(dir, name), 'utf8')).replace(/^:-----BEGIN/m, '-----BEGIN');
  }

  /** A detached signature by gpg; local_user picks the (sub)key ("FPR!" forces it). */
  async detachSign(
    data: string | Buffer,
    options: {
      localUser: string;
      passphrase?: string;
      armor?: boolean;
      digest?: 'SHA256' | 'SHA512';
      fakedTime?: number;
      /** A text signature (class 01): line ends canonicalised to CRLF before hashing. */
      textmode?: boolean;
    },
  ): Promise<string | Buffer> {
    const { stdout } = await this.run(
      [
        '--local-user',
        options.localUser,
        ...(options.digest ? ['--digest-algo', options.digest] : []),
        ...(options.armor === false ? [] : ['--armor']),
        ...(options.textmode ? ['--textmode'] : []),
        '--detach-sign',
      ],
      { input: data, passphrase: options.passphrase ?? '', fakedTime: options.fakedTime },
    );
    return options.armor === false ? stdout : stdout.toString('utf8');
  }

  /** A cleartext-signed message by gpg. */
  async clearSign(
    text: string,
    options: { localUser: string; passphrase?: string; digest?: 'SHA256' | 'SHA512' },
  ): Promise<string> {
    const { stdout } = await this.run(
      [
        '--local-user',
        options.localUser,
        ...(options.digest ? ['--digest-algo', options.digest] : []),
        '--clearsign',
      ],
      { input: text, passphrase: options.passphrase ?? '' },
    );
    return stdout.toString('utf8');
  }

  /** `gpg --verify SIG DATA`, the signature armored or binary. */
  async verifyDetached(
    signature: string | Buffer,
    data: string | Buffer,
  ): Promise<GpgVerification> {
    const sig = await this.file('data.sig', signature);
    const dat = await this.file('data', data);
    const run = await this.run(['--status-fd', '1', '--verify', sig, dat], { allowFailure: true });
    return parseVerification(run);
  }

  /** `gpg --verify` of a cleartext-signed message. */
  async verifyCleartext(message: string): Promise<GpgVerification> {
    const path = await this.file('message.asc', message);
    const run = await this.run(['--status-fd', '1', '--verify', path], { allowFailure: true });
    return parseVerification(run);
  }

  /** `gpg --list-packets` of a key or signature: the S2K, cipher, versions, algorithms. */
  async listPackets(data: string | Buffer): Promise<string> {
    const { stdout } = await this.run(['--list-packets'], { input: data, allowFailure: true });
    return stdout.toString('utf8');
  }

  /** Stops this home's gpg-agent (and any other daemon) and deletes the home. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      const child = spawn('gpgconf', ['--homedir', this.home, '--kill', 'all'], {
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GNUPGHOME: this.home },
        stdio: 'ignore',
      });
      child.on('error', () => resolve());
      child.on('close', () => resolve());
    });
    await rm(this.home, { recursive: true, force: true });
  }
}

function parseVerification(run: GpgRun): GpgVerification {
  const status = run.stdout.toString('utf8');
  const valid = /^\[GNUPG:\] VALIDSIG (\S+) \S+ (\d+) \S+ \S+ \S+ \S+ (\d+) (\S+) (\S+)/m.exec(
    status,
  );
  return {
    good: run.status === 0 && /^\[GNUPG:\] GOODSIG /m.test(status) && valid !== null,
    bad: /^\[GNUPG:\] BADSIG /m.test(status),
    signerFingerprint: valid?.[1],
    created: valid?.[2] ? Number(valid[2]) : undefined,
    hashAlgorithm: valid?.[3] ? Number(valid[3]) : undefined,
    signatureClass: valid?.[4],
    primaryFingerprint: valid?.[5],
    exitCode: run.status,
    status: status.trim(),
  };
}

function redact(args: string[], passphrase?: string): string[] {
  return args.map((a) => (passphrase && a === passphrase ? '[passphrase]' : a));
}

function redactText(text: string, passphrase?: string): string {
  const trimmed = text.trim().split('\n').slice(-6).join('\n');
  return passphrase ? trimmed.split(passphrase).join('[passphrase]') : trimmed;
}
