import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import keytar from 'keytar';
import type { Core } from '../../../electron/core/create-core';
import { createHeadlessCore, type HeadlessOptions } from '../../../electron/headless/headless-core';
import { makeTempDir, resultOf, TEST_KDF_COST } from '../../support/core-fixture';

// A real headless core with a vault, for the audit log's tests: a clock the
// test moves, and the log's files and bursts shrunk where a test says so.

/** A clock that moves only when the test says. */
export class ManualClock {
  private ms = Date.parse('2026-03-01T09:00:00.000Z');
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface AuditCore {
  core: Core;
  dataDir: string;
  clock: ManualClock;
  auditDir: string;
  /** Closes and starts the core again on the same folder and keychain. */
  restart(): Promise<Core>;
  cleanup(): Promise<void>;
}

export async function startAuditCore(
  options: Pick<HeadlessOptions, 'audit' | 'rateLimit'> & { dataDir?: string } = {},
): Promise<AuditCore> {
  const dataDir = options.dataDir ?? (await makeTempDir());
  const keychainService = `custodian-test-${randomUUID()}`;
  const clock = new ManualClock();
  const make = () =>
    createHeadlessCore({
      dataDir,
      keychainService,
      kdfCost: TEST_KDF_COST,
      now: clock.now,
      store: { bundled: null },
      ...(options.audit ? { audit: options.audit } : {}),
      ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    });
  let core = await make();
  resultOf(await core.dispatch('vault:create', {}));
  const fixture: AuditCore = {
    core,
    dataDir,
    clock,
    auditDir: join(dataDir, 'audit'),
    async restart() {
      await core.close();
      core = await make();
      resultOf(await core.dispatch('vault:unlock', {}));
      fixture.core = core;
      return core;
    },
    async cleanup() {
      await core.close();
      for (const { account } of await keytar.findCredentials(keychainService).catch(() => []))
        await keytar.deletePassword(keychainService, account);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}
