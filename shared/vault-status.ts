import { z } from 'zod';

export const vaultStatusSchema = z.object({
  /** absent: no vault yet (first run); locked; unlocked. */
  state: z.enum(['absent', 'locked', 'unlocked']),
  /**
   * enrolled: the keychain holds a key that opened this vault;
   * missing: it holds none, or one that does not match (recovery needed);
   * unavailable: no keychain could be reached; unknown: not tried yet.
   */
  keychain: z.enum(['enrolled', 'missing', 'unavailable', 'unknown']),
  /** Minutes of inactivity before the vault locks itself; 0 turns it off. */
  autoLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  /**
   * Present while Custodian cannot go on as it started: its data folder or
   * the agents' socket was deleted or replaced while it ran. Said in the
   * window and the tray.
   */
  problem: z.string().max(1000).optional(),
});
export type VaultStatus = z.infer<typeof vaultStatusSchema>;

export const settingsSchema = z.object({
  autoLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
});
export type Settings = z.infer<typeof settingsSchema>;
