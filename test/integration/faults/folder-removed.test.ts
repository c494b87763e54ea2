import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeSocketPath } from '../../../electron/core/bridge';
import type { VaultStatus } from '../../../shared/vault-status';
import { resultOf, startCore, type CoreFixture } from '../../support/core-fixture';
import { eventually } from '../../support/eventually';
import { note } from './fault-core';

// Issue 19, point 4: the data folder or the agents' socket is deleted or
// replaced under a running core. The core notices at the next write, or on
// its own within moments; the window and the tray hear it in the vault's
// status (vault:changed); the vault is never written into a folder that is
// not the one it started with; and it saves again once the folder is back.

let fixture: CoreFixture | undefined;
let moved: string | undefined;
afterEach(async () => {
  if (moved && fixture) {
    await rm(fixture.dataDir, { recursive: true, force: true });
    await rename(moved, fixture.dataDir);
  }
  moved = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

async function start(folderCheckMs = 0) {
  fixture = await startCore({ store: { bundled: null }, folderCheckMs });
  const heard: VaultStatus[] = [];
  fixture.core.events.on('vault:changed', (status) => heard.push(status));
  resultOf(await fixture.core.dispatch('vault:create', {}));
  resultOf(await fixture.core.dispatch('credentials:create', note('kept')));
  return { f: fixture, heard };
}

describe('the data folder taken away while running', () => {
  it('deleted: the next save says so, the window hears it, nothing is written anywhere', async () => {
    const { f, heard } = await start();
    const { core, dataDir } = f;
    moved = `${dataDir}.moved`;
    await rename(dataDir, moved);
    const missing = `The data folder ${dataDir} was deleted or moved while Custodian ran; nothing is saved until it is back (or Custodian is restarted).`;
    expect(await core.dispatch('credentials:create', note('lost'))).toEqual({
      error: { code: 'storage_failed', reason: 'missing', message: missing },
    });
    expect(existsSync(dataDir)).toBe(false);
    expect(heard.at(-1)).toMatchObject({ state: 'unlocked', problem: missing });
    expect(resultOf(await core.dispatch('vault:status', {})).problem).toBe(missing);

    // The same folder comes back: saving goes on, and the problem clears.
    await rename(moved, dataDir);
    moved = undefined;
    resultOf(await core.dispatch('credentials:create', note('after')));
    await eventually(() => heard.at(-1)?.problem === undefined);
    await core.lifecycle.lock();
    resultOf(await core.dispatch('vault:unlock', {}));
    expect(
      core.credentials
        .list()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['after', 'kept']);
  });

  it('replaced by another folder: no secret is written into the new one', async () => {
    const { f, heard } = await start();
    const { core, dataDir } = f;
    moved = `${dataDir}.moved`;
    await rename(dataDir, moved);
    await mkdir(dataDir, { mode: 0o700 });
    const failed = await core.dispatch('credentials:create', note('lost'));
    expect(failed).toMatchObject({ error: { code: 'storage_failed', reason: 'replaced' } });
    expect('error' in failed && failed.error.message).toBe(
      `The data folder ${dataDir} was replaced by another folder while Custodian ran; nothing is saved into it until Custodian is restarted.`,
    );
    expect(existsSync(join(dataDir, 'vault.cvlt'))).toBe(false);
    expect(heard.at(-1)?.problem).toMatch(/was replaced by another folder/);
  });

  it('noticed within moments without a write', async () => {
    const { f, heard } = await start(20);
    moved = `${f.dataDir}.moved`;
    await rename(f.dataDir, moved);
    await eventually(() => heard.at(-1)?.problem?.includes('was deleted or moved') ?? false, {
      message: 'the window to hear of the missing folder',
    });
  });
});

describe.skipIf(process.platform === 'win32')('the agents socket taken away while running', () => {
  it('deleted or replaced: the window hears it within moments', async () => {
    const { f, heard } = await start(20);
    await f.core.startBridge();
    const socket = bridgeSocketPath(f.dataDir);
    await rm(socket);
    await eventually(
      () =>
        heard.at(-1)?.problem ===
        `The agents' socket ${socket} was removed while Custodian ran; agents cannot connect until Custodian is restarted.`,
      { message: 'the window to hear of the removed socket' },
    );
    // Vault saves go on: the folder itself is intact.
    resultOf(await f.core.dispatch('credentials:create', note('still')));
  });
});
