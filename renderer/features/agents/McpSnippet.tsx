import { useId } from 'react';
import { CopyButton } from '../../ui/CopyButton';

/** The `mcpServers` entry for any other MCP client, to paste into its configuration. */
export function McpSnippet({ snippet }: { snippet: string }) {
  const id = useId();
  return (
    <div className="stack stack-tight">
      <p>
        Other MCP clients (Cursor, Windsurf, Claude Code and others) take the same entry. Paste it
        into their <code className="code">mcpServers</code> setting.
      </p>
      <div className="snippet-box">
        {/* Focusable so a keyboard user can scroll a wide snippet. */}
        <pre id={id} className="snippet" tabIndex={0} aria-label="MCP server configuration">
          {snippet}
        </pre>
        <div className="snippet-actions">
          <CopyButton text={snippet} targetId={id} what="the configuration" />
        </div>
      </div>
    </div>
  );
}
