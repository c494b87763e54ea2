import { describe, expect, it } from 'vitest';
import type { AgentToolInfo } from '../../../shared/agents';
import type { ToolMode } from '../../../shared/agent-words';
import { TrayController, type TrayPort } from '../../../electron/main/tray/tray-controller';

// The tray without Electron: its menu follows the core's state, and a click
// becomes the right core call.

function tool(name: string, mode: ToolMode, defaultMode: ToolMode = 'ask'): AgentToolInfo {
  return {
    name,
    description: '',
    source: 'built-in',
    readOnly: false,
    mode,
    defaultMode,
    isDefault: false,
  };
}

function rig(tools: AgentToolInfo[]) {
  const calls: string[] = [];
  const state = { vault: 'unlocked' as 'unlocked' | 'locked' | 'absent', tools };
  const port: TrayPort = {
    vaultState: async () => state.vault,
    clients: async () => [{ name: 'claude-ai' }],
    tools: async () => state.tools,
    setMode: async (name, mode) => {
      calls.push(`setMode ${name} ${mode}`);
      state.tools = state.tools.map((t) => (t.name === name ? { ...t, mode } : t));
    },
    lock: async () => calls.push('lock'),
    open: () => calls.push('open'),
    quit: () => calls.push('quit'),
    log: (message) => calls.push(`log ${message}`),
  };
  return { controller: new TrayController(port), calls, state };
}

describe('TrayController', () => {
  it('builds the menu from the vault, the clients and the tools', async () => {
    const { controller } = rig([tool('list_credentials', 'allow'), tool('pgp_sign', 'ask')]);
    const items = await controller.menu();
    expect(items.map((i) => i.label ?? i.type)).toEqual([
      'Unlocked — 1 agent connected',
      'separator',
      'list_credentials',
      'pgp_sign (asks first)',
      'separator',
      'Lock',
      'Open Custodian',
      'separator',
      'Quit Custodian',
    ]);
  });

  it('turns a tool off and back on to the mode it had', async () => {
    const { controller, calls } = rig([tool('pgp_sign', 'allow', 'ask')]);
    await controller.menu();
    await controller.click('tool:pgp_sign', false);
    await controller.menu();
    await controller.click('tool:pgp_sign', true);
    expect(calls).toEqual(['setMode pgp_sign off', 'setMode pgp_sign allow']);
  });

  it('routes Lock, Open and Quit, and logs a failed action instead of throwing', async () => {
    const { controller, calls } = rig([]);
    await controller.click('lock');
    await controller.click('open');
    await controller.click('quit');
    await controller.click('tool:unknown', true);
    expect(calls).toEqual(['lock', 'open', 'quit']);
    const failing = new TrayController({
      ...({} as TrayPort),
      lock: async () => {
        throw new Error('disk full');
      },
      log: (message) => calls.push(message),
    });
    await failing.click('lock');
    expect(calls.at(-1)).toBe('Tray action lock failed: disk full');
  });

  it('shows a locked vault with Lock disabled', async () => {
    const { controller, state } = rig([]);
    state.vault = 'locked';
    const items = await controller.menu();
    expect(items[0]?.label).toBe('Locked');
    expect(items.find((i) => i.id === 'lock')?.enabled).toBe(false);
  });
});
