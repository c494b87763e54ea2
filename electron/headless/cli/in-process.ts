import type { Channel, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import { fromWireError } from '../../../shared/error-boundaries';
import { CustodianError } from '../../../shared/errors';
import { KDF_FLOOR } from '../../core/crypto/argon2';
import type { Core } from '../../core/create-core';
import { createHeadlessCore, type HeadlessOptions } from '../headless-core';
import { terminal } from './terminal';

// init and serve hold the vault in this process. Two environment variables
// exist for tests and benchmarks only: CUSTODIAN_KEYCHAIN_SERVICE keeps their
// keys out of the person's "Custodian" keychain entry, and CUSTODIAN_KDF=test
// makes init derive with the cheapest cost the vault accepts.

export async function startInProcessCore(
  dataDir: string,
  approvals?: HeadlessOptions['approvals'],
): Promise<Core> {
  const { env } = terminal();
  const kdf = env.CUSTODIAN_KDF;
  if (kdf !== undefined && kdf !== '' && kdf !== 'test')
    throw new CustodianError(
      'invalid_input',
      `CUSTODIAN_KDF may only be "test" (got "${kdf.slice(0, 20)}")`,
    );
  return createHeadlessCore({
    dataDir,
    keychainService: env.CUSTODIAN_KEYCHAIN_SERVICE || undefined,
    kdfCost: kdf === 'test' ? { ...KDF_FLOOR } : undefined,
    ...(approvals ? { approvals } : {}),
  });
}

/** One call on the in-process core; its error becomes the CLI's. */
export async function call<C extends Channel>(
  core: Core,
  channel: C,
  payload: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const envelope = await core.dispatch(channel, payload);
  // The core's own code travels on: the exit status comes from it.
  if ('error' in envelope) throw fromWireError(envelope.error);
  return envelope.result;
}
