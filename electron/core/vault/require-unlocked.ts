import { CustodianError } from '../../../shared/errors';
import type { Vault } from './vault';

// "Is the vault open?" asked in one place, answered in the same words whoever
// asks: the use cases that declare `requires: 'unlocked'` and an agent's tool
// call. The code tells a client what to do (create a vault, or unlock it).

export async function requireUnlocked(vault: Pick<Vault, 'state'>): Promise<void> {
  const state = await vault.state();
  if (state === 'absent')
    throw new CustodianError(
      'vault_absent',
      'There is no vault yet: create one in Custodian first.',
    );
  if (state === 'locked')
    throw new CustodianError('vault_locked', 'The vault is locked. Unlock Custodian first.');
}
