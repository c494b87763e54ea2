// The application layer: one use case per thing a person, an agent or the
// command line can do, and the one runner every adapter calls them through.

export { createUseCases } from './create-use-cases';
export type {
  UseCaseInput,
  UseCaseName,
  UseCaseOutput,
  UseCases,
  UseCaseServices,
} from './create-use-cases';
export { UseCaseRunner } from './runner';
export { AdminGate, ADMIN_CLOSED_MESSAGE, type AdminMode } from './admin-gate';
export { weakeningOf } from './weakening';
export type { Caller, CallContext, UseCase } from './use-case';
export { CALLERS, THE_PERSON } from './use-case';
