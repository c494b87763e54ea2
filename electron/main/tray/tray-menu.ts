// The tray menu as plain data, built from state by pure functions; the Electron
// side only hands these items to Menu.buildFromTemplate and routes clicks back
// through toolToggle. No electron import here, so tests run on Node.

import type { ToolMode } from '../../../shared/agent-words';
import { cleanLine } from '../../../shared/display-text';

export type { ToolMode };

export interface TrayTool {
  name: string;
  mode: ToolMode;
  /** 'built-in' or the plugin the tool comes from. */
  source: string;
  /** The mode the tool had before it was turned off, if known. */
  previousMode?: ToolMode;
  /** The tool's default mode; used when turning on a tool with no previous mode. */
  defaultMode?: ToolMode;
}

export interface TrayState {
  vault: 'locked' | 'unlocked' | 'absent';
  clients: readonly { name: string }[];
  tools: readonly TrayTool[];
  /** Why Custodian cannot go on as it started (its data folder or socket went away). */
  problem?: string;
}

/** Compatible with Electron's MenuItemConstructorOptions. */
export interface TrayMenuItem {
  id: string;
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
}

export const TRAY_ITEM = {
  status: 'status',
  problem: 'problem',
  lock: 'lock',
  open: 'open',
  quit: 'quit',
} as const;

const TOOL_PREFIX = 'tool:';
export const MAX_TOOL_LABEL = 48;

/** A third party's tool name made safe to show: invisible characters gone, length capped. */
export function sanitizeToolName(name: string, max = MAX_TOOL_LABEL): string {
  return cleanLine(String(name), max) || '(unnamed tool)';
}

export function statusLabel(state: Pick<TrayState, 'vault' | 'clients'>): string {
  switch (state.vault) {
    case 'absent':
      return 'No vault yet';
    case 'locked':
      return 'Locked';
    case 'unlocked': {
      const n = state.clients.length;
      if (n === 0) return 'Unlocked — no agents connected';
      return `Unlocked — ${n} agent${n === 1 ? '' : 's'} connected`;
    }
  }
}

export function toolItemId(name: string): string {
  return `${TOOL_PREFIX}${name}`;
}

export function buildTrayMenu(state: TrayState): TrayMenuItem[] {
  const items: TrayMenuItem[] = [
    { id: TRAY_ITEM.status, label: statusLabel(state), type: 'normal', enabled: false },
    ...(state.problem
      ? [
          {
            id: TRAY_ITEM.problem,
            label: cleanLine(state.problem, 200),
            type: 'normal' as const,
            enabled: false,
          },
        ]
      : []),
    { id: 'separator:status', type: 'separator' },
  ];
  const seen = new Set<string>();
  for (const tool of state.tools) {
    // Menu ids must be unique; a second tool of the same name cannot be told apart.
    if (seen.has(tool.name)) continue;
    seen.add(tool.name);
    const name = sanitizeToolName(tool.name);
    items.push({
      id: toolItemId(tool.name),
      label: tool.mode === 'ask' ? `${name} (asks first)` : name,
      type: 'checkbox',
      checked: tool.mode !== 'off',
      enabled: true,
    });
  }
  if (seen.size > 0) items.push({ id: 'separator:tools', type: 'separator' });
  items.push(
    { id: TRAY_ITEM.lock, label: 'Lock', type: 'normal', enabled: state.vault === 'unlocked' },
    { id: TRAY_ITEM.open, label: 'Open Custodian', type: 'normal', enabled: true },
    { id: 'separator:quit', type: 'separator' },
    { id: TRAY_ITEM.quit, label: 'Quit Custodian', type: 'normal', enabled: true },
  );
  return items;
}

export interface ToolToggle {
  tool: string;
  mode: ToolMode;
}

/**
 * Maps a click on a tool's checkbox (its id and the new checked state) to the
 * policy change: unchecked is 'off'; checked restores the tool's mode if it is on,
 * else its previous mode, else its default, else 'ask' (the safe choice).
 * Returns null for an id that is not a known tool.
 */
export function toolToggle(
  id: string,
  checked: boolean,
  tools: readonly TrayTool[],
): ToolToggle | null {
  if (!id.startsWith(TOOL_PREFIX)) return null;
  const name = id.slice(TOOL_PREFIX.length);
  const tool = tools.find((t) => t.name === name);
  if (!tool) return null;
  if (!checked) return { tool: name, mode: 'off' };
  const on = [tool.mode, tool.previousMode, tool.defaultMode].find(
    (m): m is 'ask' | 'allow' => m === 'ask' || m === 'allow',
  );
  return { tool: name, mode: on ?? 'ask' };
}
