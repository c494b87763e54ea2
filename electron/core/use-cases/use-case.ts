import type { z } from 'zod';
import type { ClientInfo } from '../../../shared/bridge-protocol';
import type { SocketChannel } from '../bridge/token';

// What one use case is: the one place that says who may call it, what it
// needs, what its input is, and what it does. The adapters (the window's IPC,
// the agents' and the command line's socket, the in-process command line) read
// these declarations and decide nothing themselves.

/** Who is calling: the person in the window, an agent through the bridge, the command line. */
export type Caller = 'window' | 'agent' | 'cli';
export const CALLERS = ['window', 'agent', 'cli'] as const satisfies readonly Caller[];

export interface CallContext {
  /** The roles the caller holds; a use case runs when it allows one of them. */
  readonly roles: readonly Caller[];
  /** The socket client's own description (its MCP client name), for the audit log. */
  readonly client?: ClientInfo;
  /**
   * The socket connection, as the socket layer numbered it: what a standing
   * grant and the audit log are bound to (the client's name is only what it
   * says about itself).
   */
  readonly connection?: string;
  /**
   * The socket channel the call came on; 'admin' calls pass the AdminGate.
   * Absent for callers inside the process (the window's IPC, init, serve).
   */
  readonly channel?: SocketChannel;
  /** Fires when the caller withdraws the call (an MCP cancellation) or goes away. */
  readonly signal?: AbortSignal;
}

/**
 * The person at the desktop: the window (through main's checked IPC router),
 * and the tray and auto-lock, which act for the same person.
 */
export const THE_PERSON: CallContext = { roles: ['window'] };

export interface UseCase<Input extends z.ZodType, Out> {
  /** Who may call it; every adapter refuses anyone else with one error. */
  readonly callers: readonly Caller[];
  /** Checked before run, in one place (UseCaseRunner), with one code and message per state. */
  readonly requires?: 'unlocked';
  /** The input as callers give it, parsed once before run (defaults filled, names trimmed). */
  readonly input: Input;
  run(input: z.output<Input>, context: CallContext): Promise<Out> | Out;
}

/** Declares a use case; typed by its input schema and what run returns. */
export function useCase<Input extends z.ZodType, Out>(
  definition: UseCase<Input, Out>,
): UseCase<Input, Out> {
  return definition;
}
