import { randomBytes, randomUUID } from 'node:crypto';
import { CustodianError } from '../../../shared/errors';
import { KEY_BYTES, open, randomNonce, seal, sealedLength, sealInto } from '../crypto/aes-gcm';
import { SecretBytes, type SecretBytesObserver } from '../crypto/secret-bytes';
import {
  calibrateKdfCost,
  deriveKey,
  SALT_BYTES,
  type KdfCost,
  type KdfParams,
} from '../crypto/argon2';
import {
  generateRecoveryPassphrase,
  normalizeRecoveryPassphrase,
} from '../crypto/recovery-passphrase';
import { KeychainUnavailableError, type KeyStore } from '../keychain/key-store';
import {
  fileExists,
  readFileIfExists,
  removeStrayTempFiles,
  writeFileAtomic,
  type FileSystem,
  type SaveStep,
} from '../files/atomic-file';
import { isFsFault, wordFsErrors } from '../files/fs-errors';
import { emptyContent, vaultContentSchema, type VaultContent } from './vault-content';
import { decodeVaultFile, encodeVaultFile, type KeyWrap, type VaultHeader } from './vault-format';
import { Sequencer } from '../../../shared/base/sequencer';

export type VaultState = 'absent' | 'locked' | 'unlocked';
export type KeychainState = 'enrolled' | 'missing' | 'unavailable' | 'unknown';

export interface VaultOptions {
  path: string;
  fs: FileSystem;
  keyStore: KeyStore;
  /** A fixed Argon2id cost; when absent it is calibrated on this machine at creation. */
  kdfCost?: KdfCost;
  now?: () => Date;
  /** Observes the steps of each save (crash tests kill the process here). */
  onSaveStep?: (step: SaveStep) => void;
  /** Runs before every write, and may refuse it (the data folder was deleted or replaced). */
  beforeWrite?: () => Promise<void>;
  /**
   * For tests: told of every Buffer that holds key material or decrypted
   * content, so a test can check that each is zeroed once used or on lock.
   */
  observeSecretBytes?: SecretBytesObserver;
}

interface Unlocked {
  /** Wiped on lock (the lock lifecycle's last step) and when replaced by recover. */
  dataKey: SecretBytes;
  header: Omit<VaultHeader, 'contentNonce'>;
  content: VaultContent;
}

/**
 * The encrypted vault: one file, a random data key wrapped by the keychain key
 * and by the recovery passphrase. Only this class ever holds the data key.
 */
export class Vault {
  private unlocked: Unlocked | null = null;
  private keychain: KeychainState = 'unknown';
  /**
   * This vault's key came from, or went into, the keychain during this run.
   * If the keychain later cannot be reached, it went away (its service
   * stopped): whatever answers after that may not be the keychain it was, so
   * recover enrols no key into it until Custodian restarts (keychainLost).
   */
  private keychainSeen = false;
  private keychainLost = false;
  // Every write waits for the one before it, so concurrent changes all land.
  private readonly queue = new Sequencer();
  /** What saves write into, reused while unlocked (saveRoom). */
  private saveBuffers: { plain?: Buffer; file?: Buffer } = {};

  constructor(private readonly options: VaultOptions) {}

  get path(): string {
    return this.options.path;
  }

  get keychainState(): KeychainState {
    return this.keychain;
  }

  async state(): Promise<VaultState> {
    if (this.unlocked) return 'unlocked';
    // A stat, not a read: the status is asked often and the file can be large.
    const exists = await wordFsErrors(this.path, 'its state is unknown', () =>
      fileExists(this.options.fs, this.path),
    );
    return exists ? 'locked' : 'absent';
  }

