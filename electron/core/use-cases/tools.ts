import { z } from 'zod';
import { answerApprovalSchema, setToolModeSchema } from '../../../shared/agents';
import { CustodianError } from '../../../shared/errors';
import type { AgentService } from '../agents/agent-service';
import { useCase } from './use-case';

// Tools, their modes, and the person's answers to calls that wait for them.
// AgentService owns the rules of a call (policy, rate limit, approval, audit,
// the vault being open); here is who may ask for what.

export interface ToolUseCaseServices {
  agents: AgentService;
}

const empty = z.object({});

export function toolUseCases({ agents }: ToolUseCaseServices) {
  return {
    /** Every tool with its mode: the window, the tray, `custodian tool list`. */
    'tools.list': useCase({ callers: ['window', 'cli'], input: empty, run: () => agents.tools() }),
    /** What an agent may see now: the tools that are not off, as MCP lists them. */
    'tools.listEnabled': useCase({
      callers: ['agent'],
      input: empty,
      run: () => agents.enabledTools(),
    }),
    'tools.call': useCase({
      callers: ['agent'],
      input: z.object({
        name: z.string().min(1).max(128),
        arguments: z.record(z.string(), z.unknown()),
      }),
      run: ({ name, arguments: args }, { client, connection, signal }) => {
        // Grants and the audit log are bound to the connection; the name it
        // said at hello is shown beside it.
        if (!client || connection === undefined)
          throw new CustodianError('internal', 'A tool call needs its client and connection.');
        return agents.call({ name: client.name, connection }, name, args, signal);
      },
    }),
    'tools.setMode': useCase({
      callers: ['window', 'cli'],
      input: setToolModeSchema,
      run: ({ name, mode }) => agents.setMode(name, mode),
    }),
    /** Calls waiting for the person, oldest first. */
    'approvals.list': useCase({ callers: ['window'], input: empty, run: () => agents.pending() }),
    /** answered is false when the approval was already settled (timed out, withdrawn). */
    'approvals.answer': useCase({
      callers: ['window'],
      input: answerApprovalSchema,
      run: ({ id, decision }) => ({ answered: agents.answer(id, decision) }),
    }),
  };
}
