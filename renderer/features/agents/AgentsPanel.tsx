import { Alert } from '../../ui/Alert';
import { ScreenHeading } from '../../ui/ScreenHeading';
import { ClaudeConnection } from './ClaudeConnection';
import { ConnectedAgents } from './ConnectedAgents';
import { McpSnippet } from './McpSnippet';
import { Section } from './Section';
import { ToolList } from './ToolList';
import { useAgentClients, useConnection, useTools } from './use-agents';

/** How agents reach Custodian, who is connected, and what each tool may do. */
export function AgentsPanel() {
  const connection = useConnection();
  const clients = useAgentClients();
  const tools = useTools();

  return (
    <section className="stack">
      <div className="panel-header">
        <ScreenHeading>Agents</ScreenHeading>
      </div>
      <p className="muted">
        Agents use your credentials through tools and never see the secrets. You choose which tools
        they get, and which ask you first.
      </p>

      <Section title="Connect to Claude Desktop">
        {connection.error && <Alert>{connection.error}</Alert>}
        {connection.data ? (
          <ClaudeConnection claude={connection.data.claude} onChanged={connection.reload} />
        ) : (
          !connection.error && <p className="muted">Loading…</p>
        )}
      </Section>

      <Section title="Other MCP clients">
        {connection.data && <McpSnippet snippet={connection.data.snippet} />}
      </Section>

      <Section title="Connected agents">
        {clients.error && <Alert>{clients.error}</Alert>}
        {clients.data && <ConnectedAgents clients={clients.data} />}
      </Section>

      <Section title="Tools">
        <p className="muted small">
          <strong>Off</strong>: agents do not see the tool. <strong>Ask</strong>: you approve each
          call. <strong>Allow</strong>: it runs without asking. Every call is logged in Activity.
        </p>
        {tools.error && <Alert>{tools.error}</Alert>}
        {tools.data && <ToolList tools={tools.data} onChanged={tools.reload} />}
      </Section>
    </section>
  );
}
