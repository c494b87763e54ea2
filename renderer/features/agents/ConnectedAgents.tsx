import type { AgentClientInfo } from '../../../shared/agents';
import { formatTime } from '../activity/format-time';

/** The agents connected through the bridge right now. */
export function ConnectedAgents({ clients }: { clients: readonly AgentClientInfo[] }) {
  if (clients.length === 0) {
    return (
      <p className="muted">
        No agent is connected right now. An agent connects when its app starts Custodian’s tools.
      </p>
    );
  }
  return (
    <ul className="client-list" aria-label="Connected agents">
      {clients.map((client) => (
        <li key={client.id} className="client">
          <span className="client-name">{client.name}</span>
          {client.version && <span className="muted small"> {client.version}</span>}
          <span className="muted small client-since">
            {' '}
            connected since{' '}
            <time dateTime={client.connectedAt}>{formatTime(client.connectedAt)}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}
