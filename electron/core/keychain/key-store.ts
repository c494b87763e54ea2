import type { SecretBytes } from '../crypto/secret-bytes';

// Where the vault's keychain key lives. The app uses the OS keychain through
// keytar; headless servers without one use a recovery file instead.

export interface KeyStore {
  /** Shown in messages: "the system keychain", … */
  readonly label: string;
  /**
   * The stored key, for the caller to wipe once used, or null when there is
   * none. Throws KeychainUnavailableError when unreachable.
   */
  get(account: string): Promise<SecretBytes | null>;
  /** Stores a copy of `key`; the caller keeps (and wipes) `key`. */
  set(account: string, key: Buffer): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export class KeychainUnavailableError extends Error {
  constructor(label: string, cause: unknown) {
    // The cause comes from libsecret or the OS; it names the service, never a key.
    super(`${label} could not be reached: ${describe(cause)}`);
    this.name = 'KeychainUnavailableError';
  }
}

function describe(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0]?.slice(0, 200) || 'unknown error';
}

/** A key store that keeps keys in memory only: for headless runs that unlock with a recovery file. */
export class NoKeyStore implements KeyStore {
  readonly label = 'The keychain';
  async get(): Promise<SecretBytes | null> {
    throw new KeychainUnavailableError(this.label, 'this process runs without one');
  }
  async set(): Promise<void> {
    throw new KeychainUnavailableError(this.label, 'this process runs without one');
  }
  async delete(): Promise<boolean> {
    return false;
  }
}
