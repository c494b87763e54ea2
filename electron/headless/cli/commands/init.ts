import { open, rm, type FileHandle } from 'node:fs/promises';
import { CustodianError } from '../../../../shared/errors';
import { refuseWhileServed } from '../client';
import { call, startInProcessCore } from '../in-process';
import { print, say } from '../output';

// Creates the vault in this process and hands over the recovery passphrase
// once: on stdout, or into a new 0600 file that is never an existing one
// (overwriting could destroy the only copy of another vault's passphrase).

export async function init(dataDir: string, recoveryFile: string | undefined): Promise<number> {
  await refuseWhileServed(dataDir, 'it owns the vault there; stop it first');
  const core = await startInProcessCore(dataDir);
  let file: FileHandle | undefined;
  let created = false;
  try {
    const status = await call(core, 'vault.status', {});
    if (status.state !== 'absent')
      throw new CustodianError('vault_exists', `${dataDir} already holds a vault`);
    if (recoveryFile !== undefined) file = await createExclusive(recoveryFile);
    const vault = await call(core, 'vault.create', {});
    created = true;
    if (file) {
      await file.writeFile(`${vault.recoveryPassphrase}\n`);
      await file.sync();
      say(`vault created in ${dataDir}; recovery passphrase written to ${recoveryFile}`);
    } else {
      say(`vault created in ${dataDir}. Recovery passphrase (shown once; keep it safe):`);
      print(`${vault.recoveryPassphrase}\n`);
    }
    say(
      vault.keychain === 'enrolled'
        ? 'the master key is in the system keychain: `custodian serve` unlocks with it'
        : 'no system keychain: `custodian serve` needs --recovery-file to unlock',
    );
    return 0;
  } catch (error) {
    const madeFile = file !== undefined;
    await file?.close();
    file = undefined;
    // Before the vault exists the file we made is empty; after, it may be
    // the only copy of the passphrase, however incomplete. One that was
    // there before (EEXIST) is never ours to remove.
    if (madeFile && !created && recoveryFile !== undefined) await rm(recoveryFile, { force: true });
    if (created)
      throw new CustodianError(
        'invalid_input',
        `the vault was created in ${dataDir}, but ${(error as Error).message}; ` +
          `check ${recoveryFile ?? 'the output'} before relying on the recovery passphrase`,
      );
    throw error;
  } finally {
    await file?.close();
    await core.close();
  }
}

async function createExclusive(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST')
      throw new CustodianError('invalid_input', `${path} already exists: refusing to overwrite it`);
    throw new CustodianError(
      'invalid_input',
      `cannot create ${path}: ${code ?? (error as Error).message}`,
    );
  }
}
