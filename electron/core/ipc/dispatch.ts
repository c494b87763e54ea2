import { ZodError } from 'zod';
import { describeUnexpected, envelopeErrorOf } from '../../../shared/error-boundaries';
import { ipcContract, isChannel } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import type { UseCaseRunner } from '../use-cases';
import { runRoute } from '../use-cases/route';
import { THE_PERSON } from '../use-cases/use-case';
import { ipcRoutes } from './routes';

export type Logger = (message: string) => void;

// Whoever calls through IPC is the person: main's router (after checking the
// sender), auto-lock, and tests.
const WINDOW = THE_PERSON;

/**
 * Runs one IPC call through its route: unknown channels and payloads that do
 * not match the contract are refused before any use case runs, and the result
 * is parsed on the way out too, so a field the contract does not name (a
 * secret value, say) can never reach the renderer.
 */
export async function dispatch(
  runner: UseCaseRunner,
  channel: unknown,
  payload: unknown,
  log: Logger = () => {},
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return {
      error: {
        code: 'unknown_method',
        message: `Unknown IPC channel "${String(channel).slice(0, 80)}"`,
      },
    };
  }
  const contract = ipcContract[channel];
  const request = contract.request.safeParse(payload ?? {});
  if (!request.success) {
    return {
      error: {
        code: 'invalid_request',
        message: `Invalid request for ${channel}: ${describeZodError(request.error)}`,
      },
    };
  }
  try {
    const answer = await runRoute(runner, ipcRoutes[channel], request.data, WINDOW);
    const result = contract.response.parse(answer);
    return { result };
  } catch (error) {
    // Unexpected errors are logged by type and channel only: their messages may quote data.
    return envelopeErrorOf(error, channel, (unexpected) =>
      log(
        `IPC ${channel} failed with an unexpected ${unexpected instanceof ZodError ? 'result shape' : describeUnexpected(unexpected)}`,
      ),
    );
  }
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}