  /** Creates a new vault; returns the recovery passphrase, which is never stored. */
  async create(): Promise<{ recoveryPassphrase: string; keychain: 'enrolled' | 'unavailable' }> {
    return this.exclusive(async () => {
      if (await fileExists(this.options.fs, this.path)) {
        throw new CustodianError(
          'vault_exists',
          `A vault already exists at ${this.path}; it was left untouched.`,
        );
      }
      const cost = this.options.kdfCost ?? (await calibrateKdfCost());
      const vaultId = randomUUID();
      const kdf: KdfParams = {
        algorithm: 'argon2id',
        ...cost,
        salt: randomBytes(SALT_BYTES).toString('base64'),
      };
      const recoveryPassphrase = generateRecoveryPassphrase();
      const dataKey = SecretBytes.random(KEY_BYTES, this.observe);
      try {
        const recoveryKey = SecretBytes.take(
          await deriveKey(normalizeRecoveryPassphrase(recoveryPassphrase), kdf, this.observe),
          this.observe,
        );
        const recoveryWrap = recoveryKey.useOnce((kek) =>
          wrapKey(kek, dataKey, 'recovery', vaultId),
        );
        const header = {
          vaultId,
          createdAt: this.now().toISOString(),
          kdf,
          recoveryWrap,
          keychainWrap: null as KeyWrap | null,
        };
        const next: Unlocked = { dataKey, header, content: emptyContent() };
        const keychain = await this.enrolKeychain(next);
        await this.write(next);
        this.unlocked = next;
        return { recoveryPassphrase, keychain };
      } catch (error) {
        dataKey.wipe();
        throw error;
      }
    });
  }

  /** Opens the vault with the key in the OS keychain. */
  async unlock(): Promise<void> {
    return this.exclusive(async () => {
      if (this.unlocked) return;
      const { parsed } = await this.readFile();
      const { header } = parsed;
      let stored: SecretBytes | null;
      try {
        stored = await this.options.keyStore.get(keychainAccount(header.vaultId));
        stored?.use((key) => this.observe?.(key));
      } catch (error) {
        this.keychain = 'unavailable';
        // It went away after holding this vault's key: whatever answers later is not trusted
        // with a new one during this run (recover does not enrol).
        if (this.keychainSeen) this.keychainLost = true;
        const reason =
          error instanceof KeychainUnavailableError ? error.message : 'The system keychain failed';
        throw new CustodianError(
          'keychain_unavailable',
          this.keychainLost
            ? `${reason}. It stopped after it had opened this vault in this session. Unlock with your recovery passphrase instead; until Custodian restarts, it stores this vault's key in no other keychain.`
            : `${reason}. Unlock with your recovery passphrase instead.`,
        );
      }
      const { keychainWrap } = header;
      const dataKey =
        stored && keychainWrap
          ? stored.useOnce((kek) =>
              unwrapKey(kek, keychainWrap, 'keychain', header.vaultId, this.observe),
            )
          : null;
      stored?.wipe();
      if (!dataKey) {
        this.keychain = 'missing';
        if (this.keychainSeen && !stored)
          throw new CustodianError(
            'recovery_required',
            `${this.options.keyStore.label} no longer holds this vault's key, which it held earlier in this session: the entry was removed, or the keychain stopped or was replaced while Custodian ran. Enter your recovery passphrase to unlock the vault.`,
          );
        throw new CustodianError(
          'recovery_required',
          stored
            ? 'The key in the system keychain does not match this vault. Enter your recovery passphrase to unlock it and enrol the keychain again.'
            : 'The system keychain has no key for this vault. Enter your recovery passphrase to unlock it and enrol the keychain again.',
        );
      }
      this.unlocked = this.openContent(dataKey, parsed);
      this.keychain = 'enrolled';
      this.keychainSeen = true;
      this.keychainLost = false;
    });
  }

  /** Opens the vault with the recovery passphrase and enrols the keychain again. */
  async recover(passphrase: string): Promise<{ keychain: 'enrolled' | 'unavailable' }> {
    return this.exclusive(async () => {
      const { parsed } = await this.readFile();
      const { header } = parsed;
      const recoveryKey = SecretBytes.take(
        await deriveKey(normalizeRecoveryPassphrase(passphrase), header.kdf, this.observe),
        this.observe,
      );
      const dataKey = recoveryKey.useOnce((kek) =>
        unwrapKey(kek, header.recoveryWrap, 'recovery', header.vaultId, this.observe),
      );
      if (!dataKey) {
        throw new CustodianError(
          'wrong_passphrase',
          'That recovery passphrase does not open this vault. Nothing was changed.',
        );
      }
      const next = this.openContent(dataKey, parsed);
      try {
        // A keychain that lost the key during this run is not trusted with a new one.
        const keychain = this.keychainLost ? 'unavailable' : await this.enrolKeychain(next);
        if (keychain === 'enrolled') await this.write(next);
        this.unlocked?.dataKey.wipe();
        this.unlocked = next;
        return { keychain };
      } catch (error) {
        if (this.unlocked !== next) dataKey.wipe();
        throw error;
      }
    });
  }

