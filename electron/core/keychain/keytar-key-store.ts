import type keytarModule from 'keytar';
import { SecretBytes } from '../crypto/secret-bytes';
import { KeychainUnavailableError, type KeyStore } from './key-store';

type Keytar = typeof keytarModule;

/**
 * The OS keychain (Secret Service, macOS Keychain, Windows Credential Vault)
 * through keytar. keytar is loaded on first use so that a missing native
 * module or keychain daemon is a clear, recoverable error, not a crash at start.
 */
export class KeytarKeyStore implements KeyStore {
  readonly label = 'The system keychain';
  private keytar: Promise<Keytar> | undefined;

  constructor(private readonly service = 'Custodian') {}

  // keytar carries the key as a base64 JS string, which cannot be wiped (README,
  // "What is not defended"); the bytes decoded from it can, and are owned.
  async get(account: string): Promise<SecretBytes | null> {
    const value = await this.call((k) => k.getPassword(this.service, account));
    return value === null ? null : SecretBytes.fromString(value, 'base64');
  }

  async set(account: string, key: Buffer): Promise<void> {
    await this.call((k) => k.setPassword(this.service, account, key.toString('base64')));
  }

  async delete(account: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(this.service, account));
  }

  private async call<T>(fn: (keytar: Keytar) => Promise<T>): Promise<T> {
    try {
      this.keytar ??= import('keytar').then((m) => (m as { default?: Keytar }).default ?? m);
      return await fn(await this.keytar);
    } catch (error) {
      this.keytar = undefined;
      throw new KeychainUnavailableError(this.label, error);
    }
  }
}
