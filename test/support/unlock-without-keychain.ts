// Child process for the "no keychain" test: run with a D-Bus address that leads
// nowhere. Reports what the person would see, as JSON on stdout.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createHeadlessCore } from '../../electron/headless/headless-core';
import { KeytarKeyStore } from '../../electron/core/keychain/keytar-key-store';
import { TEST_KDF_COST, codeOf } from './core-fixture';

const dataDir = process.argv[2] as string;
const core = await createHeadlessCore({
  dataDir,
  keyStore: new KeytarKeyStore('custodian-test-nokeychain'),
  kdfCost: TEST_KDF_COST,
});
let unlockCode = 'resolved';
let unlockMessage = '';
try {
  await core.vault.unlock();
} catch (error) {
  unlockCode = (error as { code: string }).code;
  unlockMessage = (error as Error).message;
}

// Creating a second vault without a keychain still works, with recovery only;
// its passphrase then opens it after a lock.
const otherDir = join(dataDir, 'second');
const other = await createHeadlessCore({
  dataDir: otherDir,
  keyStore: new KeytarKeyStore('custodian-test-nokeychain'),
  kdfCost: TEST_KDF_COST,
});
const created = await other.vault.create();
await other.credentials.create({
  type: 'secret_note',
  name: 'kept',
  description: '',
  fields: { note: 'n' },
});
await other.vault.lock();
if ((await codeOf(other.vault.unlock())) !== 'keychain_unavailable')
  throw new Error('expected keychain_unavailable');
await other.vault.recover(created.recoveryPassphrase);
const listed = other.credentials.list().length;
await rm(otherDir, { recursive: true, force: true });
process.stdout.write(
  JSON.stringify({ unlockCode, unlockMessage, createKeychain: created.keychain, listed }),
);
