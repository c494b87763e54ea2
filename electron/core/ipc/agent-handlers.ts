import type { AgentService } from '../agents/agent-service';
import type { ClaudeLink } from '../agents/claude-desktop';
import type { BridgeConnectionInfo } from '../bridge';
import type { HandlerTable } from './dispatch';

export interface AgentHandlerServices {
  agents: AgentService;
  claude: ClaudeLink;
  /** The agents connected over the socket now (none before the bridge server starts). */
  clients: () => BridgeConnectionInfo[];
}

type AgentChannels =
  | 'tools:list'
  | 'tools:setMode'
  | 'approvals:list'
  | 'approvals:answer'
  | 'audit:query'
  | 'audit:verify'
  | 'agents:clients'
  | 'agents:connection'
  | 'agents:connectClaude';

/** The window's side of the agents: tool modes, approvals, the Activity view, Connect. */
export function createAgentHandlers(
  services: AgentHandlerServices,
): Pick<HandlerTable, AgentChannels> {
  const { agents, claude } = services;
  return {
    'tools:list': () => agents.tools(),
    'tools:setMode': ({ name, mode }) => agents.setMode(name, mode),
    'approvals:list': () => agents.pending(),
    'approvals:answer': ({ id, decision }) => ({ answered: agents.answer(id, decision) }),
    'audit:query': (query) => agents.audit.query(query),
    'audit:verify': () => agents.audit.verify(),
    'agents:clients': () =>
      services.clients().map((c) => ({
        id: c.id,
        name: c.client.name,
        version: c.client.version,
        connectedAt: c.connectedAt.toISOString(),
      })),
    'agents:connection': () => claude.connection(),
    'agents:connectClaude': () => claude.connect(),
  };
}
