import { connectionLabel } from '../../../shared/agent-words';

// Who makes a tool call. An agent on the socket is known by the connection the
// socket layer numbered: a standing grant and the audit log are bound to it.
// Its name is what the MCP client calls itself at hello, proves nothing, and
// is shown beside the connection. A plain string is a caller inside the
// process (tests, no socket), whose name is its only identity.

export interface AgentClient {
  /** What the client calls itself, e.g. "claude-ai". */
  name: string;
  /** The socket layer's id for the connection the call came on. */
  connection: string;
}

export interface CallerIdentity {
  /** What a standing grant is keyed by. */
  connection: string;
  /** What the person is shown in an approval. */
  name: string;
  /** How the audit log names the caller: one connection, one label. */
  auditLabel: string;
}

export function callerIdentity(client: string | AgentClient): CallerIdentity {
  if (typeof client === 'string')
    return { connection: `in-process:${client}`, name: client, auditLabel: client };
  return {
    connection: `socket:${client.connection}`,
    name: client.name,
    auditLabel: connectionLabel(client.name, client.connection),
  };
}

/** The socket connection's id in a CallerIdentity's connection; undefined for an in-process caller. */
export function socketConnectionId(connection: string): number | undefined {
  const match = /^socket:(\d+)$/.exec(connection);
  return match ? Number(match[1]) : undefined;
}
