import type { Vault } from '../vault/vault';
import type { AuditTrust, ChainPoint } from './audit-chain';

// The audit log's side of the vault: its key and its anchored head live in
// the vault's sealed content (vault-content.ts `audit`), saved like the
// credentials, so they are as safe as the credentials are.

export interface AuditKeyring {
  /** The key and anchor the vault holds, null when it holds none yet; throws vault_locked. */
  load(): AuditTrust | null;
  /** Stores a new key with its starting point. */
  save(trust: AuditTrust): Promise<void>;
  /** Moves the anchored head. */
  anchor(head: ChainPoint): Promise<void>;
}

export function vaultKeyring(vault: Pick<Vault, 'read' | 'update'>): AuditKeyring {
  return {
    load: () =>
      vault.read((content) => {
        const audit = content.audit;
        if (!audit) return null;
        return { key: Buffer.from(audit.key, 'base64'), legacy: audit.legacy, head: audit.head };
      }),
    save: (trust) =>
      vault.update((content) => {
        content.audit = {
          key: trust.key.toString('base64'),
          legacy: trust.legacy,
          head: trust.head,
        };
      }),
    anchor: (head) =>
      vault.update((content) => {
        if (content.audit) content.audit = { ...content.audit, head };
      }),
  };
}
