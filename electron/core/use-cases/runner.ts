import { z } from 'zod';
import { CustodianError } from '../../../shared/errors';
import type { Vault } from '../vault/vault';
import { requireUnlocked } from '../vault/require-unlocked';
import type { UseCaseInput, UseCaseName, UseCaseOutput, UseCases } from './create-use-cases';
import type { AdminGate } from './admin-gate';
import type { CallContext, UseCase } from './use-case';

// The one way into a use case, for every adapter: the caller's right, the
// input, the vault's state, the admin gate (for the command line's admin
// channel), then the use case itself, in that order. Errors
// are thrown as they are; each adapter maps them to its boundary's shape.

export class UseCaseRunner {
  constructor(
    private readonly useCases: UseCases,
    private readonly vault: Pick<Vault, 'state'>,
    /** Decides the admin channel's requests; without one, that channel gets nothing. */
    private readonly adminGate?: Pick<AdminGate, 'admit'>,
  ) {}

  /** The declaration of a use case: who may call it, what it requires. */
  declaration(name: UseCaseName): Pick<UseCase<z.ZodType, unknown>, 'callers' | 'requires'> {
    const { callers, requires } = this.useCases[name];
    return requires ? { callers, requires } : { callers };
  }

  async run<N extends UseCaseName>(
    name: N,
    input: UseCaseInput<N>,
    context: CallContext,
  ): Promise<UseCaseOutput<N>> {
    const useCase = this.useCases[name] as UseCase<z.ZodType, unknown>;
    if (!context.roles.some((role) => useCase.callers.includes(role)))
      throw new CustodianError(
        'forbidden',
        `${name} is not for ${context.roles.join(' or ')} callers.`,
      );
    const parsed = useCase.input.safeParse(input);
    if (!parsed.success)
      throw new CustodianError('invalid_input', z.prettifyError(parsed.error).slice(0, 1000));
    if (useCase.requires === 'unlocked') await requireUnlocked(this.vault);
    // What an agent may do (status, ping) asks nobody; anything more on the
    // admin channel passes the gate: a session, and each weakening confirmed.
    if (context.channel === 'admin' && !useCase.callers.includes('agent')) {
      if (!this.adminGate)
        throw new CustodianError('forbidden', 'This core does not serve the admin channel.');
      await this.adminGate.admit(name, parsed.data, context);
    }
    return (await useCase.run(parsed.data, context)) as UseCaseOutput<N>;
  }
}
