import type { ToolMode } from '../../../shared/agent-words';
import type { AgentToolInfo } from '../../../shared/agents';
import { SegmentedControl } from '../../ui/SegmentedControl';
import { MODE_LABEL, MODE_SEGMENTS, toolSource } from './tool-modes';

interface Props {
  tool: AgentToolInfo;
  onMode: (tool: AgentToolInfo, mode: ToolMode) => void;
}

/** One tool: what it does, where it comes from, and its mode. */
export function ToolRow({ tool, onMode }: Props) {
  return (
    <li className="tool" data-tool={tool.name}>
      <div className="tool-body">
        <div className="tool-title">
          <h3 className="tool-name">
            <code className="code">{tool.name}</code>
          </h3>
          <span className="badge badge-off">{toolSource(tool.source)}</span>
          {tool.readOnly && <span className="badge">Reads only</span>}
          {tool.isDefault ? (
            <span className="badge badge-default">Default</span>
          ) : (
            <span className="muted small">default: {MODE_LABEL[tool.defaultMode]}</span>
          )}
        </div>
        {tool.description && <p className="tool-description">{tool.description}</p>}
      </div>
      <SegmentedControl
        label={`Mode of ${tool.name}`}
        value={tool.mode}
        options={MODE_SEGMENTS}
        onChange={(mode) => onMode(tool, mode)}
      />
    </li>
  );
}
