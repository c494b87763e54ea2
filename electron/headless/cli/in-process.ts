import { CustodianError } from '../../../shared/errors';
import { KDF_FLOOR } from '../../core/crypto/argon2';
import type { Core } from '../../core/create-core';
import type { CallContext, UseCaseInput, UseCaseName, UseCaseOutput } from '../../core/use-cases';
import { createHeadlessCore, type HeadlessOptions } from '../headless-core';
import { terminal } from './terminal';

// init and serve hold the vault in this process. Two environment variables
// exist for tests and benchmarks only: CUSTODIAN_KEYCHAIN_SERVICE keeps their
// keys out of the person's "Custodian" keychain entry, and CUSTODIAN_KDF=test
// makes init derive with the cheapest cost the vault accepts.

export async function startInProcessCore(
  dataDir: string,
  approvals?: HeadlessOptions['approvals'],
  admin?: HeadlessOptions['admin'],
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
    ...(admin ? { admin } : {}),
  });
}

// The command line holding the core calls its use cases as the command line:
// what a use case does not allow the command line is refused here too.
const COMMAND_LINE: CallContext = { roles: ['cli'] };

/** One use case on the in-process core; its error becomes the CLI's. */
export async function call<N extends UseCaseName>(
  core: Core,
  name: N,
  input: UseCaseInput<N>,
): Promise<UseCaseOutput<N>> {
  // The core's own error travels on: the exit status comes from its code.
  return core.run(name, input, COMMAND_LINE);
}
