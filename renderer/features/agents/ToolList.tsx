import { useState } from 'react';
import type { ToolMode } from '../../../shared/agent-words';
import type { AgentToolInfo } from '../../../shared/agents';
import { invoke } from '../../api/client';
import { windowMessageOf } from '../../../shared/error-boundaries';
import { Alert } from '../../ui/Alert';
import { ToolRow } from './ToolRow';
import { MODE_LABEL } from './tool-modes';

interface Props {
  tools: readonly AgentToolInfo[];
  /** Read the tools again after a change. */
  onChanged: () => void;
}

/** A mode chosen here, shown until main's list holds it. */
interface Choice {
  mode: ToolMode;
  /** The list on screen when it was chosen. */
  basis: readonly AgentToolInfo[];
  /** Main answered the change. */
  settled: boolean;
}

/**
 * Every tool an agent could see, each Off, Ask or Allow. A chosen mode shows
 * at once (the arrow keys move it one step per press). Once main has answered,
 * the choice still shows until a newer list arrives (the reload, or the
 * tools:changed main pushes), so the control never flicks back in between.
 */
export function ToolList({ tools, onChanged }: Props) {
  const [chosen, setChosen] = useState<ReadonlyMap<string, Choice>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const setMode = async (tool: AgentToolInfo, mode: ToolMode) => {
    setChosen((now) => new Map(now).set(tool.name, { mode, basis: tools, settled: false }));
    setError(null);
    try {
      await invoke('tools:setMode', { name: tool.name, mode });
      setAnnouncement(`${tool.name}: ${MODE_LABEL[mode]}.`);
    } catch (caught) {
      setError(`${tool.name}: ${windowMessageOf(caught)}`);
    } finally {
      // Settle only this choice: a newer one for the same tool is still on its way.
      setChosen((now) => {
        const choice = now.get(tool.name);
        if (choice?.mode !== mode || choice.settled) return now;
        return new Map(now).set(tool.name, { ...choice, settled: true });
      });
      onChanged();
    }
  };

  const shownMode = (tool: AgentToolInfo): ToolMode => {
    const choice = chosen.get(tool.name);
    return choice && (!choice.settled || choice.basis === tools) ? choice.mode : tool.mode;
  };

  return (
    <>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {error && <Alert>{error}</Alert>}
      <ul className="tool-list" aria-label="Tools">
        {tools.map((tool) => (
          <ToolRow
            key={tool.name}
            tool={{ ...tool, mode: shownMode(tool) }}
            onMode={(t, m) => void setMode(t, m)}
          />
        ))}
      </ul>
    </>
  );
}
