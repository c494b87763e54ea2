// Child process for the keychain-stops test, run inside its own
// with-keyring.sh session so that stopping its Secret Service touches no other
// test's keychain. A real headless core: creates a vault, stops the Secret
// Service while unlocked, and reports as JSON on stdout what each step answered.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeVaultFile } from '../../electron/core/vault/vault-format';
import { startCore, resultOf } from './core-fixture';
import { stopSecretService } from './secret-service';

const fixture = await startCore({ store: { bundled: null } });
const { core, dataDir } = fixture;
const wrap = async () => {
  const path = join(dataDir, 'vault.cvlt');
  return JSON.stringify(decodeVaultFile(await readFile(path), path).header.keychainWrap);
};
const note = (name: string) => ({ type: 'secret_note', name, fields: { note: 'n' } }) as const;
const names = () =>
  core.credentials
    .list()
    .map((c) => c.name)
    .sort();

const created = resultOf(await core.dispatch('vault:create', {}));
resultOf(await core.dispatch('credentials:create', note('kept')));
const wrapBefore = await wrap();
await stopSecretService();
const whileDown = await core.dispatch('credentials:create', note('while-down'));
const namesWhileDown = names();
resultOf(await core.dispatch('vault:lock', {}));
const unlock = await core.dispatch('vault:unlock', {});
const recover = await core.dispatch('vault:recover', { passphrase: created.recoveryPassphrase });
const namesRecovered = names();
const afterRecover = await core.dispatch('credentials:create', note('after'));
resultOf(await core.dispatch('vault:lock', {}));
const unlockAgain = await core.dispatch('vault:unlock', {});
const wrapAfter = await wrap();
await core.close();
await rm(dataDir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({
    created: created.keychain,
    whileDown,
    namesWhileDown,
    unlock,
    recover: 'result' in recover ? { keychain: recover.result.keychain } : recover,
    namesRecovered,
    afterRecover: 'result' in afterRecover ? 'saved' : afterRecover,
    unlockAgain,
    wrapUnchanged: wrapAfter === wrapBefore,
  }),
);