  /**
   * Overwrites the data key with zeros and drops every decrypted value. Waits
   * for a save under way. The lock lifecycle calls this as its last step.
   */
  async lock(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.unlocked) return;
      this.unlocked.dataKey.wipe();
      // Decrypted values are JS strings, which cannot be wiped; dropping every
      // reference is what JavaScript allows.
      this.unlocked.content.credentials.length = 0;
      this.unlocked = null;
      // Zeroed after each save already; wiped once more, and let go.
      this.saveBuffers.plain?.fill(0);
      this.saveBuffers = {};
    });
  }

  get isUnlocked(): boolean {
    return this.unlocked !== null;
  }

  /** Reads the decrypted content; throws vault_locked when locked. */
  read<T>(fn: (content: Readonly<VaultContent>) => T): T {
    return fn(this.requireUnlocked().content);
  }

  /**
   * Changes the content and saves it. The change is applied to a draft, which
   * replaces the content only once it is on disk: a failed save changes nothing.
   * The draft is a new content object with a new credentials array holding the
   * same stored credentials, which are frozen: `fn` adds, removes or replaces a
   * credential (or `audit`) and never changes one in place (doing so throws),
   * so a save copies what changes, not the whole vault.
   */
  async update<T>(fn: (content: VaultContent) => T): Promise<T> {
    return this.exclusive(async () => {
      const current = this.requireUnlocked();
      const content: VaultContent = {
        ...current.content,
        credentials: current.content.credentials.slice(),
      };
      const result = fn(content);
      freezeStored(content);
      const next = { ...current, content };
      await this.write(next);
      this.unlocked = next;
      return result;
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.queue.queue(fn);
  }

  private requireUnlocked(): Unlocked {
    if (!this.unlocked)
      throw new CustodianError('vault_locked', 'The vault is locked. Unlock Custodian first.');
    return this.unlocked;
  }

  private async readFile() {
    const { fs } = this.options;
    const file = await wordFsErrors(this.path, 'the vault was not opened', () =>
      readFileIfExists(fs, this.path),
    );
    if (!file)
      throw new CustodianError(
        'vault_absent',
        `There is no vault at ${this.path} yet. Create one first.`,
      );
    // Sweeping is tidying: a disk that refuses it (read-only) still lets the vault open.
    await removeStrayTempFiles(fs, this.path).catch((error: unknown) => {
      if (!isFsFault(error)) throw error;
    });
    return { parsed: decodeVaultFile(file, this.path) };
  }

  /** Takes `dataKey` into the unlocked state, or wipes it when the content does not open. */
  private openContent(dataKey: SecretBytes, parsed: ReturnType<typeof decodeVaultFile>): Unlocked {
    const { header, aad, ciphertext } = parsed;
    const plaintext = dataKey.use((key) =>
      open(key, { nonce: Buffer.from(header.contentNonce, 'base64'), ciphertext }, aad),
    );
    if (plaintext) this.observe?.(plaintext);
    const damaged = () =>
      new CustodianError(
        'vault_damaged',
        `The vault file ${this.path} did not decrypt (its content or header was changed). It was left untouched; the previous save is kept as ${this.path}.bak.`,
      );
    if (!plaintext) {
      dataKey.wipe();
      throw damaged();
    }
    let content: VaultContent;
    try {
      content = vaultContentSchema.parse(JSON.parse(plaintext.toString('utf8')));
    } catch {
      dataKey.wipe();
      throw damaged();
    } finally {
      plaintext.fill(0);
    }
    freezeStored(content);
    // The content nonce is per save; the next save picks a fresh one.
    const { vaultId, createdAt, kdf, recoveryWrap, keychainWrap } = header;
    return { dataKey, header: { vaultId, createdAt, kdf, recoveryWrap, keychainWrap }, content };
  }

  private async enrolKeychain(target: Unlocked): Promise<'enrolled' | 'unavailable'> {
    const keychainKey = SecretBytes.random(KEY_BYTES, this.observe);
    try {
      const keychainWrap = await keychainKey.useOnce(async (kek) => {
        await this.options.keyStore.set(keychainAccount(target.header.vaultId), kek);
        return wrapKey(kek, target.dataKey, 'keychain', target.header.vaultId);
      });
      target.header = { ...target.header, keychainWrap };
      this.keychain = 'enrolled';
      this.keychainSeen = true;
      return 'enrolled';
    } catch {
      this.keychain = 'unavailable';
      return 'unavailable';
    }
  }

  private async write(state: Unlocked): Promise<void> {
    await this.options.beforeWrite?.();
    const nonce = randomNonce();
    const header: VaultHeader = { ...state.header, contentNonce: nonce.toString('base64') };
    const json = JSON.stringify(state.content);
    const plain = this.saveRoom('plain', Buffer.byteLength(json, 'utf8'));
    const bytes = plain.subarray(0, plain.write(json, 0, 'utf8'));
    let file: Buffer;
    try {
      file = encodeVaultFile(
        header,
        sealedLength(bytes.length),
        (aad, out) => state.dataKey.use((key) => sealInto(key, bytes, aad, nonce, out)),
        (size) => this.saveRoom('file', size),
      );
    } finally {
      // The decrypted bytes last no longer than the sealing; the buffer waits, zeroed.
      bytes.fill(0);
    }
    await writeFileAtomic(this.path, file, {
      fs: this.options.fs,
      backup: true,
      onStep: this.options.onSaveStep,
    });
  }

  /**
   * A buffer of at least `bytes` for a save, kept for the next one while the
   * vault is open: the content's plaintext (zeroed after every use, told to
   * observeSecretBytes, in memory of its own, never Node's shared pool) and
   * the file (ciphertext only). Writing megabytes into fresh memory on every
   * save costs a page fault per page; these are paid once. Dropped on lock.
   */
  private saveRoom(which: 'plain' | 'file', bytes: number): Buffer {
    const kept = this.saveBuffers[which];
    if (kept && kept.length >= bytes) return kept;
    // Room to grow: adding a credential does not mean a new buffer.
    const made = Buffer.alloc(bytes + (bytes >> 3) + 4096);
    if (which === 'plain') this.observe?.(made);
    this.saveBuffers[which] = made;
    return made;
  }

  private get observe(): SecretBytesObserver | undefined {
    return this.options.observeSecretBytes;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/**
 * Freezes each stored credential (its fields, its imported material) and the
 * audit record that is not frozen yet: saves share them between one content and the next, so
 * none may change in place. Already frozen ones are skipped, so a save pays
 * only for what it added or replaced.
 */
function freezeStored(content: VaultContent): void {
  for (const credential of content.credentials) deepFreeze(credential);
  deepFreeze(content.audit);
}

/** Freezes a value and everything in it, stopping at what is frozen already (shared, so done). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const inner of Object.values(value)) deepFreeze(inner);
}

export function keychainAccount(vaultId: string): string {
  return `vault-key:${vaultId}`;
}

// The wrap's associated data names its kind and vault, so a wrap cannot be
// moved from one slot or vault to another.
function wrapAad(kind: 'keychain' | 'recovery', vaultId: string): Buffer {
  return Buffer.from(`custodian/key-wrap/v1/${kind}/${vaultId}`, 'utf8');
}

function wrapKey(
  kek: Buffer,
  dataKey: SecretBytes,
  kind: 'keychain' | 'recovery',
  vaultId: string,
): KeyWrap {
  const sealed = dataKey.use((key) => seal(kek, key, wrapAad(kind, vaultId)));
  return {
    nonce: sealed.nonce.toString('base64'),
    ciphertext: sealed.ciphertext.toString('base64'),
  };
}

/** The data key, moved into a SecretBytes; null when `kek` does not open the wrap. */
function unwrapKey(
  kek: Buffer,
  wrap: KeyWrap,
  kind: 'keychain' | 'recovery',
  vaultId: string,
  observe: SecretBytesObserver | undefined,
): SecretBytes | null {
  if (kek.length !== KEY_BYTES) return null;
  const dataKey = open(
    kek,
    {
      nonce: Buffer.from(wrap.nonce, 'base64'),
      ciphertext: Buffer.from(wrap.ciphertext, 'base64'),
    },
    wrapAad(kind, vaultId),
  );
  return dataKey && SecretBytes.take(dataKey, observe);
}
