import { z } from 'zod';
import { CustodianError } from '../../../shared/errors';
import type { Vault } from '../vault/vault';
import { requireUnlocked } from '../vault/require-unlocked';
import type { UseCaseInput, UseCaseName, UseCaseOutput, UseCases } from './create-use-cases';
import type { CallContext, UseCase } from './use-case';

// The one way into a use case, for every adapter: the caller's right, the
// input, the vault's state, then the use case itself, in that order. Errors
// are thrown as they are; each adapter maps them to its boundary's shape.

export class UseCaseRunner {
  constructor(
    private readonly useCases: UseCases,
    private readonly vault: Pick<Vault, 'state'>,
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
    return (await useCase.run(parsed.data, context)) as UseCaseOutput<N>;
  }
}
