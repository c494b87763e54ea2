// Child process for the crash test: unlocks the vault, starts a save that adds
// one credential, and kills itself with SIGKILL at the named step of the save.
import { createHeadlessCore } from '../../electron/headless/headless-core';
import { KeytarKeyStore } from '../../electron/core/keychain/keytar-key-store';
import { TEST_KDF_COST } from './core-fixture';

const [dataDir, keychainService, dieAt] = process.argv.slice(2) as [string, string, string];
const core = await createHeadlessCore({
  dataDir,
  keyStore: new KeytarKeyStore(keychainService),
  kdfCost: TEST_KDF_COST,
  onSaveStep: (step) => {
    if (step === dieAt) process.kill(process.pid, 'SIGKILL');
  },
});
await core.vault.unlock();
await core.credentials.create({
  type: 'secret_note',
  name: `added before ${dieAt}`,
  description: '',
  fields: { note: 'n' },
});
process.stdout.write('survived');
