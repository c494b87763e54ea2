import { ZodError } from 'zod';
import { CustodianError } from '../../../shared/errors';
import {
  ipcContract,
  isChannel,
  type Channel,
  type ParsedRequestOf,
  type ResponseOf,
} from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';

export type HandlerTable = {
  [C in Channel]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

export type Logger = (message: string) => void;

/**
 * Runs one IPC call against the handler table: unknown channels and payloads
 * that do not match the contract are refused before any handler runs, and the
 * result is parsed on the way out too, so a field the contract does not name
 * (a secret value, say) can never reach the renderer.
 */
export async function dispatch(
  handlers: HandlerTable,
  channel: unknown,
  payload: unknown,
  log: Logger = () => {},
): Promise<Envelope<unknown>> {
  if (!isChannel(channel)) {
    return {
      error: {
        code: 'UNKNOWN_CHANNEL',
        message: `Unknown IPC channel "${String(channel).slice(0, 80)}"`,
      },
    };
  }
  const contract = ipcContract[channel];
  const request = contract.request.safeParse(payload ?? {});
  if (!request.success) {
    return {
      error: {
        code: 'INVALID_REQUEST',
        message: `Invalid request for ${channel}: ${describeZodError(request.error)}`,
      },
    };
  }
  try {
    const handler = handlers[channel] as (request: unknown) => unknown;
    const result = contract.response.parse(await handler(request.data));
    return { result };
  } catch (error) {
    if (error instanceof CustodianError) return { error: error.toShape() };
    // Unexpected errors are logged by type and channel only: their messages may quote data.
    log(
      `IPC ${channel} failed with an unexpected ${error instanceof ZodError ? 'result shape' : ((error as Error)?.name ?? 'error')}`,
    );
    return {
      error: { code: 'INTERNAL', message: `${channel} failed unexpectedly; see the app log.` },
    };
  }
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}
